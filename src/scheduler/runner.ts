/**
 * Hands planned runs to executors and turns their outcomes into events. Counts the runs in
 * flight per job (max instances) and owns the jitter timers, so shutdown can cancel them.
 *
 * @internal
 * @module
 */
import type { ClockTimer } from '../clock/clock.js';
import { ExecutorNotFoundError, JobCancelledError, JobTimeoutError } from '../errors.js';
import type { RunOutcome, RunRequest } from '../executors/executor.js';
import type { JobRecord } from '../stores/job-store.js';
import type { JsonValue } from '../json.js';
import type { SchedulerContext } from './context.js';
import type { TaskFunction } from './job.js';
import { RunContext } from './run-context.js';
import type { PlannedRun } from './plan.js';

/** Arguments of a job without any: spread into the call, never handed to the task itself. */
const NO_ARGS: readonly JsonValue[] = [];

/** Longest timer Node accepts. */
const MAX_TIMER = 2 ** 31 - 1;

interface JitterWait {
  timer: ClockTimer;
  resolve: (started: boolean) => void;
}

/** Submits runs and reports their outcomes. */
export class Runner {
  readonly #instances = new Map<string, number>();
  readonly #waits = new Set<JitterWait>();
  readonly #batches = new Set<Promise<void>>();
  #abandon: (() => void) | null = null;

  constructor(private readonly ctx: SchedulerContext) {}

  /** Runs of `jobId` in flight (including ones waiting for their jitter delay). */
  inFlight(jobId: string): number {
    return this.#instances.get(jobId) ?? 0;
  }

  /**
   * Submits `runs` of a job as one instance, after `delayMs` of jitter. With the job at
   * `maxInstances`, skips them, emits `job:max-instances` and returns `false`.
   */
  submit(record: JobRecord, store: string, fn: TaskFunction, runs: PlannedRun[], delayMs: number): boolean {
    const running = this.inFlight(record.id);
    if (running >= record.maxInstances) {
      for (const run of runs) this.#emitRun('job:max-instances', record, store, run);
      return false;
    }
    this.#instances.set(record.id, running + 1);
    const run = runs[0];
    // The common case (one run, no jitter) goes straight to the executor: one promise per run
    // instead of an async batch and its handlers, which at thousands of runs a second matters.
    const batch =
      runs.length === 1 && run !== undefined && delayMs === 0
        ? this.#runOne(record, store, fn, run)
        : this.#runBatch(record, store, fn, runs, delayMs);
    this.#batches.add(batch);
    const done = (): void => {
      const left = this.inFlight(record.id) - 1;
      if (left > 0) this.#instances.set(record.id, left);
      else this.#instances.delete(record.id);
      this.#batches.delete(batch);
    };
    batch.then(done, (error: unknown) => {
      this.ctx.log('error', `runs of job ${JSON.stringify(record.id)} failed`, error);
      done();
    });
    return true;
  }

  /** Cancels every run still waiting for its jitter delay. */
  cancelWaits(): void {
    for (const wait of this.#waits) {
      if (wait.timer !== null) this.ctx.clock.clearTimeout(wait.timer);
      wait.resolve(false);
    }
    this.#waits.clear();
  }

  /** Resolves when every submitted batch has ended, or at once after {@link Runner.abandon}. */
  async drain(): Promise<void> {
    const abandoned = new Promise<void>((resolve) => (this.#abandon = resolve));
    while (this.#batches.size > 0 && this.#abandon !== null) {
      await Promise.race([Promise.allSettled([...this.#batches]), abandoned]);
    }
    this.#abandon = null;
  }

  /** Stops a {@link Runner.drain} in progress from waiting (a forced shutdown). */
  abandon(): void {
    const release = this.#abandon;
    this.#abandon = null;
    release?.();
  }

  async #runBatch(record: JobRecord, store: string, fn: TaskFunction, runs: PlannedRun[], delayMs: number) {
    if (delayMs > 0 && !(await this.#wait(delayMs))) {
      for (const run of runs) this.#emitError(record, store, run, new JobCancelledError(record.id), 0);
      return;
    }
    // One after another, as one instance.
    for (const run of runs) await this.#runOne(record, store, fn, run, delayMs);
  }

  /**
   * Submits one run now (its jitter `delayMs`, if any, already waited); the promise settles
   * (never rejects) when it ends.
   */
  #runOne(record: JobRecord, store: string, fn: TaskFunction, run: PlannedRun, delayMs = 0): Promise<void> {
    const executor = this.ctx.executors.get(record.executor);
    if (!executor) {
      this.#emitError(record, store, run, new ExecutorNotFoundError(record.executor), 0);
      return Promise.resolve();
    }
    this.#emitRun('job:submitted', record, store, run);
    let outcome: Promise<RunOutcome>;
    try {
      // Promise.resolve: an executor that breaks the contract with a plain value or a thenable
      // still ends up in #report (a native promise passes through as itself).
      outcome = Promise.resolve(executor.submit(this.#request(record, store, fn, run, delayMs)));
    } catch (error) {
      outcome = Promise.reject(error as Error);
    }
    return outcome.then(
      (result) => this.#report(record, store, run, result),
      (error: unknown) => this.#report(record, store, run, this.#rejected(error)),
    );
  }

  /** What the executor runs for one slot of a job. */
  #request(record: JobRecord, store: string, fn: TaskFunction, run: PlannedRun, delayMs: number): RunRequest {
    // Tasks get their own copy of the arguments: a task that mutates them must not change the
    // stored job.
    const args = record.args.length === 0 ? NO_ARGS : (structuredClone(record.args) as JsonValue[]);
    const context = new RunContext(this.ctx, record, store, run.scheduledRunTime);
    return {
      jobId: record.id,
      task: record.task,
      args: record.args,
      scheduledRunTime: run.scheduledRunTime,
      call: () => fn(...args, context),
      abort: (reason) => context.abort(reason),
      deadline:
        record.misfireGraceTime === null ? null : run.scheduledRunTime + record.misfireGraceTime * 1000 + delayMs,
      timeoutMs: record.timeout === null ? null : record.timeout * 1000,
    };
  }

  /** An executor must never reject or throw; one that does is reported as the run's error. */
  #rejected(error: unknown): RunOutcome {
    const now = this.ctx.clock.now();
    return { status: 'error', error, startedAt: now, finishedAt: now };
  }

  #report(record: JobRecord, store: string, run: PlannedRun, outcome: RunOutcome): void {
    switch (outcome.status) {
      case 'success':
        if (!this.ctx.events.has('job:executed')) return;
        this.ctx.emit('job:executed', {
          ...this.#runFields(record, store, run),
          returnValue: outcome.returnValue,
          durationMs: outcome.finishedAt - outcome.startedAt,
        });
        return;
      case 'error':
        this.#emitError(record, store, run, outcome.error, outcome.finishedAt - outcome.startedAt);
        return;
      case 'timeout':
        this.#emitError(
          record, store, run, new JobTimeoutError(record.id, record.timeout ?? 0), outcome.finishedAt - outcome.startedAt,
        );
        return;
      case 'missed':
        this.#emitRun('job:missed', record, store, run);
        return;
      case 'cancelled':
        this.#emitError(record, store, run, new JobCancelledError(record.id), 0);
    }
  }

  #emitError(record: JobRecord, store: string, run: PlannedRun, error: unknown, durationMs: number): void {
    if (!this.ctx.events.has('job:error')) return;
    this.ctx.emit('job:error', { ...this.#runFields(record, store, run), error, durationMs });
  }

  #emitRun(name: 'job:submitted' | 'job:missed' | 'job:max-instances', record: JobRecord, store: string, run: PlannedRun) {
    // Building the payload costs allocations on the hot path; skip it when nobody listens.
    if (!this.ctx.events.has(name)) return;
    this.ctx.emit(name, this.#runFields(record, store, run));
  }

  #runFields(record: JobRecord, store: string, run: PlannedRun) {
    return {
      jobId: record.id,
      store,
      scheduledRunTime: new Date(run.scheduledRunTime),
      scheduledRunTimes: run.scheduledRunTimes.map((time) => new Date(time)),
    };
  }

  /** Waits `delayMs` in steps no timer can overflow (2^31-1 ms); `false` if cancelled. */
  #wait(delayMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wait: JitterWait = { timer: null, resolve };
      let left = delayMs;
      const step = (): void => {
        if (left <= 0) {
          this.#waits.delete(wait);
          resolve(true);
          return;
        }
        const chunk = Math.min(left, MAX_TIMER);
        left -= chunk;
        wait.timer = this.ctx.clock.setTimeout(step, chunk);
      };
      this.#waits.add(wait);
      step();
    });
  }
}

