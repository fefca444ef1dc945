/**
 * The scheduling loop: one timer over the earliest next run time of all stores.
 *
 * Every wake re-reads the wall clock and asks the stores what is due, so long delays (no timer
 * beyond the `maxWait` cap), early wakes, system sleep and clock jumps are all handled by the
 * same path. Next run times come from the scheduled slot (the trigger's previous fire time),
 * never from the wake time, so an early or late wake cannot run a slot twice.
 *
 * Leases: each pass takes due jobs under a lease owner of its own (`<identity>#<pass>`) and
 * hands every one back before the lease could expire, measured on the clock after every job, not
 * only between batches. A store never hands a job back to the owner still holding it (see
 * `JobStore.acquireDueJobs`), so even a pass that overran its leases cannot take the same slot
 * twice; another scheduler takes a job over only once its lease has really expired.
 *
 * @internal
 * @module
 */
import type { ClockTimer } from '../clock/clock.js';
import type { JobRecord, JobRelease, JobStore } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';
import { DueJobs } from './due-job.js';
import type { Runner } from './runner.js';

/** Longest timer Node accepts (2^31-1 ms); anything above fires at once. */
const MAX_TIMER = 2 ** 31 - 1;
/** How long a due job stays leased to this scheduler while it is being processed. */
export const LEASE_MS = 30_000;
/** A pass hands back what it holds once its oldest lease is this old: a third of the lease. */
const HAND_BACK_MS = LEASE_MS / 3;
/** Most due jobs taken from a store in one call. */
const BATCH = 1_000;
/** Wait after a store error before trying again. */
const RETRY_MS = 10_000;
/** Work (jobs and trigger calls) after which a long pass lets the event loop run. */
const YIELD_AFTER = 20_000;

/** Releases a store failed to take, retried before the next acquisition from it. */
interface Unreleased {
  readonly owner: string;
  readonly releases: JobRelease[];
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Arms, fires and re-arms the one timer of a scheduler. */
export class SchedulingLoop {
  #timer: ClockTimer | null = null;
  #busy: Promise<void> | null = null;
  #again = false;
  /** Counts passes: each takes its leases under its own owner name. */
  #passes = 0;
  /** Work done since the pass last yielded to the event loop. */
  #work = 0;
  readonly #unreleased = new Map<string, Unreleased[]>();
  readonly #jobs: DueJobs;

  constructor(
    private readonly ctx: SchedulerContext,
    runner: Runner,
  ) {
    this.#jobs = new DueJobs(ctx, runner);
  }

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
    const owner = `${this.ctx.identity}#${++this.#passes}`;
    this.#work = 0;
    let failed = false;
    do {
      this.#again = false;
      for (const [alias, store] of this.ctx.stores) {
        if (this.ctx.state !== 'running') return;
        failed = !(await this.#processStore(alias, store, owner)) || failed;
      }
    } while (this.#again && this.ctx.state === 'running');
    const next = await this.#earliest();
    if (this.ctx.state !== 'running') return;
    if (this.#again) this.#arm(0);
    else if (failed || next === undefined) this.#arm(RETRY_MS);
    else this.#arm(next === null ? this.ctx.maxWaitMs : next - this.ctx.clock.now());
  }

  /** Processes every due job of one store; `false` if the store failed. */
  async #processStore(alias: string, store: JobStore, owner: string): Promise<boolean> {
    // Releases wait until the jobs taken so far have had their runs submitted: the runs of one
    // batch start while the next is acquired, and moving jobs to their next run time (the other
    // half of the work per run) does not delay the runs of later batches. They are sent once the
    // oldest of them has waited a third of the lease. Ages count from when a batch arrived, so
    // a slow store call cannot keep a pass from ever processing anything.
    const releases: JobRelease[] = [];
    let oldestPending: number | null = null;
    const flush = async (): Promise<void> => {
      oldestPending = null;
      while (releases.length > 0) {
        const chunk = releases.slice(0, BATCH);
        await this.#release(alias, store, owner, chunk);
        releases.splice(0, chunk.length);
      }
    };
    try {
      await this.#retryReleases(alias, store);
      let batch: JobRecord[];
      let handedBack = false;
      do {
        const now = this.ctx.clock.now();
        const nowDate = new Date(now);
        batch = await store.acquireDueJobs(nowDate.toISOString(), owner, LEASE_MS, BATCH);
        const arrived = this.ctx.clock.now();
        handedBack = false;
        for (let i = 0; i < batch.length; i++) {
          const record = batch[i] as JobRecord;
          const time = this.ctx.clock.now();
          if (time - arrived >= HAND_BACK_MS || this.ctx.state !== 'running') {
            // This batch has taken too long (a slow listener, a slow machine), or the scheduler
            // stopped or paused meanwhile: hand back the rest of it untouched; the next
            // acquisition takes it again under a fresh lease.
            for (const rest of batch.slice(i)) releases.push(untouched(rest));
            handedBack = true;
            break;
          }
          if (oldestPending !== null && time - oldestPending >= HAND_BACK_MS) await flush();
          const { release, work } = this.#jobs.process(record, alias, now, nowDate, now + LEASE_MS);
          if (release !== null) {
            releases.push(release);
            oldestPending ??= arrived;
          }
          this.#work += work;
          if (this.#work >= YIELD_AFTER) {
            // A long catch-up must not block the process: let timers and I/O run.
            this.#work = 0;
            await yieldToEventLoop();
          }
        }
        if (handedBack || (oldestPending !== null && this.ctx.clock.now() - oldestPending >= HAND_BACK_MS)) await flush();
      } while ((handedBack || batch.length === BATCH) && this.ctx.state === 'running');
      await flush();
      return true;
    } catch (error) {
      this.ctx.log('error', `job store ${JSON.stringify(alias)} failed; retrying`, error);
      this.ctx.emit('store:error', { alias, error });
      // Jobs whose runs were submitted are handed back even though a later call failed: left to
      // their leases' expiry, another scheduler could take them and run their slots again. What
      // the store does not take now is retried first thing next time.
      await flush().catch(() => this.#keepUnreleased(alias, owner, releases));
      return false;
    }
  }

  /** Hands jobs back to their store and reports the ones that ended. */
  async #release(alias: string, store: JobStore, owner: string, releases: JobRelease[]): Promise<void> {
    const removed = await store.releaseJobs(owner, releases);
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

  #keepUnreleased(alias: string, owner: string, releases: JobRelease[]): void {
    if (releases.length === 0) return;
    const kept = this.#unreleased.get(alias) ?? [];
    kept.push({ owner, releases: [...releases] });
    this.#unreleased.set(alias, kept);
  }

  /** Sends the releases a store failed to take earlier, before anything new is taken from it. */
  async #retryReleases(alias: string, store: JobStore): Promise<void> {
    const kept = this.#unreleased.get(alias);
    while (kept !== undefined && kept.length > 0) {
      const { owner, releases } = kept[0] as Unreleased;
      await this.#release(alias, store, owner, releases);
      kept.shift();
    }
    this.#unreleased.delete(alias);
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

/** Hands a job back as it was acquired: it is due again at once, under a new lease. */
function untouched(record: JobRecord): JobRelease {
  const at = record.nextRunTime as string;
  return { id: record.id, acquiredRunTime: at, nextRunTime: at };
}
