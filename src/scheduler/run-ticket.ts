/**
 * One run on its way through an executor, as one object: the request the executor performs, the
 * entry the built-in executor queues, and where the outcome goes. At thousands of runs a second
 * the promise per run, its closures and the separate request and queue objects this replaces
 * were a quarter of what the scheduler allocated.
 *
 * @internal
 * @module
 */
import type { RunOutcome, RunRequest } from '../executors/executor.js';
import type { QueuedRun } from '../executors/run-queue.js';
import type { JsonValue } from '../json.js';
import type { JobRecord } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';
import type { TaskFunction } from './job.js';
import type { PlannedRun } from './plan.js';
import { RunContext } from './run-context.js';
import type { RunEnd } from './run-end.js';

/** Arguments of a job without any: never handed to the task itself, so they can be shared. */
const NO_ARGS: readonly JsonValue[] = [];

/**
 * A run handed to an executor. The built-in executor calls its methods as methods; an executor
 * of any other kind gets {@link RunTicket.detached}, whose `call` and `abort` are plain functions.
 */
export class RunTicket implements RunRequest, QueuedRun {
  /** The outcome, once the executor gave it. */
  outcome: RunOutcome | null = null;
  /** Called once the outcome was reported (a caller that awaits the run), or `null`. */
  reported: (() => void) | null = null;
  readonly #context: RunContext;
  /** The jitter the run already waited (it moves the deadline). */
  readonly #delayMs: number;

  /**
   * @param fn - the task, or `null` for an executor that runs tasks by name elsewhere
   * @param delayMs - the jitter the run already waited (it moves the deadline)
   * @param end - what the runner ends when the run has been reported
   */
  constructor(
    ctx: SchedulerContext,
    private readonly settled: SettledRuns,
    readonly record: JobRecord,
    readonly store: string,
    fn: TaskFunction | null,
    readonly run: PlannedRun,
    delayMs: number,
    readonly end: RunEnd | null,
  ) {
    this.#delayMs = delayMs;
    // Tasks get their own copy of the arguments: a task that mutates them must not change the
    // stored job.
    const args = record.args.length === 0 ? NO_ARGS : (structuredClone(record.args) as JsonValue[]);
    this.#context = new RunContext(ctx, record, store, run.scheduledRunTime, fn, args);
  }

  // The request's fields are read from the record when asked (mostly once per run): at
  // thousands of runs a second each field a ticket need not carry is memory it need not clear.

  /** @inheritDoc */
  get jobId(): string {
    return this.record.id;
  }

  /** @inheritDoc */
  get task(): string {
    return this.record.task;
  }

  /** @inheritDoc */
  get args(): readonly JsonValue[] {
    return this.record.args;
  }

  /** @inheritDoc */
  get deadline(): number | null {
    const grace = this.record.misfireGraceTime;
    return grace === null ? null : this.run.scheduledRunTime + grace * 1000 + this.#delayMs;
  }

  /** @inheritDoc */
  get timeoutMs(): number | null {
    const { timeout } = this.record;
    return timeout === null ? null : timeout * 1000;
  }

  /** The run itself is the request (the built-in executor's queue entry). */
  get request(): RunRequest {
    return this;
  }

  /** @inheritDoc */
  get scheduledRunTime(): number {
    return this.run.scheduledRunTime;
  }

  /** @inheritDoc */
  call(): unknown {
    return this.#context.call();
  }

  /** @inheritDoc */
  abort(reason: Error): void {
    this.#context.abort(reason);
  }

  /** Takes the executor's outcome (the first one only); it is reported on a later microtask. */
  resolve(outcome: RunOutcome): void {
    if (this.outcome !== null) return;
    this.outcome = outcome;
    this.settled.add(this);
  }

  /** The request as a plain object, for executors that may call `call` and `abort` unbound. */
  detached(): RunRequest {
    const { jobId, task, args, record, store, scheduledRunTime, deadline, timeoutMs } = this;
    return {
      jobId, task, args, record, store, scheduledRunTime, deadline, timeoutMs,
      call: () => this.call(),
      abort: (reason) => this.abort(reason),
    };
  }
}

/**
 * Runs whose outcome came in, reported together on one microtask. Reports never run inside an
 * executor's own code (as with a promise per run), without a microtask per run.
 */
export class SettledRuns {
  #tickets: RunTicket[] = [];
  #queued = false;

  /** @param report - reports one settled run; it should not throw */
  constructor(private readonly report: (ticket: RunTicket) => void) {}

  /** Queues a settled run for reporting. */
  add(ticket: RunTicket): void {
    this.#tickets.push(ticket);
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => this.#drain());
  }

  #drain(): void {
    // Runs that settle while these are reported (a listener's doing) join this same loop.
    const tickets = this.#tickets;
    let i = 0;
    try {
      for (; i < tickets.length; i++) this.report(tickets[i] as RunTicket);
    } finally {
      this.#tickets = [];
      this.#queued = false;
      // A report that threw (a bug) must not strand the runs after it.
      for (const ticket of tickets.slice(i + 1)) this.add(ticket);
    }
  }
}
