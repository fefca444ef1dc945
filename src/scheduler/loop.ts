/**
 * The scheduling loop: one timer over the earliest next run time of all stores.
 *
 * Every wake re-reads the wall clock and asks the stores what is due, so long delays (no timer
 * beyond the `maxWait` cap), early wakes, system sleep and clock jumps are all handled by the
 * same path. Next run times come from the scheduled slot (the trigger's previous fire time),
 * never from the wake time, so an early or late wake cannot run a slot twice.
 *
 * @internal
 * @module
 */
import type { ClockTimer } from '../clock/clock.js';
import type { JobRecord, JobRelease, JobStore } from '../stores/job-store.js';
import { IsoMemo } from '../internal/iso-memo.js';
import type { SchedulerContext } from './context.js';
import { jitterDelay, planDueRuns } from './plan.js';
import type { Runner } from './runner.js';

/** Longest timer Node accepts (2^31-1 ms); anything above fires at once. */
const MAX_TIMER = 2 ** 31 - 1;
/** How long a due job stays leased to this scheduler while it is being processed. */
const LEASE_MS = 30_000;
/** Most due jobs taken from a store in one call. */
const BATCH = 1_000;
/** Wait after a store error before trying again. */
const RETRY_MS = 10_000;

/** Arms, fires and re-arms the one timer of a scheduler. */
export class SchedulingLoop {
  #timer: ClockTimer | null = null;
  #busy: Promise<void> | null = null;
  #again = false;
  /** ISO strings of the slots being processed: jobs sharing a slot share its conversions. */
  readonly #iso = new IsoMemo();

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly runner: Runner,
  ) {}

  /** Look at the stores now (after an add, a change or a resume). */
  wakeup(): void {
    if (this.ctx.state !== 'running') return;
    if (this.#busy) this.#again = true;
    else this.#arm(0);
  }

  /** Disarms the timer and resolves once a pass in progress has ended. */
  async stop(): Promise<void> {
    this.#disarm();
    this.#again = false;
    await this.#busy;
  }

  #arm(delayMs: number): void {
    this.#disarm();
    const delay = Math.min(Math.max(0, delayMs), this.ctx.maxWaitMs, MAX_TIMER);
    this.#timer = this.ctx.clock.setTimeout(() => {
      this.#timer = null;
      this.#busy = this.#pass().finally(() => {
        this.#busy = null;
        // A wakeup that came after the pass made its timer decision must not be lost.
        if (this.#again && this.ctx.state === 'running') this.#arm(0);
      });
    }, delay);
  }

  #disarm(): void {
    if (this.#timer !== null) this.ctx.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #pass(): Promise<void> {
    let failed = false;
    do {
      this.#again = false;
      for (const [alias, store] of this.ctx.stores) {
        if (this.ctx.state !== 'running') return;
        failed = !(await this.#processStore(alias, store)) || failed;
      }
    } while (this.#again && this.ctx.state === 'running');
    const next = await this.#earliest();
    if (this.ctx.state !== 'running') return;
    if (this.#again) this.#arm(0);
    else if (failed || next === undefined) this.#arm(RETRY_MS);
    else this.#arm(next === null ? this.ctx.maxWaitMs : next - this.ctx.clock.now());
  }

  /** Processes every due job of one store; `false` if the store failed. */
  async #processStore(alias: string, store: JobStore): Promise<boolean> {
    // Releases wait until every due job has been taken and its runs submitted: the runs of one
    // batch start while the next is acquired, and moving jobs to their next run time (the other
    // half of the work per run) no longer delays the runs of later batches.
    const releases: JobRelease[] = [];
    let released = 0;
    const flush = async (): Promise<void> => {
      while (released < releases.length) {
        const chunk = releases.slice(released, released + BATCH);
        await this.#release(alias, store, chunk);
        released += chunk.length;
      }
    };
    try {
      let flushedAt = this.ctx.clock.now();
      let batch: JobRecord[];
      do {
        const now = this.ctx.clock.now();
        const nowDate = new Date(now);
        batch = await store.acquireDueJobs(nowDate.toISOString(), this.ctx.identity, LEASE_MS, BATCH);
        for (const record of batch) {
          const release = this.#processJob(record, alias, now, nowDate);
          if (release) releases.push(release);
        }
        // A long pass (a slow store, a huge backlog) hands back what it holds well before
        // those leases could expire and let another scheduler run the same slots again.
        if (now - flushedAt >= LEASE_MS / 3) {
          await flush();
          flushedAt = now;
        }
      } while (batch.length === BATCH && this.ctx.state === 'running');
      await flush();
      return true;
    } catch (error) {
      this.ctx.log('error', `job store ${JSON.stringify(alias)} failed; retrying`, error);
      this.ctx.emit('store:error', { alias, error });
      // Jobs whose runs were submitted are handed back even though a later call failed: left to
      // their leases' expiry, they would be taken again and run their slots a second time.
      await flush().catch(() => undefined);
      return false;
    }
  }

  /** Hands jobs back to their store and reports the ones that ended. */
  async #release(alias: string, store: JobStore, releases: JobRelease[]): Promise<void> {
    const removed = await store.releaseJobs(this.ctx.identity, releases);
    if (!Array.isArray(removed)) {
      // A store written against an older contract: it still works, but finished jobs are not reported.
      this.ctx.log('warn', `job store ${JSON.stringify(alias)}: releaseJobs() must return the ids it removed`);
      return;
    }
    for (const id of removed) {
      this.ctx.inlineTasks.delete(id);
      this.ctx.emit('job:removed', { jobId: id, store: alias, reason: 'finished' });
    }
  }

  /**
   * Plans and submits the due runs of one job and says where it goes next. A job whose task or
   * trigger cannot be used is reported and not released: its lease expires and it is retried
   * then, untouched, so the loop never spins on it.
   */
  #processJob(record: JobRecord, store: string, now: number, nowDate: Date): JobRelease | null {
    const acquiredRunTime = record.nextRunTime;
    if (acquiredRunTime === null) return null;
    let plan;
    let fn;
    let delay = 0;
    try {
      const trigger = this.ctx.triggerOf(record);
      fn = this.ctx.taskOf(record);
      plan = planDueRuns(trigger, this.#iso.toMs(acquiredRunTime), now, gracePeriod(record), record.coalesce, nowDate);
      const jitter = record.jitter ?? trigger.jitter ?? null;
      if (plan.runs.length > 0 && typeof jitter === 'number' && jitter > 0) {
        const end = trigger.endDate instanceof Date ? trigger.endDate.getTime() : null;
        delay = jitterDelay(jitter * 1000, now, plan.nextRunTime, end);
      }
    } catch (error) {
      this.ctx.log('error', `job ${JSON.stringify(record.id)} cannot run and is left as it is`, error);
      this.ctx.emit('job:invalid', { jobId: record.id, store, error });
      return null;
    }
    if (plan.skippedBacklog) {
      this.ctx.log('warn', `job ${JSON.stringify(record.id)} had a backlog too long to replay; skipped to the next slot`);
    }
    for (const slot of plan.missed) {
      if (!this.ctx.events.has('job:missed')) break;
      const when = new Date(slot);
      this.ctx.emit('job:missed', { jobId: record.id, store, scheduledRunTime: when, scheduledRunTimes: [when] });
    }
    if (plan.runs.length > 0) this.runner.submit(record, store, fn, plan.runs, delay);
    return { id: record.id, acquiredRunTime, nextRunTime: plan.nextRunTime === null ? null : this.#iso.toIso(plan.nextRunTime) };
  }

  /** The earliest next run time over all stores (epoch ms), `null` if none, `undefined` on error. */
  async #earliest(): Promise<number | null | undefined> {
    let earliest: number | null = null;
    for (const [alias, store] of this.ctx.stores) {
      try {
        const next = await store.getNextRunTime();
        if (next === null) continue;
        const time = Date.parse(next);
        if (earliest === null || time < earliest) earliest = time;
      } catch (error) {
        this.ctx.log('error', `job store ${JSON.stringify(alias)} failed; retrying`, error);
        this.ctx.emit('store:error', { alias, error });
        return undefined;
      }
    }
    return earliest;
  }
}

function gracePeriod(record: JobRecord): number | null {
  return record.misfireGraceTime === null ? null : record.misfireGraceTime * 1000;
}
