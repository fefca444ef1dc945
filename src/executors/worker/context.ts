/**
 * What a task running in a worker thread receives (types only).
 *
 * @module
 */
import type { AnyTriggerSpec, Job } from 'timetable';

/**
 * A copy of the job a run belongs to, as a task in a worker thread receives it: the job as
 * `scheduler.getJob()` shows it, with the trigger as its JSON spec (a trigger object does not
 * cross threads) and without `paused` and `pending`. `nextRunTime` is the slot being run, for a
 * scheduled run.
 */
export interface WorkerJob extends Omit<Job, 'trigger' | 'paused' | 'pending'> {
  /** The trigger's JSON spec. */
  readonly trigger: AnyTriggerSpec;
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
