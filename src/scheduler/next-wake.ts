/**
 * When the loop looks at its stores next: the earliest next run time over all stores, and the
 * shortest poll interval of the stores that ask for one.
 *
 * @internal
 * @module
 */
import type { JobStore } from '../stores/job-store.js';

/**
 * The shortest `pollInterval` of the stores in ms (`Infinity` when none has one): a store shared
 * with schedulers that cannot notify this one is looked at that often, so their changes are seen
 * in time.
 */
export function pollMs(stores: ReadonlyMap<string, JobStore>): number {
  let poll = Infinity;
  for (const store of stores.values()) {
    const seconds = store.pollInterval;
    if (typeof seconds === 'number' && seconds > 0) poll = Math.min(poll, seconds * 1000);
  }
  return poll;
}

/**
 * The earliest next run time over all stores (epoch ms), `null` if none, `undefined` when a
 * store failed (`failed` is told which, and the rest are not asked).
 */
export async function earliestRunTime(
  stores: ReadonlyMap<string, JobStore>,
  failed: (alias: string, error: unknown) => void,
): Promise<number | null | undefined> {
  let earliest: number | null = null;
  for (const [alias, store] of stores) {
    try {
      const next = await store.getNextRunTime();
      if (next === null) continue;
      const time = Date.parse(next);
      if (earliest === null || time < earliest) earliest = time;
    } catch (error) {
      failed(alias, error);
      return undefined;
    }
  }
  return earliest;
}
