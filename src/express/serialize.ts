/**
 * The JSON shapes of the API: jobs, run records and the scheduler's info. Dates are ISO-8601 with
 * the offset of the scheduler's time zone (`2026-11-27T20:00:00.000+01:00`).
 *
 * @module
 */
import { DateTime } from 'luxon';
import type { AnyTriggerSpec, Job, Scheduler, SchedulerState, Trigger } from '../index.js';
import type { AuthKind } from './options.js';
import { describeInWords } from './describe.js';

/** The outcome of one run (or one slot that did not run), kept by the router from scheduler events. */
export interface RunRecord {
  /** The slot the run was for. */
  scheduledRunTime: string;
  /** When the task started, or `null` if it never did (missed, skipped, cancelled before start). */
  startedAt: string | null;
  /** When the run ended, or when the slot was given up. */
  finishedAt: string;
  /** How long the task ran, or `null` when it did not run. */
  durationMs: number | null;
  /**
   * `'ok'` (`job:executed`), `'error'` (`job:error`), `'missed'` (`job:missed`: later than its
   * `misfireGraceTime`) or `'skipped'` (`job:max-instances`).
   */
  status: 'ok' | 'error' | 'missed' | 'skipped';
  /** The error's message, for `'error'`. */
  error?: string;
}

/** A run of the job submitted by this scheduler and not ended yet (running, or queued in its executor). */
export interface RunInFlight {
  /** The slot the run is for. */
  scheduledRunTime: string;
  /** When it was submitted to its executor. */
  since: string;
}

/** A trigger as JSON: its spec (which `POST /jobs` accepts back) and its readable description. */
export interface TriggerJson {
  /** The JSON spec, or `null` for a custom trigger whose `toJSON()` failed. */
  spec: AnyTriggerSpec | null;
  /**
   * The trigger in words ("every 10 seconds", "at 09:30 on Monday to Friday, Europe/Berlin"); a
   * trigger with no plain reading (a combined or custom one, a stepped cron range) keeps its
   * `toString()`, e.g. `cron['0 0 9-17/2 * * 1-5', timezone=UTC]`.
   */
  description: string;
}

/** What the router knows of a job's runs. @internal */
export interface JobRuns {
  /** Outcomes, newest first. */
  readonly records: readonly RunRecord[];
  /** Runs in flight, oldest first. */
  readonly running: readonly RunInFlight[];
}

/** A job as the API shows it. */
export interface JobJson {
  /** Unique id. */
  id: string;
  /** Display name. */
  name: string;
  /** The task name. */
  task: string;
  /** Positional arguments passed to the task. */
  args: unknown[];
  /** The trigger. */
  trigger: TriggerJson;
  /** The next run, or `null` while paused (or pending without a known time). */
  nextRunTime: string | null;
  /** `true` while the job is paused. */
  paused: boolean;
  /** `true` until the scheduler starts and writes the job to its store. */
  pending: boolean;
  /** Alias of the store holding the job. */
  store: string;
  /** Alias of the executor running the job. */
  executor: string;
  /** Seconds a run may start late; `null` = no limit. */
  misfireGraceTime: number | null;
  /** Coalescing policy. */
  coalesce: 'latest' | 'earliest' | 'all';
  /** Most runs in flight at once. */
  maxInstances: number;
  /** Largest random delay in seconds; `null` = the trigger's, or none. */
  jitter: number | null;
  /** Seconds after which a run is aborted; `null` = none. */
  timeout: number | null;
  /** Free JSON data of the application. */
  metadata: Record<string, unknown>;
  /** Runs of this job in flight in this scheduler, oldest first (a run started before the page loaded too). */
  running: RunInFlight[];
  /**
   * The newest outcome of a run (`'ok'`, `'error'` or `'missed'`), or `null` before the first: a
   * slot skipped at `maxInstances` (`'skipped'`, listed in `history`) does not hide the last real one.
   */
  lastOutcome: RunRecord | null;
  /** The last run records, newest first: only on single-job responses. */
  history?: RunRecord[];
  /** The next five fire times from `nextRunTime` (none while paused): only on single-job responses. */
  upcoming?: string[];
}

/** What `GET /` (and the lifecycle routes) answer. */
export interface SchedulerInfo {
  /** `'stopped'`, `'running'` or `'paused'`. */
  state: SchedulerState;
  /** The scheduler's IANA time zone, in which every date of the API is written. */
  timezone: string;
  /** Job store aliases. */
  stores: string[];
  /** Executor aliases. */
  executors: string[];
  /** How many jobs there are. */
  jobCount: number;
  /** Whether the router refuses every write. */
  readOnly: boolean;
  /** The kind of authentication configured. */
  auth: AuthKind;
}

/**
 * A JSON copy of `value` when its JSON text is at most `maxLength` characters, else `undefined`
 * (also for values JSON cannot hold: cycles, BigInts).
 */
export function boundedJson(value: unknown, maxLength: number): unknown {
  try {
    const json = JSON.stringify(value);
    return json !== undefined && json.length <= maxLength ? (JSON.parse(json) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** The message of anything thrown: an error's `message`, or the value as a string. */
export function errorMessage(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}

/** Formats an instant as ISO-8601 with the offset of `zone`. @internal */
export function isoIn(zone: string, date: Date | number): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  return DateTime.fromMillis(ms, { zone }).toISO() ?? new Date(ms).toISOString();
}

/** A trigger as JSON; a custom trigger that throws gets `null` as its spec. @internal */
export function triggerJson(trigger: Trigger): TriggerJson {
  let spec: AnyTriggerSpec | null = null;
  try {
    spec = trigger.toJSON();
  } catch {
    spec = null;
  }
  let technical: string;
  try {
    technical = String(trigger);
  } catch {
    technical = spec === null ? 'trigger' : spec.type;
  }
  const description = describeInWords(spec, technical);
  return { spec, description };
}

/** A job as JSON; `history` (newest first) is included when given. @internal */
export function jobJson(zone: string, job: Job, runs: JobRuns, withHistory: boolean): JobJson {
  const history = runs.records;
  const json: JobJson = {
    id: job.id,
    name: job.name,
    task: job.task,
    args: [...job.args],
    trigger: triggerJson(job.trigger),
    nextRunTime: job.nextRunTime === null ? null : isoIn(zone, job.nextRunTime),
    paused: job.paused,
    pending: job.pending,
    store: job.store,
    executor: job.executor,
    misfireGraceTime: job.misfireGraceTime,
    coalesce: job.coalesce,
    maxInstances: job.maxInstances,
    jitter: job.jitter,
    timeout: job.timeout,
    metadata: { ...job.metadata },
    running: runs.running.map(({ scheduledRunTime, since }) => ({ scheduledRunTime, since })),
    lastOutcome: history.find((record) => record.status !== 'skipped') ?? null,
  };
  if (withHistory) {
    json.history = [...history];
    json.upcoming = upcoming(zone, job.trigger, job.nextRunTime);
  }
  return json;
}

/** How many fire times a preview shows. */
export const PREVIEW_COUNT = 5;

/**
 * Up to {@link PREVIEW_COUNT} fire times of `trigger`, from `first` on, in `zone`. A trigger that
 * throws (a custom one) ends the list there: it must not break the answer about its job.
 */
export function upcoming(zone: string, trigger: Trigger, first: Date | null): string[] {
  const times: string[] = [];
  try {
    for (let next = first; next !== null && times.length < PREVIEW_COUNT; next = trigger.getNextFireTime(next, next)) {
      times.push(isoIn(zone, next));
    }
  } catch {
    // what was found so far
  }
  return times;
}

/** The scheduler's info. @internal */
export async function schedulerInfo(scheduler: Scheduler, readOnly: boolean, auth: AuthKind): Promise<SchedulerInfo> {
  const jobs = await scheduler.getJobs();
  return {
    state: scheduler.state,
    timezone: scheduler.timezone,
    stores: scheduler.stores,
    executors: scheduler.executors,
    jobCount: jobs.length,
    readOnly,
    auth,
  };
}
