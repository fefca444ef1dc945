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
import { HandBack, release, type HandBackParts } from './hand-back.js';
import { sharedRuns } from './shared-runs.js';

/** Longest timer Node accepts (2^31-1 ms); anything above fires at once. */
const MAX_TIMER = 2 ** 31 - 1;
/** Most due jobs taken from a store in one call. */
const BATCH = 1_000;
/** Waits after store errors before trying again: doubling from the first to the last. */
const RETRY_MS = { first: 1_000, last: 30_000 };
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
  /** The armed timer has no delay: a wakeup before it fires has nothing to add. */
  #immediate = false;
  #busy: Promise<void> | null = null;
  #again = false;
  /** Counts passes: each takes its leases under its own owner name. */
  #passes = 0;
  /** Work done since the pass last yielded to the event loop. */
  #work = 0;
  /** The wait before the next try after a failed pass (reset by a pass without errors). */
  #retryMs = RETRY_MS.first;
  readonly #unreleased = new Map<string, Unreleased[]>();

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly parts: HandBackParts,
  ) {}

  /** Look at the stores now (after an add, a change or a resume). */
  wakeup(): void {
    if (this.ctx.state !== 'running') return;
    if (this.#busy) this.#again = true;
    // Adds in a burst (each awaited, all in one macrotask) would otherwise swap one timer each.
    else if (this.#timer === null || !this.#immediate) this.#arm(0);
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
    this.#immediate = delay === 0;
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
    if (failed || next === undefined) {
      // Back off while a store keeps failing, so a database that is down is not hammered.
      this.#arm(this.#again ? 0 : this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MS.last);
      return;
    }
    this.#retryMs = RETRY_MS.first;
    if (this.#again) this.#arm(0);
    else this.#arm(Math.min(next === null ? this.ctx.maxWaitMs : next - this.ctx.clock.now(), this.#pollMs()));
  }

  /**
   * The shortest `pollInterval` of the stores (`Infinity` when none has one): a store shared
   * with schedulers that cannot notify this one is looked at that often, so their changes are
   * seen in time.
   */
  #pollMs(): number {
    let poll = Infinity;
    for (const store of this.ctx.stores.values()) {
      const seconds = store.pollInterval;
      if (typeof seconds === 'number' && seconds > 0) poll = Math.min(poll, seconds * 1000);
    }
    return poll;
  }

  /** Processes every due job of one store; `false` if the store failed. */
  async #processStore(alias: string, store: JobStore, owner: string): Promise<boolean> {
    // With a plain store the releases wait until the jobs taken so far have had their runs
    // submitted, and are sent once the oldest has waited a third of the lease (counted from when
    // its batch arrived, so a slow store call cannot keep a pass from processing anything). A
    // shared store gets each batch's releases and runs in one commit before the runs start.
    const shared = sharedRuns(store);
    const pending = new HandBack(this.ctx, this.parts, alias, store, shared, owner);
    const leaseMs = this.ctx.leaseMs;
    const handBackMs = leaseMs / 3;
    try {
      await this.#retryReleases(alias, store);
      if (shared !== null) await this.ctx.runLeases.reap(alias, shared);
      let batch: JobRecord[];
      let handedBack = false;
      do {
        const now = this.ctx.clock.now();
        const nowDate = new Date(now);
        batch = await store.acquireDueJobs(nowDate.toISOString(), owner, leaseMs, BATCH);
        const arrived = this.ctx.clock.now();
        handedBack = false;
        for (let i = 0; i < batch.length; i++) {
          const record = batch[i] as JobRecord;
          const time = this.ctx.clock.now();
          if (time - arrived >= handBackMs || this.ctx.state !== 'running') {
            // This batch has taken too long (a slow listener, a slow machine), or the scheduler
            // stopped or paused meanwhile: hand back the rest of it untouched; the next
            // acquisition takes it again under a fresh lease.
            for (const rest of batch.slice(i)) pending.untouched(rest, arrived);
            handedBack = true;
            break;
          }
          if (pending.age(time) >= handBackMs) await pending.flush();
          const { release, work, start } = this.parts.jobs.process(record, alias, now, nowDate, now + leaseMs, shared !== null);
          pending.add(release, start, arrived);
          this.#work += work;
          if (this.#work >= YIELD_AFTER) {
            // A long catch-up must not block the process: let timers and I/O run.
            this.#work = 0;
            await yieldToEventLoop();
          }
        }
        if (shared !== null || handedBack || pending.age(this.ctx.clock.now()) >= handBackMs) await pending.flush();
      } while ((handedBack || batch.length === BATCH) && this.ctx.state === 'running');
      await pending.flush();
      return true;
    } catch (error) {
      this.ctx.log('error', `job store ${JSON.stringify(alias)} failed; retrying`, error);
      this.ctx.emit('store:error', { alias, error });
      this.#keepUnreleased(alias, owner, await pending.failed());
      return false;
    }
  }

  #keepUnreleased(alias: string, owner: string, releases: JobRelease[]): void {
    if (releases.length === 0) return;
    const kept = this.#unreleased.get(alias) ?? [];
    kept.push({ owner, releases });
    this.#unreleased.set(alias, kept);
  }

  /** Sends the releases a store failed to take earlier, before anything new is taken from it. */
  async #retryReleases(alias: string, store: JobStore): Promise<void> {
    const kept = this.#unreleased.get(alias);
    while (kept !== undefined && kept.length > 0) {
      const { owner, releases } = kept[0] as Unreleased;
      await release(this.ctx, alias, store, owner, releases);
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
