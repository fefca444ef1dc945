/**
 * Runs prepared shortly before their due instant: the loop takes a slot's due jobs from an
 * in-process store and plans them a few milliseconds early, and at the due instant only submits
 * the runs and hands the jobs back. With 10,000 jobs due in the same second the work done at the
 * instant shrinks to the submissions, so the last task starts that much earlier.
 *
 * Only stores that are not persistent are prepared ahead: such a store lives in this process, so
 * taking its jobs a few milliseconds early can take over no other process's lease. The leases
 * are counted from the due instant (the store is asked "what is due at that instant").
 *
 * A change made through this scheduler while a job is held (modify, pause, resume, reschedule,
 * remove, replace, clear) wins: the held run is dropped and the job handed back untouched, so
 * the pass at the due instant takes it again as it is now and plans it afresh. So are all held
 * runs when the instant is taken so late (a stalled process, a system sleep) that a held job's
 * next slot has come too: their plans (coalescing, missed slots) no longer hold.
 *
 * @internal
 * @module
 */
import { IsoMemo } from '../internal/iso-memo.js';
import type { JobRecord, JobRelease, JobStore } from '../stores/job-store.js';
import type { PlannedStart } from './due-job.js';
import { ChangedJobs } from './changed-jobs.js';
import { untouchedRelease } from './hand-back.js';

/** One held job: how to hand it back, and the run to submit at the due instant. */
interface Held {
  readonly record: JobRecord;
  readonly release: JobRelease | null;
  readonly start: PlannedStart | null;
}

/** What one store holds for the due instant. */
interface HeldStore {
  readonly store: JobStore;
  readonly owner: string;
  readonly jobs: Held[];
}

/** The releases owed to one store once its held runs were submitted (or dropped). */
export interface HeldReleases {
  readonly alias: string;
  readonly store: JobStore;
  readonly owner: string;
  readonly releases: JobRelease[];
}

/** The runs held for one due instant, by store. */
export class HeldRuns {
  /** The due instant the held runs are for (epoch ms), `null` when nothing is held. */
  #at: number | null = null;
  readonly #stores = new Map<string, HeldStore>();
  /** Jobs changed through the scheduler since the runs were held. */
  readonly #changed = new ChangedJobs();
  #count = 0;
  /** The earliest next run time the held plans computed (epoch ms): they are stale from then. */
  #horizon = Infinity;
  /** Parses the held plans' next run times (jobs of a slot share one). */
  readonly #iso = new IsoMemo();

  /** The due instant of the held runs, or `null`. */
  get at(): number | null {
    return this.#at;
  }

  /** How many jobs are held. */
  get count(): number {
    return this.#count;
  }

  /** Holds one processed job of `store` for the due instant `at`. */
  hold(at: number, alias: string, store: JobStore, owner: string, record: JobRecord, release: JobRelease | null, start: PlannedStart | null): void {
    this.#at = at;
    let held = this.#stores.get(alias);
    if (held === undefined || held.store !== store) {
      held = { store, owner, jobs: [] };
      this.#stores.set(alias, held);
    }
    held.jobs.push({ record, release, start });
    this.#count++;
    const next = release?.nextRunTime ?? null;
    if (next !== null) this.#horizon = Math.min(this.#horizon, this.#iso.toMs(next));
  }

  /** A job is about to change: its held run (if any) must not start. */
  changed(id: string): void {
    if (this.#at !== null) this.#changed.add(id);
  }

  /** Every job of the stores is about to change (removed all at once). */
  changedAll(): void {
    if (this.#at !== null) this.#changed.addAll();
  }

  /**
   * Ends the hold at `now`: calls `submit` for the run of every held job that did not change, and
   * returns the releases owed to each store still registered as it was (`stores`): the computed
   * release of a submitted job, an untouched one (due again at once) for a changed job. With
   * `submit` `null` (a stop), or once the held plans are stale, every job is handed back untouched.
   */
  take(stores: ReadonlyMap<string, JobStore>, now: number, submit: ((start: PlannedStart) => void) | null): HeldReleases[] {
    const owed: HeldReleases[] = [];
    const changed = this.#changed;
    // Once the held plans are stale (a held job's next slot has come), none of them holds.
    const stale = now >= this.#horizon;
    for (const [alias, { store, owner, jobs }] of this.#stores) {
      // A store removed (or replaced) meanwhile: its jobs are no longer this scheduler's to run.
      if (stores.get(alias) !== store) continue;
      const releases: JobRelease[] = [];
      for (const { record, release, start } of jobs) {
        if (submit === null || stale || changed.has(record.id)) {
          releases.push(untouchedRelease(record));
          continue;
        }
        if (start !== null) submit(start);
        if (release !== null) releases.push(release);
      }
      owed.push({ alias, store, owner, releases });
    }
    this.#at = null;
    this.#count = 0;
    this.#stores.clear();
    changed.clear();
    this.#horizon = Infinity;
    return owed;
  }
}
