/**
 * The {@link JobContext} a task receives, built lazily: most tasks never read the job view or
 * the signal, and at 10,000 runs a second their allocations are the scheduler's main cost.
 *
 * @internal
 * @module
 */
import type { JobRecord } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';
import type { JsonValue } from '../json.js';
import type { Job, JobContext, TaskFunction } from './job.js';
import type { Scheduler } from './scheduler.js';

/** One run's context; `abort()` is the executor's handle on its signal. */
export class RunContext implements JobContext {
  #job: Job | null = null;
  #scheduledRunTime: Date | null = null;
  #controller: AbortController | null = null;
  readonly #fn: TaskFunction | null;
  readonly #args: readonly JsonValue[];

  /**
   * @param fn - the task, `null` to look it up when called (a job whose executor runs tasks by
   *   name elsewhere has none here, and such an executor never calls it)
   * @param args - the task's own copy of the job's arguments
   */
  constructor(
    private readonly ctx: SchedulerContext,
    private readonly record: JobRecord,
    private readonly store: string,
    private readonly slot: number,
    fn: TaskFunction | null,
    args: readonly JsonValue[],
  ) {
    this.#fn = fn;
    this.#args = args;
  }

  /** @inheritDoc */
  get job(): Job {
    return (this.#job ??= this.ctx.toJob(this.record, this.store));
  }

  /** @inheritDoc */
  get scheduledRunTime(): Date {
    return (this.#scheduledRunTime ??= new Date(this.slot));
  }

  /** @inheritDoc */
  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal;
  }

  /**
   * The scheduler running the job. Reading it marks the rest of the current synchronous code
   * as called from this run, so `await context.scheduler.shutdown()` does not wait for the
   * very run that awaits it.
   */
  get scheduler(): Scheduler {
    this.ctx.markCallerRun(this);
    return this.ctx.scheduler;
  }

  /**
   * Calls the task with its arguments and this context. The synchronous part of the call counts
   * as called from this run (see {@link RunContext.scheduler}), so a task that calls
   * `shutdown()` through its own reference to the scheduler before its first `await` is
   * recognized too.
   */
  call(): unknown {
    const fn = this.#fn ?? this.ctx.localTask(this.record);
    const args = this.#args;
    const previous = this.ctx.enterCallerRun(this);
    try {
      // Most jobs have no arguments: calling without a spread saves an array per run.
      return args.length === 0 ? fn(this) : fn(...args, this);
    } finally {
      this.ctx.leaveCallerRun(previous);
    }
  }

  /** Aborts the signal (creating it if the task has not asked for it yet). */
  abort(reason: Error): void {
    (this.#controller ??= new AbortController()).abort(reason);
  }
}
