/**
 * Releases a store failed to take (its call threw), kept per store alias and sent again before
 * the loop takes anything new from that store: a job whose run already started must not be
 * taken again under a new lease while its release is still owed.
 *
 * @internal
 * @module
 */
import type { JobRelease, JobStore } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';
import { release } from './hand-back.js';

/** Releases of one lease owner that one store failed to take. */
interface Owed {
  readonly owner: string;
  readonly releases: JobRelease[];
}

/** The releases owed to each store, oldest first. */
export class UnreleasedJobs {
  readonly #owed = new Map<string, Owed[]>();

  /** Keeps `releases` of `owner` to send to the store `alias` later. */
  keep(alias: string, owner: string, releases: JobRelease[]): void {
    if (releases.length === 0) return;
    const kept = this.#owed.get(alias) ?? [];
    kept.push({ owner, releases });
    this.#owed.set(alias, kept);
  }

  /** Sends what `store` is owed, oldest first. @throws what the store threw (the rest stays kept) */
  async retry(ctx: SchedulerContext, alias: string, store: JobStore): Promise<void> {
    const kept = this.#owed.get(alias);
    while (kept !== undefined && kept.length > 0) {
      const { owner, releases } = kept[0] as Owed;
      await release(ctx, alias, store, owner, releases);
      kept.shift();
    }
    this.#owed.delete(alias);
  }
}
