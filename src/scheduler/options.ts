/**
 * The scheduler's options and their validation into a normalized, complete form.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { Executor } from '../executors/executor.js';
import type { Logger } from '../logger.js';
import type { CoalescePolicy, JobStore } from '../stores/job-store.js';
import type { CoalesceOption, TaskMap } from './job.js';
import { checkTimezone, hostTimezone } from '../triggers/dates.js';
import {
  argumentError,
  checkInteger,
  checkDuration,
  checkOptionalDuration,
  checkOptions,
  checkString,
  isPlainObject,
  MAX_POLICY_SECONDS,
} from '../internal/validate.js';
import { InvalidArgumentError } from '../errors.js';


/**
 * Upper bounds of the run policies. They keep every delay the scheduler derives from a policy
 * (a jitter wait, a timeout, a misfire deadline) a real instant well inside what a `Date` and a
 * chunked timer can hold: without them `jitter: 1e300` would turn a run into a wait that never
 * ends. 366 days covers any yearly schedule.
 */
export const POLICY_LIMITS = {
  /** 366 days, in seconds. */
  misfireGraceTime: MAX_POLICY_SECONDS,
  /** 366 days, in seconds. */
  jitter: MAX_POLICY_SECONDS,
  /** 366 days, in seconds. */
  timeout: MAX_POLICY_SECONDS,
  /** Runs of one job in flight at once. */
  maxInstances: 100_000,
} as const;

/** The largest `maxWait` in seconds: the longest timer Node accepts, 2^31-1 ms. */
export const MAX_WAIT_LIMIT = (2 ** 31 - 1) / 1000;

/** Defaults for the run policies of every job; each job may override them. */
export interface JobDefaults {
  /**
   * Seconds a run may start late and still run, at most 31,622,400 (366 days); `null` = no
   * limit. @defaultValue `null`
   */
  misfireGraceTime?: number | null;
  /** What to do when several run times are due at once. @defaultValue `'latest'` */
  coalesce?: CoalesceOption;
  /** Most runs of one job in flight at once: an integer from 1 to 100,000. @defaultValue `1` */
  maxInstances?: number;
  /**
   * Largest random delay in seconds added to each run, at most 31,622,400 (366 days).
   * @defaultValue `null` (none)
   */
  jitter?: number | null;
  /**
   * Seconds after which a run is aborted and fails: more than 0 and at most 31,622,400
   * (366 days). @defaultValue `null` (none)
   */
  timeout?: number | null;
}

/** Options of `new Scheduler()`. Every part has a default; every part can be replaced. */
export interface SchedulerOptions<Tasks extends TaskMap = TaskMap> {
  /** IANA zone for triggers that name none. @defaultValue the host's zone */
  timezone?: string;
  /** Policy defaults for jobs. */
  jobDefaults?: JobDefaults;
  /** Job stores by alias. @defaultValue `{ default: new MemoryJobStore() }` */
  stores?: Record<string, JobStore>;
  /** Executors by alias. @defaultValue `{ default: new PromiseExecutor() }` */
  executors?: Record<string, Executor>;
  /** Task registry: name to function. Jobs in persistent stores must name one of these. */
  tasks?: Tasks;
  /** Where time comes from. @defaultValue the system clock */
  clock?: Clock;
  /** Where the scheduler reports problems. @defaultValue silent */
  logger?: Logger;
  /**
   * This scheduler's identity in shared stores (who holds a lease).
   * @defaultValue `<hostname>-<pid>-<random>`
   */
  identity?: string;
  /**
   * Longest wait, in seconds, between two looks at the stores: more than 0 and at most
   * 2,147,483.647 (2^31-1 ms, the longest timer Node accepts). Shorter waits notice wall-clock
   * jumps and system sleep sooner. @defaultValue `60`
   */
  maxWait?: number;
  /**
   * Seconds a due job, or a run in flight in a shared store, stays leased to this scheduler:
   * from 1 to 3,600. In a store shared by several schedulers it is how long a scheduler that
   * died holds what it had taken before another one takes over. The holder hands back due jobs
   * within a third of it and extends its runs' leases every third of it, so a lease never expires
   * under a live scheduler; a shorter lease means a quicker takeover and more store calls.
   * @defaultValue `10`
   */
  leaseTime?: number;
}

/** Job policy defaults after validation. @internal */
export interface ResolvedJobDefaults {
  misfireGraceTime: number | null;
  coalesce: CoalescePolicy;
  maxInstances: number;
  jitter: number | null;
  timeout: number | null;
}

const OPTION_KEYS = [
  'timezone', 'jobDefaults', 'stores', 'executors', 'tasks', 'clock', 'logger', 'identity', 'maxWait', 'leaseTime',
] as const;
/** Bounds of `leaseTime`, in seconds. */
const LEASE_TIME = { min: 1, max: 3_600, default: 10 };
const JOB_DEFAULT_KEYS = ['misfireGraceTime', 'coalesce', 'maxInstances', 'jitter', 'timeout'] as const;

/** Accepts a policy or a boolean (`true` = `'latest'`, `false` = `'all'`). @internal */
export function checkCoalesce(value: unknown, field: string): CoalescePolicy {
  if (value === true) return 'latest';
  if (value === false) return 'all';
  if (value === 'latest' || value === 'earliest' || value === 'all') return value;
  throw new InvalidArgumentError(field, value, "'latest', 'earliest', 'all', true or false");
}

/** The built-in job defaults, before `jobDefaults` overrides them. */
const BASE_DEFAULTS: ResolvedJobDefaults = {
  misfireGraceTime: null,
  coalesce: 'latest',
  maxInstances: 1,
  jitter: null,
  timeout: null,
};

/**
 * Validates the run-policy fields present in `given` (`undefined` counts as absent), naming each
 * as `${prefix}.${key}`. The one place that knows each policy's type and bounds, so
 * `jobDefaults`, `addJob` and `modifyJob` accept exactly the same values. @internal
 */
export function checkPolicies(given: Record<string, unknown>, prefix: string): Partial<ResolvedJobDefaults> {
  const policies: Partial<ResolvedJobDefaults> = {};
  const { misfireGraceTime, coalesce, maxInstances, jitter, timeout } = given;
  if (misfireGraceTime !== undefined) {
    policies.misfireGraceTime = checkOptionalDuration(misfireGraceTime, `${prefix}.misfireGraceTime`, null, {
      max: POLICY_LIMITS.misfireGraceTime,
    });
  }
  if (coalesce !== undefined) policies.coalesce = checkCoalesce(coalesce, `${prefix}.coalesce`);
  if (maxInstances !== undefined) {
    policies.maxInstances = checkInteger(
      maxInstances, `${prefix}.maxInstances`, 1, argumentError, POLICY_LIMITS.maxInstances,
    );
  }
  if (jitter !== undefined) {
    policies.jitter = checkOptionalDuration(jitter, `${prefix}.jitter`, null, { max: POLICY_LIMITS.jitter });
  }
  if (timeout !== undefined) {
    policies.timeout = checkOptionalDuration(timeout, `${prefix}.timeout`, null, {
      positive: true,
      max: POLICY_LIMITS.timeout,
    });
  }
  return policies;
}

/** Validates `jobDefaults`. @internal */
export function resolveJobDefaults(value: unknown): ResolvedJobDefaults {
  const given = checkOptions(value, 'options.jobDefaults', JOB_DEFAULT_KEYS);
  return { ...BASE_DEFAULTS, ...checkPolicies(given, 'options.jobDefaults') };
}

/** Checks the top-level options object and returns it with the simple fields resolved. @internal */
export function checkSchedulerOptions(options: unknown): {
  given: SchedulerOptions;
  timezone: string;
  maxWaitMs: number;
  leaseMs: number;
  jobDefaults: ResolvedJobDefaults;
} {
  const given = checkOptions(options, 'options', OPTION_KEYS) as SchedulerOptions;
  for (const key of ['stores', 'executors', 'tasks'] as const) {
    if (given[key] !== undefined && !isPlainObject(given[key])) {
      throw new InvalidArgumentError(`options.${key}`, given[key], 'a plain object of alias to instance');
    }
  }
  if (given.identity !== undefined) checkString(given.identity, 'options.identity');
  const maxWait =
    checkOptionalDuration(given.maxWait, 'options.maxWait', 60, { positive: true, max: MAX_WAIT_LIMIT }) ?? 60;
  const leaseTime =
    given.leaseTime === undefined
      ? LEASE_TIME.default
      : checkDuration(given.leaseTime, 'options.leaseTime', { max: LEASE_TIME.max });
  if (leaseTime < LEASE_TIME.min) {
    throw new InvalidArgumentError('options.leaseTime', leaseTime, `a number of seconds from ${LEASE_TIME.min} to ${LEASE_TIME.max}`);
  }
  return {
    given,
    leaseMs: leaseTime * 1000,
    timezone: given.timezone === undefined ? hostTimezone() : checkTimezone(given.timezone, 'options.timezone'),
    // Within the bound, but seconds times 1000 may round a hair above the limit.
    maxWaitMs: Math.min(maxWait * 1000, 2 ** 31 - 1),
    jobDefaults: resolveJobDefaults(given.jobDefaults),
  };
}

/** The logger used when none is given: drops everything. @internal */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
