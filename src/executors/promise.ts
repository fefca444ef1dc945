/**
 * The default executor: runs tasks in this process as promises, with a concurrency limit.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { LongTimer } from '../clock/long-timer.js';
import { InvalidArgumentError, JobCancelledError, JobTimeoutError } from '../errors.js';
import { checkBoolean, checkInteger, checkOptions } from '../internal/validate.js';
import type { Executor, ExecutorContext, RunOutcome, RunRequest } from './executor.js';
import { abortQuietly, ENQUEUE, RunQueue, startCheck, type QueuedRun } from './run-queue.js';

/** Options of {@link PromiseExecutor}. */
export interface PromiseExecutorOptions {
  /**
   * How many runs may be in flight at once; further runs wait in a FIFO queue.
   *
   * @defaultValue 100
   */
  concurrency?: number;
}

/** A run holding a slot; it keeps the clock its timer was armed on, in case start() swaps it. */
interface Active {
  readonly request: RunRequest;
  /** Where the outcome goes. */
  readonly queued: QueuedRun;
  readonly clock: Clock;
  readonly startedAt: number;
  timer: LongTimer | null;
  ended: boolean;
}

/**
 * Runs tasks in-process: each run calls the task and awaits its promise, at most `concurrency`
 * at a time, the rest queued first-in first-out.
 *
 * A task that never settles keeps its slot until it does, its timeout fires, or a forced
 * shutdown abandons it; give such jobs a `timeout`, which aborts the task's signal and frees
 * the slot at once. Such a task never blocks the other slots and, as the executor holds no timer
 * for it, never keeps the process alive.
 */
export class PromiseExecutor implements Executor {
  /** The concurrency limit this executor was created with. */
  readonly concurrency: number;
  #clock: Clock | null = null;
  readonly #running = new Set<Active>();
  readonly #queue = new RunQueue(
    () => this.concurrency - this.#running.size,
    () => this.#running.size,
    (queued, readAt) => this.#begin(queued, readAt),
  );

  /**
   * @param options - `concurrency`
   * @throws InvalidArgumentError for an unknown option or a concurrency that is not an integer >= 1
   */
  constructor(options: PromiseExecutorOptions = {}) {
    const checked = checkOptions(options, 'options', ['concurrency']);
    this.concurrency =
      checked['concurrency'] === undefined ? 100 : checkInteger(checked['concurrency'], 'options.concurrency', 1);
  }

  /**
   * Starts (or restarts after a shutdown) accepting runs, timed by the scheduler's clock.
   *
   * @param context - the scheduler's clock and this executor's alias
   * @throws InvalidArgumentError when `context.clock` is not a clock
   */
  start(context: ExecutorContext): void {
    // Checked here: a bad clock would otherwise first fail inside a microtask, out of reach.
    if (typeof context?.clock?.now !== 'function' || typeof context.clock.setTimeout !== 'function') {
      throw new InvalidArgumentError('context.clock', context?.clock, 'a Clock');
    }
    this.#clock = context.clock;
    this.#queue.accepting = true;
  }

  /**
   * Queues one run and resolves with how it ended. Never rejects: a task's throw or rejection is
   * an `'error'` outcome; a run that cannot start before its deadline is `'missed'`; a run
   * submitted before `start` or after `shutdown` is `'cancelled'`. The task is never called
   * synchronously inside `submit`.
   *
   * @param request - the run to perform
   */
  submit(request: RunRequest): Promise<RunOutcome> {
    return new Promise<RunOutcome>((resolve) => this[ENQUEUE]({ request, resolve }));
  }

  /**
   * As {@link PromiseExecutor.submit}, with the outcome given to `queued.resolve` (at once for a
   * run refused as `'cancelled'`) instead of a promise: a scheduler's runs skip a promise each.
   *
   * @internal
   */
  [ENQUEUE](queued: QueuedRun): void {
    if (!this.#queue.accepting || this.#clock === null) queued.resolve({ status: 'cancelled', checkedAt: this.#now() });
    else this.#queue.enqueue(queued);
  }

  /**
   * Stops accepting runs. With `wait: true`, queued runs still start (or miss their deadline)
   * and the promise resolves once every run has ended. With `wait: false`, queued runs end as
   * `'cancelled'`; running runs have their signal aborted with a `JobCancelledError`, their
   * timeouts cleared, and end at once as `'cancelled'` with their `startedAt`, freeing their
   * slots: a task that never settles must not hold a slot into the next `start()`. What such a
   * task does later is ignored. Either way no timer of the executor is left behind.
   *
   * @param options - `wait`: whether to wait for queued and running runs
   */
  async shutdown(options: { wait: boolean }): Promise<void> {
    const wait = checkBoolean(checkOptions(options, 'options', ['wait'])['wait'], 'options.wait');
    this.#queue.accepting = false;
    if (wait) return this.#queue.drained();
    const checkedAt = this.#now();
    this.#queue.cancelQueued(checkedAt);
    for (const active of [...this.#running]) {
      abortQuietly(active.request, new JobCancelledError(active.request.jobId));
      this.#end(active, { status: 'cancelled', checkedAt, startedAt: active.startedAt });
    }
    // A forced shutdown also releases earlier graceful ones still waiting for these runs.
    this.#queue.releaseWaiters();
  }

  #now(): number {
    return this.#clock === null ? Date.now() : this.#clock.now();
  }

  /**
   * Starts one run. Returns the clock's reading when the run ended inside its call (else `null`),
   * which the queue hands to the next run it starts in the same pump as `readAt`: nothing but
   * this executor's bookkeeping ran since (outcomes are reported on a later microtask), so that
   * reading is the next run's start. A burst of quick tasks reads the clock once per run, not twice.
   */
  #begin(queued: QueuedRun, readAt: number | null): number | null {
    const { request } = queued;
    const clock = this.#clock as Clock;
    const startedAt = readAt ?? clock.now();
    const problem = startCheck(request, startedAt);
    if (problem !== null) {
      queued.resolve(refused(problem, request, startedAt));
      return startedAt;
    }
    const { timeoutMs } = request;
    // A run is tracked (for its timeout, a forced shutdown and the concurrency limit) from its
    // start when it has a timeout, otherwise only once its task returned a promise: a task that
    // returns at once needs no bookkeeping, and most scheduled tasks are such or start async work.
    let active: Active | null = null;
    if (timeoutMs !== null) {
      active = this.#track(queued, clock, startedAt);
      this.#armTimeout(active, timeoutMs);
    }
    let result: unknown;
    try {
      result = request.call();
      if (!isThenable(result)) {
        const finishedAt = clock.now();
        this.#settle(active, queued, { status: 'success', returnValue: result, startedAt, finishedAt });
        return finishedAt;
      }
    } catch (error) {
      const finishedAt = clock.now();
      this.#settle(active, queued, { status: 'error', error, startedAt, finishedAt });
      return finishedAt;
    }
    const running = active ?? this.#track(queued, clock, startedAt);
    // Both handlers are attached, so a task that rejects after its timeout or a cancellation
    // never becomes an unhandled rejection; #end ignores outcomes of runs that already ended.
    new Promise<unknown>((settle) => settle(result)).then(
      (returnValue) => this.#end(running, { status: 'success', returnValue, startedAt, finishedAt: clock.now() }),
      (error: unknown) => this.#end(running, { status: 'error', error, startedAt, finishedAt: clock.now() }),
    );
    return null;
  }

  #track(queued: QueuedRun, clock: Clock, startedAt: number): Active {
    const active: Active = { request: queued.request, queued, clock, startedAt, timer: null, ended: false };
    this.#running.add(active);
    return active;
  }

  /** Ends a run that finished inside its call: tracked ones through #end, others directly. */
  #settle(active: Active | null, queued: QueuedRun, outcome: RunOutcome): void {
    if (active === null) queued.resolve(outcome);
    else this.#end(active, outcome);
  }

  /** Aborts the run and ends it as `'timeout'` after `timeoutMs`. */
  #armTimeout(active: Active, timeoutMs: number): void {
    active.timer = new LongTimer(active.clock, timeoutMs, () => {
      active.timer = null;
      const { jobId } = active.request;
      abortQuietly(active.request, new JobTimeoutError(jobId, timeoutMs / 1000));
      this.#end(active, { status: 'timeout', startedAt: active.startedAt, finishedAt: active.clock.now() });
    });
  }

  #end(active: Active, outcome: RunOutcome): void {
    if (active.ended) return;
    active.ended = true;
    active.timer?.cancel();
    active.timer = null;
    this.#running.delete(active);
    active.queued.resolve(outcome);
    this.#queue.pump();
  }
}

/**
 * `executor` when it is a {@link PromiseExecutor} whose `submit` is the built-in one (a subclass
 * or a spy that replaces `submit` must see every run), else `null`.
 *
 * @internal
 */
export function directHandOff(executor: Executor): PromiseExecutor | null {
  return executor instanceof PromiseExecutor && executor.submit === PromiseExecutor.prototype.submit ? executor : null;
}

/** The outcome of a run that failed its start check. */
function refused(problem: 'missed' | 'bad-timeout', request: RunRequest, now: number): RunOutcome {
  if (problem === 'missed') return { status: 'missed', checkedAt: now };
  const error = new InvalidArgumentError('request.timeoutMs', request.timeoutMs, 'null or a finite number >= 0');
  return { status: 'error', error, startedAt: now, finishedAt: now };
}

/** Is `value` promise-like? A throwing `then` getter propagates, making the run an error. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  const object = (typeof value === 'object' && value !== null) || typeof value === 'function';
  return object && typeof (value as { then?: unknown }).then === 'function';
}
