import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/stores/job-store.js';
import { MemoryJobStore } from '../../src/stores/memory.js';
import { jobStoreContract, makeRecord } from '../contracts/job-store.contract.js';

jobStoreContract('MemoryJobStore', async () => ({ store: new MemoryJobStore() }));

const BASE = Date.UTC(2026, 0, 1);
const iso = (seconds: number): string => new Date(BASE + seconds * 1000).toISOString();

/** A small deterministic PRNG (mulberry32), so the scale tests need no wall clock or seed file. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('MemoryJobStore', () => {
  it('is not persistent and keeps its jobs across shutdown and start', async () => {
    const store = new MemoryJobStore();
    expect(store.persistent).toBe(false);
    await store.start();
    await store.addJob(makeRecord({ id: 'a' }));
    await store.shutdown();
    await store.start();
    expect(await store.getJob('a')).toBeDefined();
  });

  it('keeps and returns the very record objects it was given', async () => {
    const store = new MemoryJobStore();
    const record = makeRecord({ id: 'a', nextRunTime: '2026-01-01T02:00:00.000+02:00' });
    await store.addJob(record);
    expect(await store.getJob('a')).toBe(record);
    expect((await store.getJobs())[0]).toBe(record);
    // The unleased next run time is returned exactly as written, offset included.
    expect(await store.getNextRunTime()).toBe(record.nextRunTime);
    expect((await store.acquireDueJobs(iso(0), 'A', 1000, 1))[0]).toBe(record);
  });

  it('ends a lease when now reaches its expiry (reported as ISO)', async () => {
    const store = new MemoryJobStore();
    await store.addJob(makeRecord({ id: 'a', nextRunTime: iso(0) }));
    await store.acquireDueJobs(iso(10), 'A', 5000, 1);
    expect(await store.getNextRunTime()).toBe(iso(15));
    expect(
      await store.acquireDueJobs(new Date(BASE + 14_999).toISOString(), 'B', 5000, 1),
    ).toHaveLength(0);
    expect(await store.acquireDueJobs(iso(15), 'B', 5000, 1)).toHaveLength(1);
  });

  it('takes releases in any order, each from the holder of its lease only', async () => {
    const store = new MemoryJobStore();
    for (const id of ['a', 'b', 'c', 'd']) await store.addJob(makeRecord({ id, nextRunTime: iso(0) }));
    expect((await store.acquireDueJobs(iso(1), 'A', 60_000, 3)).map((r) => r.id)).toStrictEqual(['a', 'b', 'c']);
    expect((await store.acquireDueJobs(iso(1), 'B', 60_000, 3)).map((r) => r.id)).toStrictEqual(['d']);
    const release = (id: string, seconds: number) => ({ id, acquiredRunTime: iso(0), nextRunTime: iso(seconds) });
    // 'a' holds the oldest lease, but B does not hold it: nothing changes.
    await store.releaseJobs('B', [release('a', 99)]);
    expect((await store.getJob('a'))?.nextRunTime).toBe(iso(0));
    await store.releaseJobs('A', [release('c', 30), release('a', 10)]);
    await store.releaseJobs('B', [release('d', 40)]);
    await store.releaseJobs('A', [release('b', 20), release('a', 99)]); // 'a' was let go already
    const jobs = await store.getJobs();
    expect(jobs.map((r) => [r.id, r.nextRunTime, r.version])).toStrictEqual([
      ['a', iso(10), 2],
      ['b', iso(20), 2],
      ['c', iso(30), 2],
      ['d', iso(40), 2],
    ]);
    expect(await store.getNextRunTime()).toBe(iso(10));
  });

  it('drains 100,000 jobs through acquire and release in due order', async () => {
    const store = new MemoryJobStore();
    const count = 100_000;
    const random = prng(42);
    for (let i = 0; i < count; i++) {
      await store.addJob(
        makeRecord({ id: `job-${i}`, nextRunTime: iso(Math.floor(random() * 50_000)) }),
      );
    }
    let previous: JobRecord | undefined;
    let drained = 0;
    let released = 0;
    for (;;) {
      const batch = await store.acquireDueJobs(iso(100_000), 'A', 60_000, 1000);
      if (batch.length === 0) break;
      const releases = [];
      for (const record of batch) {
        if (previous !== undefined) {
          const order =
            Date.parse(previous.nextRunTime as string) - Date.parse(record.nextRunTime as string);
          expect(order < 0 || (order === 0 && previous.id < record.id)).toBe(true);
        }
        previous = record;
        // Every tenth job runs once more, at the end of the timeline; the rest finish.
        const again = record.version === 1 && drained % 10 === 0;
        releases.push({
          id: record.id,
          acquiredRunTime: record.nextRunTime as string,
          nextRunTime: again ? iso(60_000) : null,
        });
        drained++;
        if (!again) released++;
      }
      await store.releaseJobs('A', releases);
    }
    expect(released).toBe(count);
    expect(drained).toBe(count + count / 10);
    expect(await store.getJobs()).toStrictEqual([]);
    expect(await store.getNextRunTime()).toBeNull();
  });

  it('keeps getNextRunTime and acquisition right after many updates', async () => {
    const store = new MemoryJobStore();
    const random = prng(7);
    const latest = new Map<string, JobRecord>();
    for (let i = 0; i < 1000; i++) {
      const record = makeRecord({
        id: `j${String(i).padStart(4, '0')}`,
        nextRunTime: iso(1000 + Math.floor(random() * 1000)),
      });
      await store.addJob(record);
      latest.set(record.id, record);
    }
    for (let i = 0; i < 20_000; i++) {
      const id = `j${String(Math.floor(random() * 1000)).padStart(4, '0')}`;
      const stored = latest.get(id) as JobRecord;
      const nextRunTime = random() < 0.1 ? null : iso(Math.floor(random() * 2000));
      const record = { ...stored, nextRunTime, version: stored.version + 1 };
      await store.updateJob(record);
      latest.set(id, record);
      if (i % 1000 === 0) {
        const times = [...latest.values()].flatMap((r) =>
          r.nextRunTime === null ? [] : [Date.parse(r.nextRunTime)],
        );
        expect(Date.parse((await store.getNextRunTime()) as string)).toBe(Math.min(...times));
      }
    }
    const expected = [...latest.values()]
      .filter((r) => r.nextRunTime !== null && Date.parse(r.nextRunTime) <= BASE + 1500_000)
      .sort(
        (a, b) =>
          Date.parse(a.nextRunTime as string) - Date.parse(b.nextRunTime as string) ||
          (a.id < b.id ? -1 : 1),
      );
    const acquired = await store.acquireDueJobs(iso(1500), 'A', 60_000, 5000);
    expect(acquired.map((r) => r.id)).toStrictEqual(expected.map((r) => r.id));
    expect(acquired.every((r, index) => r === expected[index])).toBe(true);
  });
});
