/**
 * What the loop holds ahead of a due instant, from an in-process store: the runs it prepared
 * for a small burst (`held-runs.ts`), or the jobs it took for a big one (`taken-ahead.ts`), never
 * both at once. Hands them back to their stores when the instant has come, or unstarted when the
 * scheduler stops.
 *
 * @internal
 * @module
 */
import type { JobRecord, JobStore } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';
import { HandBack, type HandBackParts } from './hand-back.js';
import { HeldRuns, type HeldReleases } from './held-runs.js';
import { sharedRuns } from './shared-runs.js';
import { TakenAhead } from './taken-ahead.js';
import type { UnreleasedJobs } from './unreleased.js';

/** Whether a store's due jobs may be taken before they are due: it lives in this process only. */
export const preparable = (store: JobStore): boolean => store.persistent === false && sharedRuns(store) === null;

/** Runs held and jobs taken ahead of one due instant. */
export class AheadOfInstant {
  /** Runs prepared for a due instant that has not come yet. */
  readonly held = new HeldRuns();
  /** Jobs taken for a due instant that has not come yet (or whose pass is in progress). */
  readonly taken = new TakenAhead();

  /**
   * @param unreleased - where releases a store failed to take are kept, to be sent again before
   *   its next acquisition
   * @param storeFailed - reports a store's failure
   */
  constructor(
    private readonly ctx: SchedulerContext,
    private readonly parts: HandBackParts,
    private readonly unreleased: UnreleasedJobs,
    private readonly storeFailed: (alias: string, error: unknown) => void,
  ) {}

  /** The due instant something is held or taken for, or `null`. */
  get at(): number | null {
    return this.held.at ?? this.taken.at;
  }

  /** A job (`null`: every job) is about to be changed through the scheduler. */
  changing(id: string | null): void {
    if (id === null) {
      this.held.changedAll();
      this.taken.changedAll();
    } else {
      this.held.changed(id);
      this.taken.changed(id);
    }
  }

  /**
   * Ends the hold of prepared runs: submits those whose jobs did not change (`submit`) or none (a
   * stop), then hands the jobs back to their stores. `false` if a store failed to take them.
   */
  async endHold(submit: boolean): Promise<boolean> {
    const { jobs } = this.parts;
    const owed = this.held.take(this.ctx.stores, this.ctx.clock.now(), submit ? (start) => jobs.submit(start) : null);
    // The runs start on the executor's microtask, queued by the first submission: let them start
    // before the stores' work.
    if (submit) await Promise.resolve();
    return this.#handBack(owed);
  }

  /** Hands back untouched the taken jobs not processed (a stop, or a store removed meanwhile). */
  endTaken(): Promise<boolean> {
    return this.#handBack(this.taken.end(this.ctx.stores));
  }

  /**
   * Takes the jobs of `store` due at the instant `at`, `batch` at a time, without processing
   * them, until none is left or the instant has come: the pass at the instant processes them.
   */
  async take(alias: string, store: JobStore, owner: string, at: number, batch: number): Promise<void> {
    const now = new Date(at).toISOString();
    let records: JobRecord[];
    do {
      records = await store.acquireDueJobs(now, owner, this.ctx.leaseMs, batch);
      if (records.length > 0) this.taken.add(at, owner, alias, store, records);
    } while (records.length === batch && this.ctx.clock.now() < at && this.ctx.state === 'running');
  }

  /** Sends the releases owed to each store; `false` if a store failed to take them (kept). */
  async #handBack(owed: readonly HeldReleases[]): Promise<boolean> {
    let ok = true;
    for (const { alias, store, owner, releases } of owed) {
      const pending = new HandBack(this.ctx, this.parts, alias, store, null, owner);
      for (const one of releases) pending.add(one, null, 0);
      try {
        await pending.flush();
      } catch (error) {
        this.storeFailed(alias, error);
        this.unreleased.keep(alias, owner, await pending.failed());
        ok = false;
      }
    }
    return ok;
  }
}
