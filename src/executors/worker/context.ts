/**
 * What a task running in a worker thread receives (types only).
 *
 * @module
 */
import type { CoalescePolicy, JsonValue, TriggerSpec } from 'timetable';

/**
 * A copy of the job a run belongs to, as a task in a worker thread receives it: the stored
 * record's fields, with the trigger as its JSON spec (a trigger object does not cross threads)
 * and `nextRunTime` as a `Date`.
 */
export interface WorkerJob {
  /** The job id. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** The task name (an export of the executor's task module). */
  readonly task: string;
  /** The job's arguments (the task received them spread before the context). */
  readonly args: readonly JsonValue[];
  /** The trigger's JSON spec. */
  readonly trigger: TriggerSpec;
  /** Alias of the executor running the job. */
  readonly executor: string;
  /** Alias of the store the job is in. */
  readonly store: string;
  /** Seconds a run may start late; `null` = no limit. */
  readonly misfireGraceTime: number | null;
  /** What to do when several run times are due at once. */
  readonly coalesce: CoalescePolicy;
  /** Most runs in flight at once. */
  readonly maxInstances: number;
  /** Largest random delay in seconds added to each run. */
  readonly jitter: number | null;
  /** Seconds after which the run's signal aborts. */
  readonly timeout: number | null;
  /** The job's next run time when the run was planned (the slot being run, for a scheduled run). */
  readonly nextRunTime: Date | null;
  /** The job's free JSON data. */
  readonly metadata: { readonly [key: string]: JsonValue };
}

/**
 * The last argument of a task run by a {@link WorkerExecutor}, after the job's arguments:
 * `export function report(month: string, context: WorkerJobContext) { ... }`.
 */
export interface WorkerJobContext {
  /** A copy of the job. */
  readonly job: WorkerJob;
  /** The slot this run is for. */
  readonly scheduledRunTime: Date;
  /**
   * Aborts at the job's `timeout` (its reason an Error named `JobTimeoutError`, code
   * `ERR_JOB_TIMEOUT`). A task that does not stop is ended with its worker thread `killAfter`
   * seconds later.
   */
  readonly signal: AbortSignal;
}
