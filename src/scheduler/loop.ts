/**
 * The scheduling loop: one timer over the earliest next run time of all stores.
 *
 * Every wake re-reads the wall clock and asks the stores what is due, so long delays (no timer
 * beyond the `maxWait` cap), early wakes, system sleep and clock jumps are all handled by the
 * same path. Next run times come from the scheduled slot (the trigger's previous fire time),
 * never from the wake time, so an early or late wake cannot run a slot twice.
 *
 * Ahead of a due instant: with an in-process store (not persistent, not shared) a pass runs a few
 * milliseconds before the instant, takes up to {@link PREPARE_MOST} of the jobs due then and holds
 * the runs it planned (see `held-runs.ts`); the pass at the instant submits them first, then does
 * its usual work. The lead follows how long the last preparation took.
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
import type { JobRecord, JobStore } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';
import { HandBack, type HandBackParts } from './hand-back.js';
import type { StartMode } from './due-job.js';
import { HeldRuns } from './held-runs.js';
import { earliestRunTime, pollMs } from './next-wake.js';
import { sharedRuns } from './shared-runs.js';
import { UnreleasedJobs } from './unreleased.js';
import { WakeTimer } from './wake-timer.js';

/** Most due jobs taken from a store in one call. */
const BATCH = 1_000;
/** Waits after store errors before trying again: doubling from the first to the last. */
const RETRY_MS = { first: 1_000, last: 30_000 };
/** Work (jobs and trigger calls) after which a long pass lets the event loop run. */
const YIELD_AFTER = 20_000;
/** Bounds of how long before a due instant its runs are prepared (ms). */
const LEAD_MS = { least: 2, most: 50 };
/**
 * Most jobs of one store prepared ahead of an instant (the others due then are taken at the
 * instant), and most jobs the last instant may have had for the next one to be prepared at all.
 * A lone job, or a few, gain the whole pass at the instant; a large burst gains nothing and pays:
 * with 10,000 jobs due every second, holding them all doubled the CPU time per run (5-9 µs instead
 * of 3-4, the held plans outliving the garbage collector's young generation), and even a pass
 * holding 100 of them moved the collector's work so that each second's records were promoted.
 */
const PREPARE_MOST = 100;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether a store's due jobs may be taken before they are due: it lives in this process only. */
const preparable = (store: JobStore): boolean => store.persistent === false && sharedRuns(store) === null;

/** Arms, fires and re-arms the one timer of a scheduler. */
export class SchedulingLoop {
  readonly #timer: WakeTimer;
  #busy: Promise<void> | null = null;
  #again = false;
  /** Counts passes: each takes its leases under its own owner name. */
  #passes = 0;
  /** Work done since the pass last yielded to the event loop. */
  #work = 0;
  /** The wait before the next try after a failed pass (reset by a pass without errors). */
  #retryMs = RETRY_MS.first;
  /** Releases a store failed to take, retried before the next acquisition from it. */
  readonly #unreleased = new UnreleasedJobs();
  /** Runs prepared for a due instant that has not come yet. */
  readonly #held = new HeldRuns();
  /** How long before a due instant its runs are prepared (ms). */
  #leadMs: number = LEAD_MS.least;
  /** Jobs taken by the current pass, the held ones it started included. */
  #taken = 0;
  /** Jobs taken by the last pass that was not a preparation (prepare only after a small one). */
  #burst = 0;

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly parts: HandBackParts,
  ) {
    this.#timer = new WakeTimer(ctx.clock, ctx.maxWaitMs);
  }

  /** Look at the stores now (after an add, a change or a resume). */
  wakeup(): void {
    if (this.ctx.state !== 'running') return;
    if (this.#busy) this.#again = true;
    // Adds in a burst (each awaited, all in one macrotask) would otherwise swap one timer each.
    else if (!this.#timer.immediate) this.#arm(0);
  }

  /**
   * A job is about to be changed through this scheduler (`null`: every job): a run held for it
   * must not start as planned.
   */
  changing(id: string | null): void {
    if (id === null) this.#held.changedAll();
    else this.#held.changed(id);
  }

  /**
   * Disarms the timer and resolves once a pass in progress has ended and the runs held for a due
   * instant have been handed back unstarted (their jobs are due again at once when it resumes).
   */
  async stop(): Promise<void> {
    this.#timer.disarm();
    this.#again = false;
    await this.#busy;
    if (this.#held.at !== null) await this.#endHold(false);
  }

  /**
   * Arms the timer; `prepareFor`: the pass it starts prepares the runs due at that instant;
   * `precise`: the wake is a due instant (or the preparation for one), not a poll or a retry.
   */
  #arm(delayMs: number, prepareFor: number | null = null, precise = false): void {
    this.#timer.arm(delayMs, precise, () => {
      this.#busy = this.#pass(prepareFor).finally(() => {
        this.#busy = null;
        // A wakeup that came after the pass made its timer decision must not be lost.
        if (this.#again && this.ctx.state === 'running') this.#arm(0);
      });
    });
  }

  async #pass(prepareFor: number | null): Promise<void> {
    const owner = `${this.ctx.identity}#${++this.#passes}`;
    this.#work = 0;
    this.#taken = 0;
    const began = this.ctx.clock.now();
    // The held runs go first: their instant has come, and the rest can wait for them.
    const heldAt = this.#held.at;
    let failed = heldAt !== null && heldAt <= began && !(await this.#endHold(true));
    // A pass that starts at or after the instant it was to prepare is an ordinary one.
    const ahead = prepareFor !== null && prepareFor > began && this.#held.at === null ? prepareFor : null;
    do {
      this.#again = false;
      for (const [alias, store] of this.ctx.stores) {
        if (this.ctx.state !== 'running') return;
        failed = !(await this.#processStore(alias, store, owner, ahead)) || failed;
      }
    } while (this.#again && this.ctx.state === 'running');
    if (ahead !== null) {
      // Twice what this preparation took, so the next one ends before its instant too.
      this.#leadMs = Math.min(Math.max(2 * (this.ctx.clock.now() - began) + 1, LEAD_MS.least), LEAD_MS.most);
    } else {
      this.#burst = this.#taken;
    }
    const next = await earliestRunTime(this.ctx.stores, (alias, error) => this.#storeFailed(alias, error));
    if (this.ctx.state !== 'running') return;
    const held = this.#held.at;
    if (failed || next === undefined) {
      // Back off while a store keeps failing, so a database that is down is not hammered (held
      // runs still start at their instant).
      const retry = this.#again ? 0 : this.#retryMs;
      this.#arm(held === null ? retry : Math.min(retry, held - this.ctx.clock.now()));
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MS.last);
      return;
    }
    this.#retryMs = RETRY_MS.first;
    if (this.#again) this.#arm(0);
    else this.#armFor(next === null || (held !== null && held < next) ? held : next);
  }

  /**
   * Arms the timer for the next due instant `due` (`null`: none): a poll comes first if it is
   * sooner; else, if nothing is held and a store can be prepared, the pass starts early enough to
   * prepare the instant's runs.
   */
  #armFor(due: number | null): void {
    const wait = due === null ? this.ctx.maxWaitMs : due - this.ctx.clock.now();
    const poll = pollMs(this.ctx.stores);
    if (wait > poll || due === null) {
      this.#arm(Math.min(wait, poll));
      return;
    }
    const prepare =
      this.#held.at === null &&
      this.#burst <= PREPARE_MOST &&
      wait > this.#leadMs &&
      [...this.ctx.stores.values()].some(preparable);
    this.#arm(prepare ? wait - this.#leadMs : wait, prepare ? due : null, true);
  }

  /**
   * Ends the hold: submits the held runs whose jobs did not change (`submit`) or none (a stop),
   * then hands the jobs back to their stores. `false` if a store failed to take them (kept, and
   * sent again before its next acquisition).
   */
  async #endHold(submit: boolean): Promise<boolean> {
    const { jobs } = this.parts;
    this.#taken += this.#held.count;
    const owed = this.#held.take(this.ctx.stores, this.ctx.clock.now(), submit ? (start) => jobs.submit(start) : null);
    // The runs start on the executor's microtask, queued by the first submission: let them start
    // before the stores' work.
    if (submit) await Promise.resolve();
    let ok = true;
    for (const { alias, store, owner, releases } of owed) {
      const pending = new HandBack(this.ctx, this.parts, alias, store, null, owner);
      for (const one of releases) pending.add(one, null, 0);
      try {
        await pending.flush();
      } catch (error) {
        this.#storeFailed(alias, error);
        this.#unreleased.keep(alias, owner, await pending.failed());
        ok = false;
      }
    }
    return ok;
  }

  /**
   * Processes every due job of one store; `false` if the store failed. With `ahead` (an instant
   * after now) a store that can be prepared is asked for the jobs due at that instant, and their
   * runs are held for it; any other store is processed as usual.
   */
  async #processStore(alias: string, store: JobStore, owner: string, ahead: number | null): Promise<boolean> {
    // With a plain store the releases wait until the jobs taken so far have had their runs
    // submitted, and are sent once the oldest has waited a third of the lease (counted from when
    // its batch arrived, so a slow store call cannot keep a pass from processing anything). A
    // shared store gets each batch's releases and runs in one commit before the runs start.
    const shared = sharedRuns(store);
    const pending = new HandBack(this.ctx, this.parts, alias, store, shared, owner);
    const leaseMs = this.ctx.leaseMs;
    const handBackMs = leaseMs / 3;
    let hold = ahead !== null && preparable(store) ? ahead : null;
    let mode: StartMode = hold !== null ? 'hold' : shared !== null ? 'commit' : 'submit';
    let ok = true;
    try {
      await this.#unreleased.retry(this.ctx, alias, store);
      if (shared !== null) await this.ctx.runLeases.reap(alias, shared);
      let batch: JobRecord[];
      let handedBack = false;
      do {
        if (hold !== null && this.ctx.clock.now() >= hold) {
          // The instant came while it was being prepared (slow store calls): what is held starts
          // and is handed back now, within its leases, and the rest is taken as usual.
          hold = null;
          mode = 'submit';
          ok = await this.#endHold(true);
        }
        const now = hold ?? this.ctx.clock.now();
        const nowDate = new Date(now);
        batch = await store.acquireDueJobs(nowDate.toISOString(), owner, leaseMs, hold !== null ? PREPARE_MOST : BATCH);
        this.#taken += batch.length;
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
          const { release, work, start } = this.parts.jobs.process(record, alias, now, nowDate, now + leaseMs, mode);
          if (hold !== null) this.#held.hold(hold, alias, store, owner, record, release, start);
          else pending.add(release, start, arrived);
          this.#work += work;
          if (this.#work >= YIELD_AFTER) {
            // A long catch-up must not block the process: let timers and I/O run.
            this.#work = 0;
            await yieldToEventLoop();
          }
        }
        if (shared !== null || handedBack || pending.age(this.ctx.clock.now()) >= handBackMs) await pending.flush();
      } while ((handedBack || (hold === null && batch.length === BATCH)) && this.ctx.state === 'running');
      await pending.flush();
      return ok;
    } catch (error) {
      this.#storeFailed(alias, error);
      this.#unreleased.keep(alias, owner, await pending.failed());
      return false;
    }
  }

  #storeFailed(alias: string, error: unknown): void {
    this.ctx.log('error', `job store ${JSON.stringify(alias)} failed; retrying`, error);
    this.ctx.emit('store:error', { alias, error });
  }
}
