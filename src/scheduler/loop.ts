/**
 * The scheduling loop: one timer over the earliest next run time of all stores.
 *
 * Every wake re-reads the wall clock and asks the stores what is due, so long delays (no timer
 * beyond the `maxWait` cap), early wakes, system sleep and clock jumps are all handled by the
 * same path. Next run times come from the scheduled slot (the trigger's previous fire time),
 * never from the wake time, so an early or late wake cannot run a slot twice.
 *
 * Ahead of a due instant: with an in-process store (not persistent, not shared) a pass runs a few
 * milliseconds before the instant. After a small burst it takes up to {@link PREPARE_MOST} of the
 * jobs due then and holds the runs it planned (see `held-runs.ts`); the pass at the instant
 * submits them first, then does its usual work. After a bigger one it only takes the jobs due
 * then (see `taken-ahead.ts`), and the pass at the instant, under the same lease owner, plans and
 * submits them before it asks the store for more. The lead follows how long the last preparation
 * took.
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
import { AheadOfInstant, preparable } from './ahead.js';
import { HandBack, untouchedRelease, type HandBackParts } from './hand-back.js';
import type { StartMode } from './due-job.js';
import { earliestRunTime, pollMs } from './next-wake.js';
import { sharedRuns } from './shared-runs.js';
import type { TakenBatches } from './taken-ahead.js';
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
 * Most jobs of one store whose runs are prepared ahead of an instant (the others due then are
 * taken at the instant), and most jobs the last instant may have had for the next one's runs to
 * be prepared; after a bigger one its jobs are only taken ahead. With 10,000 jobs due every
 * second, holding all their runs doubled the CPU time per run (the held plans outlived the
 * garbage collector's young generation), and even holding 100 got each second's records promoted.
 */
const PREPARE_MOST = 100;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  /** The runs held or jobs taken for a due instant that has not come yet. */
  readonly #ahead: AheadOfInstant;
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
    this.#ahead = new AheadOfInstant(ctx, parts, this.#unreleased, (alias, error) => this.#storeFailed(alias, error));
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
   * must not start as planned, nor a job taken ahead be processed as it was taken.
   */
  changing(id: string | null): void {
    this.#ahead.changing(id);
  }

  /**
   * Disarms the timer and resolves once a pass in progress has ended and the runs held (or jobs
   * taken) for a due instant have been handed back unstarted (their jobs are due again at once
   * when it resumes).
   */
  async stop(): Promise<void> {
    this.#timer.disarm();
    this.#again = false;
    await this.#busy;
    if (this.#ahead.held.at !== null) await this.#ahead.endHold(false);
    if (this.#ahead.taken.at !== null) await this.#ahead.endTaken();
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
    const began = this.ctx.clock.now();
    // The pass at the instant jobs were taken for processes them, under the lease owner they were
    // taken under; any other pass takes its leases under an owner of its own.
    const { held, taken } = this.#ahead;
    const takenAt = taken.at;
    const adopt = takenAt !== null && takenAt <= began;
    const owner = adopt ? taken.owner : `${this.ctx.identity}#${++this.#passes}`;
    this.#work = 0;
    this.#taken = 0;
    // The held runs go first: their instant has come, and the rest can wait for them.
    const heldAt = held.at;
    let failed = heldAt !== null && heldAt <= began && !(await this.#endHold());
    // A pass that starts at or after the instant it was to prepare is an ordinary one.
    const ahead = prepareFor !== null && prepareFor > began && this.#ahead.at === null ? prepareFor : null;
    do {
      this.#again = false;
      for (const [alias, store] of this.ctx.stores) {
        if (this.ctx.state !== 'running') return;
        failed = !(await this.#processStore(alias, store, owner, ahead)) || failed;
      }
    } while (this.#again && this.ctx.state === 'running');
    // Every store took its jobs back; what is left was taken from a store removed meanwhile.
    if (adopt) failed = !(await this.#ahead.endTaken()) || failed;
    if (ahead !== null) {
      // Twice what this preparation took, so the next one ends before its instant too.
      this.#leadMs = Math.min(Math.max(2 * (this.ctx.clock.now() - began) + 1, LEAD_MS.least), LEAD_MS.most);
    } else {
      this.#burst = this.#taken;
    }
    const next = await earliestRunTime(this.ctx.stores, (alias, error) => this.#storeFailed(alias, error));
    if (this.ctx.state !== 'running') return;
    const aheadAt = this.#ahead.at;
    if (failed || next === undefined) {
      // Back off while a store keeps failing, so a database that is down is not hammered (held
      // runs still start at their instant).
      const retry = this.#again ? 0 : this.#retryMs;
      this.#arm(aheadAt === null ? retry : Math.min(retry, aheadAt - this.ctx.clock.now()));
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MS.last);
      return;
    }
    this.#retryMs = RETRY_MS.first;
    if (this.#again) this.#arm(0);
    else this.#armFor(next === null || (aheadAt !== null && aheadAt < next) ? aheadAt : next);
  }

  /**
   * Arms the timer for the next due instant `due` (`null`: none): a poll comes first if it is
   * sooner; else, if nothing is held or taken and a store can be prepared, the pass starts early
   * enough to prepare the instant.
   */
  #armFor(due: number | null): void {
    const wait = due === null ? this.ctx.maxWaitMs : due - this.ctx.clock.now();
    const poll = pollMs(this.ctx.stores);
    if (wait > poll || due === null) {
      this.#arm(Math.min(wait, poll));
      return;
    }
    const prepare =
      this.#ahead.at === null &&
      wait > this.#leadMs &&
      [...this.ctx.stores.values()].some(preparable);
    this.#arm(prepare ? wait - this.#leadMs : wait, prepare ? due : null, true);
  }

  /** Starts the held runs whose jobs did not change and hands their jobs back; `false` if a store failed. */
  #endHold(): Promise<boolean> {
    this.#taken += this.#ahead.held.count;
    return this.#ahead.endHold(true);
  }

  /**
   * Processes every due job of one store; `false` if the store failed. With `ahead` (an instant
   * after now) a store that can be prepared is asked for the jobs due at that instant, and their
   * runs are held for it (or, after a big burst, only the jobs are taken); any other store is
   * processed as usual, the jobs taken from it for this instant first.
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
    // The jobs taken from this store ahead of this instant come first; their leases count from it.
    const takenAhead = this.#ahead.taken;
    const taken = hold === null && owner === takenAhead.owner ? takenAhead.take(alias, store) : null;
    let ok = true;
    try {
      await this.#unreleased.retry(this.ctx, alias, store);
      if (shared !== null) await this.ctx.runLeases.reap(alias, shared);
      if (hold !== null && this.#burst > PREPARE_MOST) {
        await this.#ahead.take(alias, store, owner, hold, BATCH);
        return true;
      }
      let batch: JobRecord[];
      let handedBack = false;
      let wasTaken = false;
      do {
        // The runs of a batch taken ahead start before the next one is planned (on the executor's
        // microtask, as while a store is asked): planned all before any started, 10,000 runs
        // kept their tickets alive long enough to raise the CPU time per run by half.
        if (taken?.midway === true) await Promise.resolve();
        if (hold !== null && this.ctx.clock.now() >= hold) {
          // The instant came while it was being prepared (slow store calls): what is held starts
          // and is handed back now, within its leases, and the rest is taken as usual.
          hold = null;
          mode = 'submit';
          ok = await this.#endHold();
        }
        const now = hold ?? this.ctx.clock.now();
        const nowDate = new Date(now);
        const given = taken?.next(BATCH) ?? null;
        wasTaken = given !== null;
        batch = given ?? (await store.acquireDueJobs(nowDate.toISOString(), owner, leaseMs, hold !== null ? PREPARE_MOST : BATCH));
        this.#taken += batch.length;
        const arrived = given !== null ? (taken as TakenBatches).at : this.ctx.clock.now();
        const leaseUntil = (given !== null ? arrived : now) + leaseMs;
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
          if (wasTaken && takenAhead.isChanged(record.id)) {
            // Changed through this scheduler since it was taken: taken again as it is now.
            pending.untouched(record, arrived);
            handedBack = true;
            continue;
          }
          if (pending.age(time) >= handBackMs) await pending.flush();
          const { release, work, start } = this.parts.jobs.process(record, alias, now, nowDate, leaseUntil, mode);
          if (hold !== null) this.#ahead.held.hold(hold, alias, store, owner, record, release, start);
          else pending.add(release, start, arrived);
          this.#work += work;
          if (this.#work >= YIELD_AFTER) {
            // A long catch-up must not block the process: let timers and I/O run.
            this.#work = 0;
            await yieldToEventLoop();
          }
        }
        if (shared !== null || handedBack || pending.age(this.ctx.clock.now()) >= handBackMs) await pending.flush();
        // After the taken jobs the store is asked at least once: jobs may have come due since.
      } while ((handedBack || wasTaken || (hold === null && batch.length === BATCH)) && this.ctx.state === 'running');
      // Stopped or paused before all taken jobs had their turn: the rest go back untouched.
      if (taken !== null) for (const rest of taken.rest()) pending.untouched(rest, taken.at);
      await pending.flush();
      return ok;
    } catch (error) {
      this.#storeFailed(alias, error);
      // Taken jobs not yet processed are handed back untouched, with what the store still owes.
      const rest = taken?.rest().map(untouchedRelease) ?? [];
      this.#unreleased.keep(alias, owner, [...(await pending.failed()), ...rest]);
      return false;
    }
  }

  #storeFailed(alias: string, error: unknown): void {
    this.ctx.log('error', `job store ${JSON.stringify(alias)} failed; retrying`, error);
    this.ctx.emit('store:error', { alias, error });
  }
}
