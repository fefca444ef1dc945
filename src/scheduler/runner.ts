/**
 * Hands planned runs to executors and turns their outcomes into events. Counts the runs in
 * flight per job (max instances), owns the jitter timers so shutdown can cancel them, and walks
 * coalesce-`'all'` catch-ups one slot at a time.
 *
 * @internal
 * @module
 */
import { ExecutorNotFoundError, JobCancelledError } from '../errors.js';
import type { Executor, RunOutcome } from '../executors/executor.js';
import { directHandOff } from '../executors/promise.js';
import { ENQUEUE } from '../executors/run-queue.js';
import type { JobRecord } from '../stores/job-store.js';
import type { Trigger } from '../triggers/trigger.js';
import { MAX_CATCH_UP } from './backlog.js';
import type { SchedulerContext } from './context.js';
import { nextAfter } from './fire-times.js';
import { JitterWaits } from './jitter-waits.js';
import { currentTarget, type Target } from './current-target.js';
import type { JobSlot } from './job-slots.js';
import type { TaskFunction } from './job.js';
import type { PlannedRun, SlotSpan } from './plan.js';
import { NO_FIELDS, reportError, reportOutcome, reportRun, type RunEventName } from './run-events.js';
import { newGeneration, type Generation, type RunEnd } from './run-end.js';
import { RunTicket, SettledRuns } from './run-ticket.js';

/** Submits runs and reports their outcomes. */
export class Runner {
  #generation: Generation;
  readonly #waits: JitterWaits;
  #abandon: (() => void) | null = null;
  readonly #settled = new SettledRuns((ticket) => this.#reportAndEnd(ticket));

  constructor(private readonly ctx: SchedulerContext) {
    this.#generation = newGeneration(ctx.slots.epoch);
    this.#waits = new JitterWaits(ctx.clock);
  }

  /**
   * Submits one run of a job after `delayMs` of jitter. With the job at `maxInstances`, skips it,
   * emits `job:max-instances` and returns `false`. With `recheck`, a run that waited for its
   * jitter reads the job again first and is dropped if it was removed, paused or given a new
   * trigger meanwhile. `runId`: the run is recorded in a shared store, which already checked
   * `maxInstances` across schedulers; it is ended there when it ends here. `slot`: the job's
   * slot in `ctx.slots`, the one its function `fn` came from.
   */
  submit(
    record: JobRecord,
    store: string,
    fn: TaskFunction | null,
    slot: JobSlot,
    run: PlannedRun,
    delayMs: number,
    recheck = false,
    runId: string | null = null,
  ): boolean {
    const end = this.#start(record, store, slot, run, runId);
    if (end === null) return false;
    // The common case (no jitter) goes straight to the executor, and its count ends when its
    // outcome is reported: at thousands of runs a second each promise and closure matters.
    if (delayMs === 0) this.#hand(record, store, fn, run, 0, end);
    else this.#track(this.#runDelayed({ record, fn }, store, run, delayMs, recheck), end);
    return true;
  }

  /**
   * Submits a coalesce-`'all'` catch-up, every slot of `series` in turn, as one instance. Before
   * each run after the first the job is read again: a removal, a pause or a new trigger stops the
   * series, any other change applies to the runs after it. `recheck: false` for a job whose
   * trigger finished (it is no longer stored).
   */
  submitSeries(
    record: JobRecord,
    store: string,
    fn: TaskFunction | null,
    slot: JobSlot,
    trigger: Trigger,
    series: SlotSpan,
    delayMs: number,
    recheck: boolean,
    runId: string | null = null,
  ): boolean {
    const run: PlannedRun = { scheduledRunTime: series.first, span: series };
    const end = this.#start(record, store, slot, run, runId);
    if (end === null) return false;
    this.#track(this.#runSeries({ record, fn }, store, trigger, series, delayMs, recheck), end);
    return true;
  }

  /** Reports a run a shared store refused because its job had `maxInstances` runs in flight. */
  atLimit(record: JobRecord, store: string, run: PlannedRun): void {
    this.#emit('job:max-instances', record, store, run);
  }

  /** Cancels every run still waiting for its jitter delay. */
  cancelWaits(): void {
    this.#waits.cancelAll();
  }

  /** Resolves when every submitted run has ended, or at once after {@link Runner.abandon}. */
  async drain(): Promise<void> {
    const abandoned = new Promise<void>((resolve) => (this.#abandon = resolve));
    const generation = this.#generation;
    while (generation.running > 0 && this.#abandon !== null) {
      await Promise.race([new Promise<void>((resolve) => generation.idle.push(resolve)), abandoned]);
    }
    this.#abandon = null;
  }

  /**
   * A forced shutdown: stops a {@link Runner.drain} in progress from waiting, ends coalesce-`'all'`
   * catch-ups after their current run, and forgets the runs in flight, so that a task that never
   * settles does not hold its job's instance into the next `start()`.
   */
  abandon(): void {
    this.ctx.runLeases.abandonAll();
    this.#generation.abandoned = true;
    this.ctx.slots.forgetRuns();
    this.#generation = newGeneration(this.ctx.slots.epoch);
    const release = this.#abandon;
    this.#abandon = null;
    release?.();
  }

  /**
   * Counts one instance of the job, or skips it at `maxInstances` (counted here, unless a shared
   * store counted it across schedulers: `runId`) and returns `null`. The returned handle goes to
   * {@link Runner.#end} exactly once, when the run (or series) has ended.
   */
  #start(record: JobRecord, store: string, slot: JobSlot, run: PlannedRun, runId: string | null): RunEnd | null {
    const generation = this.#generation;
    if (!this.ctx.slots.begin(slot, runId === null ? record.maxInstances : Infinity)) {
      this.#emit('job:max-instances', record, store, run);
      return null;
    }
    generation.running++;
    return { generation, slot, jobId: record.id, store, runId };
  }

  /** Ends `end` once `body` settles (it should never reject; if it does, that is logged). */
  #track(body: Promise<void>, end: RunEnd): void {
    body.then(
      () => this.#end(end),
      (error: unknown) => {
        this.ctx.log('error', `runs of job ${JSON.stringify(end.jobId)} failed`, error);
        this.#end(end);
      },
    );
  }

  /** A run counted by {@link Runner.#start} has ended. */
  #end({ generation, slot, store, runId }: RunEnd): void {
    this.ctx.slots.end(slot, generation.epoch);
    // The count drops to zero after every burst of runs; only a drain() in progress waits on it.
    if (--generation.running === 0 && generation.idle.length > 0) {
      for (const resolve of generation.idle.splice(0)) resolve();
    }
    if (runId !== null) this.ctx.runLeases.ended(store, runId);
  }

  /** One run after its jitter delay; cancelled by shutdown, dropped if the job changed meanwhile. */
  async #runDelayed(target: Target, store: string, run: PlannedRun, delayMs: number, recheck: boolean): Promise<void> {
    if (!(await this.#waits.wait(delayMs))) {
      this.#emitError(target.record, store, run, new JobCancelledError(target.record.id), 0);
      return;
    }
    const current = recheck ? await currentTarget(this.ctx, target, store) : target;
    if (current !== null) await this.#runOne(current.record, store, current.fn, run, delayMs);
  }

  async #runSeries(
    target: Target,
    store: string,
    trigger: Trigger,
    series: SlotSpan,
    delayMs: number,
    recheck: boolean,
  ): Promise<void> {
    const generation = this.#generation;
    if (delayMs > 0 && !(await this.#waits.wait(delayMs))) {
      this.#emitError(target.record, store, { scheduledRunTime: series.first, span: series }, new JobCancelledError(target.record.id), 0);
      return;
    }
    let current: Target | null = target;
    let slot: number | null = series.first;
    for (let runs = 0; slot !== null && slot <= series.last; runs++) {
      if (generation.abandoned) return;
      if ((runs > 0 || delayMs > 0) && recheck) current = await currentTarget(this.ctx, target, store);
      if (current === null || generation.abandoned) return;
      if (runs === MAX_CATCH_UP) {
        this.#skipRest(current.record, store, slot, series, runs);
        return;
      }
      await this.#runOne(current.record, store, current.fn, { scheduledRunTime: slot, span: null }, delayMs);
      try {
        slot = nextAfter(trigger, slot, new Date(this.ctx.clock.now()));
      } catch (error) {
        this.ctx.log('error', `job ${JSON.stringify(target.record.id)}: its trigger failed during a catch-up; the rest is skipped`, error);
        return;
      }
    }
  }

  /** Reports the slots of a series past {@link MAX_CATCH_UP} as missed, in one event. */
  #skipRest(record: JobRecord, store: string, from: number, series: SlotSpan, done: number): void {
    this.ctx.log('warn', `job ${JSON.stringify(record.id)} had a catch-up of more than ${MAX_CATCH_UP} runs; the rest is skipped`);
    const count = series.count === null ? null : series.count - done;
    const rest: SlotSpan = { first: from, last: series.last, count, listed: null };
    this.#emit('job:missed', record, store, { scheduledRunTime: from, span: rest });
  }

  /** Submits one run now (its jitter `delayMs`, if any, already waited); settles once it was reported. */
  #runOne(record: JobRecord, store: string, fn: TaskFunction | null, run: PlannedRun, delayMs = 0): Promise<void> {
    return new Promise((resolve) => {
      const ticket = this.#hand(record, store, fn, run, delayMs, null);
      if (ticket === null) resolve();
      else ticket.reported = resolve;
    });
  }

  /**
   * Hands one run to its executor; it is reported when it ends, and then `end`, if given, is
   * ended. Returns the run, or `null` when its executor does not exist (reported at once).
   */
  #hand(
    record: JobRecord,
    store: string,
    fn: TaskFunction | null,
    run: PlannedRun,
    delayMs: number,
    end: RunEnd | null,
  ): RunTicket | null {
    const executor = this.ctx.executors.get(record.executor);
    if (!executor) {
      this.#emitError(record, store, run, new ExecutorNotFoundError(record.executor), 0);
      if (end !== null) this.#end(end);
      return null;
    }
    this.#emit('job:submitted', record, store, run);
    const ticket = new RunTicket(this.ctx, this.#settled, record, store, fn, run, delayMs, end);
    const direct = directHandOff(executor);
    if (direct !== null) direct[ENQUEUE](ticket);
    else this.#submitTo(executor, ticket);
    return ticket;
  }

  /** Submits to an executor of another kind, through the promise of the `Executor` contract. */
  #submitTo(executor: Executor, ticket: RunTicket): void {
    let outcome: Promise<RunOutcome>;
    try {
      // Promise.resolve: an executor that breaks the contract with a plain value or a thenable
      // still ends up reported (a native promise passes through as itself).
      outcome = Promise.resolve(executor.submit(ticket.detached()));
    } catch (error) {
      outcome = Promise.reject(error as Error);
    }
    outcome.then(
      (result) => ticket.resolve(result),
      (error: unknown) => ticket.resolve(this.#rejected(error)),
    );
  }

  /**
   * Reports a run's outcome, then ends its count and wakes whoever awaits it. Never throws: a
   * failed report must not keep the run counted forever.
   */
  #reportAndEnd(ticket: RunTicket): void {
    const { record, store, run, end } = ticket;
    try {
      reportOutcome(this.ctx, record, store, run, ticket.outcome as RunOutcome);
    } catch (error) {
      this.ctx.log('error', `runs of job ${JSON.stringify(record.id)} failed`, error);
    }
    if (end !== null) this.#end(end);
    ticket.reported?.();
  }

  /** An executor must never reject or throw; one that does is reported as the run's error. */
  #rejected(error: unknown): RunOutcome {
    const now = this.ctx.clock.now();
    return { status: 'error', error, startedAt: now, finishedAt: now };
  }

  #emitError(record: JobRecord, store: string, run: PlannedRun, error: unknown, durationMs: number): void {
    reportError(this.ctx, record.id, store, run, error, durationMs);
  }

  #emit(name: RunEventName, record: JobRecord, store: string, run: PlannedRun): void {
    reportRun(this.ctx, name, record.id, store, run, NO_FIELDS);
  }
}
