/**
 * The public shapes of a job: the read-only {@link Job} view, the options of `addJob` and
 * `modifyJob`, and the {@link JobContext} a task receives.
 *
 * @module
 */
import type { CoalescePolicy } from '../stores/job-store.js';
import type { JsonValue } from '../json.js';
import type { TriggerSpec } from '../triggers/specs.js';
import type { Trigger } from '../triggers/trigger.js';
import type { DateInput } from '../triggers/dates.js';
import type { Scheduler } from './scheduler.js';

/** A function a job runs: the job's `args`, then a {@link JobContext}. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TaskFunction = (...args: any[]) => unknown;

/** `coalesce` as accepted in options: a policy, or `true` (= `'latest'`) / `false` (= `'all'`). */
export type CoalesceOption = CoalescePolicy | boolean;

/** What a trigger may be given as: an instance, a JSON spec, or a crontab string (with cron). */
export type TriggerInput = Trigger | TriggerSpec | string;

/** A job as the scheduler shows it. A snapshot: later changes are not reflected. */
export interface Job {
  /** Unique id. */
  readonly id: string;
  /** Display name (defaults to the task name). */
  readonly name: string;
  /** The task name (for an inline function, its `name` or `'anonymous'`). */
  readonly task: string;
  /** Positional arguments passed to the task. */
  readonly args: readonly JsonValue[];
  /** The trigger. */
  readonly trigger: Trigger;
  /** Alias of the executor that runs the job. */
  readonly executor: string;
  /** Alias of the store that holds the job (the intended one while pending). */
  readonly store: string;
  /** Seconds a run may start late before it counts as missed; `null` = no limit. */
  readonly misfireGraceTime: number | null;
  /** What to do when several run times are due at once. */
  readonly coalesce: CoalescePolicy;
  /** Most runs of this job in flight at once. */
  readonly maxInstances: number;
  /** Largest random delay in seconds added to each run; `null` = the trigger's own, or none. */
  readonly jitter: number | null;
  /** Seconds after which a run is aborted and reported as failed; `null` = none. */
  readonly timeout: number | null;
  /** The next run, `null` while paused (or while pending, if not yet known). */
  readonly nextRunTime: Date | null;
  /** `true` while the job is paused. */
  readonly paused: boolean;
  /** `true` until the scheduler starts and writes the job to its store. */
  readonly pending: boolean;
  /** Free JSON data for the application. */
  readonly metadata: { readonly [key: string]: JsonValue };
}

/** Tasks by name, as a scheduler's type knows them (see {@link TaskArgs}). */
export type TaskMap = Record<string, TaskFunction>;

/**
 * The `args` a task takes: its parameters before a trailing {@link JobContext}. Checked only
 * where the function says something: a function that declares no parameter but the context,
 * or one with an untyped (`any`) parameter, takes any JSON `args` (extra arguments are ignored
 * at run time, as JavaScript does).
 *
 * @example
 * ```ts excerpt
 * TaskArgs<(to: string, times: number, context: JobContext) => void> // [to: string, times: number]
 * TaskArgs<(context: JobContext) => void>                             // JsonValue[]
 * ```
 */
export type TaskArgs<F> = F extends (...params: infer P) => unknown
  ? 0 extends 1 & P[number]
    ? JsonValue[]
    : number extends P['length']
      ? JsonValue[]
      : P extends [...infer A, infer Last]
        ? JobContext extends Last
          ? A extends []
            ? JsonValue[]
            : A
          : P
        : JsonValue[]
  : JsonValue[];

/**
 * The `args` of a job whose task is `T`, in a scheduler that knows the tasks `Tasks`: checked
 * for a function and for a name the scheduler's type knows, JSON for any other name.
 */
export type ArgsFor<Tasks, T> = T extends TaskFunction
  ? TaskArgs<T>
  : T extends keyof Tasks
    ? TaskArgs<Tasks[T]>
    : JsonValue[];

/**
 * Options of `scheduler.addJob()`. Options left out take the scheduler's `jobDefaults`.
 *
 * @typeParam Args - the task's arguments (see {@link ArgsFor})
 */
export interface AddJobOptions<Args = JsonValue[]> {
  /** Unique id. @defaultValue a random UUID */
  id?: string;
  /** Display name. @defaultValue the task name */
  name?: string;
  /**
   * JSON arguments passed to the task before its {@link JobContext}. Checked against the task's
   * parameters when the scheduler's type knows the task. @defaultValue `[]`
   */
  args?: Args;
  /** Seconds a run may start late and still run, at most 31,622,400 (366 days); `null` = no limit. @defaultValue `null` */
  misfireGraceTime?: number | null;
  /** What to do when several run times are due at once. @defaultValue `'latest'` */
  coalesce?: CoalesceOption;
  /** Most runs of this job in flight at once (1 to 100,000); further runs are skipped. @defaultValue `1` */
  maxInstances?: number;
  /** Largest random delay in seconds added to each run, at most 31,622,400 (366 days). @defaultValue the trigger's, or none */
  jitter?: number | null;
  /** Seconds after which a run's signal is aborted and the run fails, at most 31,622,400 (366 days). @defaultValue `null` */
  timeout?: number | null;
  /** The first run time, instead of the trigger's. */
  nextRunTime?: DateInput;
  /** Add the job paused: it does not run until `resumeJob()`. @defaultValue `false` */
  paused?: boolean;
  /** Replace a job with the same id instead of failing with `ConflictingIdError`. */
  replaceExisting?: boolean;
  /** Alias of the executor. @defaultValue `'default'` */
  executor?: string;
  /** Alias of the store. @defaultValue `'default'` */
  store?: string;
  /** Free JSON data for the application. @defaultValue `{}` */
  metadata?: { [key: string]: JsonValue };
}

/**
 * Changes accepted by `scheduler.modifyJob()`. All are validated before any is applied. A new
 * `trigger` recomputes the next run time from now unless `nextRunTime` is given too.
 */
export interface JobChanges {
  /** New display name. */
  name?: string;
  /** New task: a registered name, or (for non-persistent stores) a function. */
  task?: string | TaskFunction;
  /** New arguments. */
  args?: JsonValue[];
  /** New trigger. */
  trigger?: TriggerInput;
  /** New misfire grace time in seconds, at most 31,622,400 (`null` = no limit). */
  misfireGraceTime?: number | null;
  /** New coalescing policy. */
  coalesce?: CoalesceOption;
  /** New limit of runs in flight, 1 to 100,000. */
  maxInstances?: number;
  /** New jitter in seconds, at most 31,622,400 (`null` = the trigger's own, or none). */
  jitter?: number | null;
  /** New timeout in seconds, at most 31,622,400 (`null` = none). */
  timeout?: number | null;
  /** New executor alias. */
  executor?: string;
  /** New next run time (ignored while the job is paused). */
  nextRunTime?: DateInput;
  /** New metadata (replaces the old object). */
  metadata?: { [key: string]: JsonValue };
}

/** The last argument every task receives. */
export interface JobContext {
  /** The job, as it was when the run was submitted. */
  readonly job: Job;
  /** The slot this run is for (not when it actually started). */
  readonly scheduledRunTime: Date;
  /**
   * Aborted when the run times out or the scheduler shuts down with `wait: false`. Pass it to
   * `fetch()` and other abortable calls, or check `signal.aborted` in long loops.
   */
  readonly signal: AbortSignal;
  /** The scheduler running the job. */
  readonly scheduler: Scheduler;
}
