/**
 * Watching a store from its tests: waiting (in real time, bounded) for something it does on its
 * own, such as a notification from another instance, and a context that counts its wakeups and
 * keeps its log lines.
 */
import { expect } from 'vitest';
import type { JobStore, JobStoreContext } from '../../src/stores/job-store.js';
import { codeOf } from '../contracts/harness.js';
import { contractContext, makeRecord } from '../contracts/job-store.contract.js';

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

type Watched = ReturnType<typeof watching>;

/**
 * Two started stores sharing their jobs, each watched: an add and an update through A wake B, a
 * removal and a removal of all jobs through B wake A, each exactly once and never the writer
 * itself; a failed write, and whatever `quiet` does, wake nobody.
 */
export async function expectWakesEachOther(
  storeA: JobStore,
  a: Watched,
  storeB: JobStore,
  b: Watched,
  quiet: () => Promise<void> = async () => undefined,
): Promise<void> {
  await storeA.addJob(makeRecord({ id: 'a' }));
  await until(() => b.wakeups() === 1, 'the add to reach B');
  await storeA.updateJob(makeRecord({ id: 'a', version: 2 }));
  await until(() => b.wakeups() === 2, 'the update to reach B');
  await storeB.removeJob('a');
  await until(() => a.wakeups() === 1, 'the removal to reach A');
  await storeB.removeAllJobs();
  await until(() => a.wakeups() === 2, 'the removal of all jobs to reach A');
  expect(await codeOf(storeB.removeJob('a'))).toBe('ERR_JOB_NOT_FOUND');
  expect(await codeOf(storeB.updateJob(makeRecord({ id: 'a', version: 3 })))).toBe('ERR_JOB_NOT_FOUND');
  await quiet();
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect([a.wakeups(), b.wakeups()]).toStrictEqual([2, 2]);
}
