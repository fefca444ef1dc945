/**
 * What the built-in executors share: a FIFO queue of submitted runs started on a microtask up to
 * a number of slots, the checks a run must pass when it starts, and waiting for every run to end.
 * It creates no error objects (the worker executor, a separate entry, must throw the core's own
 * error classes), so the callers turn a failed check into their outcome.
 *
 * @internal
 * @module
 */
import { Fifo } from '../internal/fifo.js';
import type { RunOutcome, RunRequest } from './executor.js';

/**
 * A run waiting for a slot: the request, and where its outcome goes. `resolve` is called as a
 * method of the queued run (`queued.resolve(outcome)`), exactly once.
 */
export interface QueuedRun {
  readonly request: RunRequest;
  resolve(outcome: RunOutcome): void;
}

/**
 * The built-in executor's hand-off without a promise: `executor[ENQUEUE](queued)` takes a run
 * as `submit` does and gives its outcome to `queued.resolve`. Only the scheduler uses it, and
 * only where `submit` is the built-in one (see `directHandOff` in `promise.ts`).
 */
export const ENQUEUE: unique symbol = Symbol('timetable.enqueue');

/**
 * Why a run may not start at `now`: `'missed'` past its deadline, `'bad-timeout'` when its
 * `timeoutMs` is not `null` or a finite number >= 0 (arming such a timer would throw out of a
 * microtask and crash the process), or `null` when it may start.
 */
export function startCheck(request: RunRequest, now: number): 'missed' | 'bad-timeout' | null {
  if (request.deadline !== null && now > request.deadline) return 'missed';
  const { timeoutMs } = request;
  if (timeoutMs !== null && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
    return 'bad-timeout';
  }
  return null;
}

/** The queue of one executor; `begin` starts a run in a free slot. */
export class RunQueue {
  /** Whether submissions are taken (between `start` and `shutdown`). */
  accepting = false;
  readonly #queue = new Fifo<QueuedRun>();
  #drainWaiters: (() => void)[] = [];
  #pumpScheduled = false;
  #pumping = false;

  /**
   * @param free - how many more runs may start now
   * @param busy - how many runs hold a slot
   * @param begin - starts one run (it may end synchronously). It may return the clock's reading
   *   taken when the run ended synchronously: the next run of the same pump gets it as `readAt`,
   *   its start (only the queue's bookkeeping happens in between). Else it returns `null`.
   */
  constructor(
    private readonly free: () => number,
    private readonly busy: () => number,
    private readonly begin: (queued: QueuedRun, readAt: number | null) => number | null,
  ) {}

  /** Runs waiting for a slot. */
  get length(): number {
    return this.#queue.length;
  }

  /** Queues a run and resolves with its outcome; it starts on a microtask at the earliest. */
  push(request: RunRequest): Promise<RunOutcome> {
    return new Promise<RunOutcome>((resolve) => this.enqueue({ request, resolve }));
  }

  /** Queues a run whose outcome goes to `queued.resolve`; it starts on a microtask at the earliest. */
  enqueue(queued: QueuedRun): void {
    this.#queue.push(queued);
    // Started on a microtask, so the caller finishes its bookkeeping before the task runs.
    if (!this.#pumpScheduled) {
      this.#pumpScheduled = true;
      queueMicrotask(() => {
        this.#pumpScheduled = false;
        this.pump();
      });
    }
  }

  // Re-entrant calls (a run ending synchronously inside `begin`) return at once and the outer
  // loop takes the freed slot, so a long queue of synchronous tasks cannot overflow the stack.
  /** Starts queued runs while slots are free; then releases drain waiters if all is done. */
  pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    // A reading is passed on only inside this loop: a later pump reads the clock afresh.
    let readAt: number | null = null;
    try {
      while (this.free() > 0) {
        const next = this.#queue.shift();
        if (next === undefined) break;
        readAt = this.begin(next, readAt);
      }
    } finally {
      this.#pumping = false;
    }
    if (this.#queue.length === 0 && this.busy() === 0) this.releaseWaiters();
  }

  /** Ends every queued run as `'cancelled'`. */
  cancelQueued(checkedAt: number): void {
    for (const queued of this.#queue.drain()) queued.resolve({ status: 'cancelled', checkedAt });
  }

  /** Resolves once nothing is queued or running (at once if so already), or on {@link releaseWaiters}. */
  async drained(): Promise<void> {
    if (this.#queue.length === 0 && this.busy() === 0) return;
    await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Releases every {@link drained} waiter (a forced shutdown releases graceful ones too). */
  releaseWaiters(): void {
    for (const release of this.#drainWaiters.splice(0)) release();
  }
}

/**
 * Aborts a run's signal. The outcome is reported regardless, so a throwing abort hook (a
 * scheduler bug) must not crash the process from inside a timer callback.
 */
export function abortQuietly(request: RunRequest, reason: Error): void {
  try {
    request.abort(reason);
  } catch {
    // Nothing to report it to: the run's outcome says what happened.
  }
}
