/**
 * Watching a store from its tests: waiting (in real time, bounded) for something it does on its
 * own, such as a notification from another instance, and a context that counts its wakeups and
 * keeps its log lines.
 */
import type { JobStoreContext } from '../../src/stores/job-store.js';
import { contractContext } from '../contracts/job-store.contract.js';

/** Waits until `check()` holds (5 s at most). */
export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A context that counts wakeups and keeps log lines. */
export function watching(): { context: JobStoreContext; wakeups: () => number; logs: string[] } {
  let wakeups = 0;
  const logs: string[] = [];
  const context = { ...contractContext(() => void wakeups++), log: (level: string, message: string) => void logs.push(`${level} ${message}`) };
  return { context, wakeups: () => wakeups, logs };
}
