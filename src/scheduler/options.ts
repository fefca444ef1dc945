/**
 * The scheduler's options and their validation into a normalized, complete form.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { Executor } from '../executors/executor.js';
import type { Logger } from '../logger.js';
import type { CoalescePolicy, JobStore } from '../stores/job-store.js';
import type { CoalesceOption, TaskFunction } from './job.js';
import { checkTimezone, hostTimezone } from '../triggers/dates.js';
import {
  checkInteger,
  checkOptionalDuration,
  checkOptions,
  checkString,
  isPlainObject,
} from '../internal/validate.js';
import { InvalidArgumentError } from '../errors.js';


/** Defaults for the run policies of every job; each job may override them. */
export interface JobDefaults {
  /** Seconds a run may start late and still run; `null` = no limit. @defaultValue `null` */
  misfireGraceTime?: number | null;
  /** What to do when several run times are due at once. @defaultValue `'latest'` */
  coalesce?: CoalesceOption;
  /** Most runs of one job in flight at once. @defaultValue `1` */
  maxInstances?: number;
  /** Largest random delay in seconds added to each run. @defaultValue `null` (none) */
  jitter?: number | null;
  /** Seconds after which a run is aborted and fails. @defaultValue `null` (none) */
  timeout?: number | null;
}

/** Options of `new Scheduler()`. Every part has a default; every part can be replaced. */
export interface SchedulerOptions {
  /** IANA zone for triggers that name none. @defaultValue the host's zone */
  timezone?: string;
  /** Policy defaults for jobs. */
  jobDefaults?: JobDefaults;
  /** Job stores by alias. @defaultValue `{ default: new MemoryJobStore() }` */
  stores?: Record<string, JobStore>;
  /** Executors by alias. @defaultValue `{ default: new PromiseExecutor() }` */
  executors?: Record<string, Executor>;
  /** Task registry: name to function. Jobs in persistent stores must name one of these. */
  tasks?: Record<string, TaskFunction>;
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
   * Longest wait, in seconds, between two looks at the stores. Shorter waits notice wall-clock
   * jumps and system sleep sooner. @defaultValue `60`
   */
  maxWait?: number;
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
  'timezone', 'jobDefaults', 'stores', 'executors', 'tasks', 'clock', 'logger', 'identity', 'maxWait',
] as const;
const JOB_DEFAULT_KEYS = ['misfireGraceTime', 'coalesce', 'maxInstances', 'jitter', 'timeout'] as const;

/** Accepts a policy or a boolean (`true` = `'latest'`, `false` = `'all'`). @internal */
export function checkCoalesce(value: unknown, field: string): CoalescePolicy {
  if (value === true) return 'latest';
  if (value === false) return 'all';
  if (value === 'latest' || value === 'earliest' || value === 'all') return value;
  throw new InvalidArgumentError(field, value, "'latest', 'earliest', 'all', true or false");
}

/** Validates `jobDefaults`. @internal */
export function resolveJobDefaults(value: unknown): ResolvedJobDefaults {
  const given = checkOptions(value, 'options.jobDefaults', JOB_DEFAULT_KEYS);
  return {
    misfireGraceTime: checkOptionalDuration(given.misfireGraceTime, 'options.jobDefaults.misfireGraceTime', null),
    coalesce: given.coalesce === undefined ? 'latest' : checkCoalesce(given.coalesce, 'options.jobDefaults.coalesce'),
    maxInstances:
      given.maxInstances === undefined ? 1 : checkInteger(given.maxInstances, 'options.jobDefaults.maxInstances', 1),
    jitter: checkOptionalDuration(given.jitter, 'options.jobDefaults.jitter', null),
    timeout: checkOptionalDuration(given.timeout, 'options.jobDefaults.timeout', null, { positive: true }),
  };
}

/** Checks the top-level options object and returns it with the simple fields resolved. @internal */
export function checkSchedulerOptions(options: unknown): {
  given: SchedulerOptions;
  timezone: string;
  maxWaitMs: number;
  jobDefaults: ResolvedJobDefaults;
} {
  const given = checkOptions(options, 'options', OPTION_KEYS) as SchedulerOptions;
  for (const key of ['stores', 'executors', 'tasks'] as const) {
    if (given[key] !== undefined && !isPlainObject(given[key])) {
      throw new InvalidArgumentError(`options.${key}`, given[key], 'a plain object of alias to instance');
    }
  }
  if (given.identity !== undefined) checkString(given.identity, 'options.identity');
  const maxWait = checkOptionalDuration(given.maxWait, 'options.maxWait', 60, { positive: true }) ?? 60;
  return {
    given,
    timezone: given.timezone === undefined ? hostTimezone() : checkTimezone(given.timezone, 'options.timezone'),
    maxWaitMs: Math.min(maxWait * 1000, 2 ** 31 - 1),
    jobDefaults: resolveJobDefaults(given.jobDefaults),
  };
}

/** The logger used when none is given: drops everything. @internal */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
