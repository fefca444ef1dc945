/**
 * Jobs taken shortly before the due instant of a big burst, and processed only at the instant.
 *
 * Preparing whole runs ahead (see `held-runs.ts`) pays off for a few jobs, not for thousands:
 * their plans, held a few milliseconds, outlive the garbage collector's young generation. Taking
 * the jobs from the store costs no such memory (the records live in the store anyway), so for a
 * big burst the loop does only that ahead: at the instant the jobs are planned and their runs
 * submitted as usual, without the store's work in front of the last run.
 *
 * As with held runs: only in-process stores are taken from ahead (no other process's lease can
 * be taken over), the leases count from the due instant, and a change made through this
 * scheduler while a job is taken (modify, pause, resume, reschedule, remove, replace, clear)
 * wins: the job is handed back untouched and taken again as it is now. Each job is checked when
 * its turn comes at the instant, not when the pass at the instant begins.
 *
 * @internal
 * @module
 */
import type { JobRecord, JobStore } from '../stores/job-store.js';
import { ChangedJobs } from './changed-jobs.js';
import { untouchedRelease } from './hand-back.js';
import type { HeldReleases } from './held-runs.js';

/** The jobs taken from one store. */
interface TakenStore {
  readonly store: JobStore;
  readonly records: JobRecord[];
}

/** The jobs one store had taken for a due instant, handed out a batch at a time. */
export class TakenBatches {
  #next = 0;

  /**
   * @param records - the jobs, in the order they were taken
   * @param at - the instant they were taken for: their leases count from it
   */
  constructor(
    private readonly records: readonly JobRecord[],
    readonly at: number,
  ) {}

  /** Whether some jobs were handed out and some are left. */
  get midway(): boolean {
    return this.#next > 0 && this.#next < this.records.length;
  }

  /** The next `size` jobs at most, or `null` once all were handed out. */
  next(size: number): JobRecord[] | null {
    if (this.#next >= this.records.length) return null;
    const batch = this.records.slice(this.#next, this.#next + size);
    this.#next += batch.length;
    return batch;
  }

  /** The jobs not handed out yet (they are handed out now). */
  rest(): JobRecord[] {
    return this.next(this.records.length) ?? [];
  }
}

/** The jobs taken ahead of one due instant, by store, under one lease owner. */
export class TakenAhead {
  /** The due instant the jobs were taken for (epoch ms), `null` when none are. */
  #at: number | null = null;
  /** The lease owner they were taken under; the pass at the instant hands them back as it. */
  #owner = '';
  readonly #stores = new Map<string, TakenStore>();
  /** Jobs changed through the scheduler since the jobs were taken. */
  readonly #changed = new ChangedJobs();

  /** The due instant of the taken jobs, or `null`. */
  get at(): number | null {
    return this.#at;
  }

  /** The lease owner the jobs were taken under. */
  get owner(): string {
    return this.#owner;
  }

  /** Keeps `records`, taken from `store` under `owner` for the due instant `at`. */
  add(at: number, owner: string, alias: string, store: JobStore, records: readonly JobRecord[]): void {
    this.#at = at;
    this.#owner = owner;
    let taken = this.#stores.get(alias);
    if (taken === undefined || taken.store !== store) {
      taken = { store, records: [] };
      this.#stores.set(alias, taken);
    }
    for (const record of records) taken.records.push(record);
  }

  /** A job is about to change: if taken, it must be handed back untouched. */
  changed(id: string): void {
    if (this.#at !== null) this.#changed.add(id);
  }

  /** Every job of the stores is about to change (removed all at once). */
  changedAll(): void {
    if (this.#at !== null) this.#changed.addAll();
  }

  /** Whether the job of `id` changed since it was taken (checked when its turn comes). */
  isChanged(id: string): boolean {
    return this.#changed.has(id);
  }

  /**
   * Gives up the jobs taken from `store` under `alias` for processing, or `null` if none were (or
   * the alias now names another store: those jobs are no longer this scheduler's to run).
   */
  take(alias: string, store: JobStore): TakenBatches | null {
    const taken = this.#stores.get(alias);
    if (taken === undefined || this.#at === null) return null;
    this.#stores.delete(alias);
    return taken.store === store ? new TakenBatches(taken.records, this.#at) : null;
  }

  /**
   * Ends the hold: returns the jobs not processed as untouched releases, for the stores still
   * registered as they were (`stores`), and forgets everything.
   */
  end(stores: ReadonlyMap<string, JobStore>): HeldReleases[] {
    const owed: HeldReleases[] = [];
    for (const [alias, { store, records }] of this.#stores) {
      if (stores.get(alias) === store) owed.push({ alias, store, owner: this.#owner, releases: records.map(untouchedRelease) });
    }
    this.#at = null;
    this.#stores.clear();
    this.#changed.clear();
    return owed;
  }
}
