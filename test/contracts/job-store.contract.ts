/**
 * The shared behaviour suite of {@link JobStore}. Every store runs it:
 *
 * ```ts
 * jobStoreContract('SqliteJobStore', async () => {
 *   const path = freshFile();
 *   return { store: new SqliteJobStore({ path }), open: () => new SqliteJobStore({ path }) };
 * });
 * ```
 *
 * `setup` runs before each test (the suite then calls `store.start`), `shutdown` and `teardown`
 * after it. Times are fixed ISO strings, never the wall clock. Errors are matched by `code`,
 * because a store may come from another bundle of the library.
 *
 * A store declared `persistent` (its fixture has `open()`: another instance on the same database)
 * also runs the persistence and two-instance part (`job-store.shared.ts`); one declared
 * `sharedRuns` also runs the shared-runs part (`shared-runs.contract.ts`). A store declared so
 * that lacks the part fails those tests.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord, JobStore, JobStoreContext } from '../../src/stores/job-store.js';
import { SystemClock } from '../../src/clock/clock.js';
import { checkAgainstModel } from './job-store.model.js';
import { sharedStoreContract } from './job-store.shared.js';
import { sharedRunsContract } from './shared-runs.contract.js';

/** What a contract `setup` returns: a fresh, empty store and how to dispose of it. */
export interface JobStoreFixture {
  /** The store under test; the suite starts and shuts it down. */
  store: JobStore;
  /**
   * A persistent store's other instance on the same database (tables, file), not started: the
   * suite starts and shuts down what it opens. Absent for stores that live in one process.
   */
  open?: () => JobStore | Promise<JobStore>;
  /** Frees what `setup` created (files, connections, keys). */
  teardown?: () => Promise<void>;
}

/** How much of the suite a store runs. */
export interface ContractOptions {
  /**
   * Operation sequences of the model-based tests (default 200). A store behind a network
   * round trip per call runs fewer, so the suite stays within its time.
   */
  modelRuns?: number;
  /** The store keeps its jobs across instances: run the persistence and two-instance part. */
  persistent?: boolean;
  /** The store implements {@link SharedRuns}: run the shared-runs part. */
  sharedRuns?: boolean;
}

/** The context a store gets at `start()` in the suite: the system clock, no scheduler to wake. */
export function contractContext(wakeup: () => void = () => undefined): JobStoreContext {
  return { alias: 'contract', identity: 'contract-node', clock: new SystemClock(), wakeup, log: () => undefined };
}

/** A valid record with defaults for every field not given. */
export function makeRecord(overrides: Partial<JobRecord> = {}): JobRecord {
  const id = overrides.id ?? 'job';
  return {
    id,
    name: id,
    task: 'task',
    inlineTask: false,
    args: [],
    trigger: { type: 'date', runDate: '2026-01-01T00:00:00.000Z' },
    executor: 'default',
    misfireGraceTime: null,
    coalesce: 'latest',
    maxInstances: 1,
    jitter: null,
    timeout: null,
    nextRunTime: '2026-01-01T00:00:00.000Z',
    metadata: {},
    version: 1,
    ...overrides,
  };
}

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const T2 = '2026-01-01T00:02:00.000Z';
const T3 = '2026-01-01T00:03:00.000Z';
const LATER = '2026-01-01T01:00:00.000Z';
const T0_30 = '2026-01-01T00:00:30.000Z';
const T1_30 = '2026-01-01T00:01:30.000Z';
const MINUTE = 60_000;

/** Rejects with a library error carrying `code` (checked by code, not class). */
async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const ids = (records: JobRecord[]): string[] => records.map((record) => record.id);

/** Declares the contract suite for one store. */
export function jobStoreContract(name: string, setup: () => Promise<JobStoreFixture>, options: ContractOptions = {}): void {
  const modelRuns = options.modelRuns ?? 200;
  if (options.persistent === true) sharedStoreContract(name, setup);
  if (options.sharedRuns === true) sharedRunsContract(name, setup, modelRuns);
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore;
    let teardown: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, teardown } = await setup());
      await store.start?.(contractContext());
    });
    afterEach(async () => {
      await store.shutdown?.();
      await teardown?.();
    });

    const add = async (...records: JobRecord[]): Promise<void> => {
      for (const record of records) await store.addJob(record);
    };
    const acquire = (now: string, owner: string, limit = 10, leaseMs = MINUTE) =>
      store.acquireDueJobs(now, owner, leaseMs, limit);

    describe('add, get, update, remove', () => {
      it('returns a record exactly as written, and it survives JSON', async () => {
        const record = makeRecord({
          id: 'rich',
          name: 'Rich job ✓',
          args: [1, 'two', null, [true, { nested: [3.5] }], { a: 'ä' }],
          trigger: { type: 'interval', minutes: 5, startDate: '2026-01-01T09:00:00.000+02:00' },
          misfireGraceTime: 30,
          coalesce: 'all',
          maxInstances: 3,
          jitter: 2.5,
          timeout: 60,
          nextRunTime: '2026-03-29T03:30:00.000+03:00',
          metadata: { owner: 'ops', tags: ['a', 'b'], limits: { n: 0 } },
          version: 7,
        });
        const paused = makeRecord({ id: 'paused', nextRunTime: null, inlineTask: true });
        await add(record, paused);
        const got = await store.getJob('rich');
        expect(got).toStrictEqual(record);
        expect(JSON.parse(JSON.stringify(got))).toStrictEqual(record);
        expect(await store.getJob('paused')).toStrictEqual(paused);
        expect(await store.getJob('missing')).toBeUndefined();
      });

      it('rejects a duplicate id with ERR_CONFLICTING_ID and keeps the original', async () => {
        const original = makeRecord({ id: 'a', nextRunTime: T1 });
        await add(original);
        await expectCode(
          store.addJob(makeRecord({ id: 'a', name: 'other', nextRunTime: T0 })),
          'ERR_CONFLICTING_ID',
        );
        expect(await store.getJob('a')).toStrictEqual(original);
        expect(await store.getJobs()).toStrictEqual([original]);
        expect(ms(await store.getNextRunTime())).toBe(ms(T1));
      });

      it('updates only with version = stored version + 1', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T1 }));
        const v2 = makeRecord({ id: 'a', name: 'renamed', nextRunTime: T2, version: 2 });
        await store.updateJob(v2);
        expect(await store.getJob('a')).toStrictEqual(v2);
        expect(ms(await store.getNextRunTime())).toBe(ms(T2));
        for (const version of [1, 2, 4]) {
          await expectCode(
            store.updateJob(makeRecord({ id: 'a', nextRunTime: T0, version })),
            'ERR_CONCURRENT_MODIFICATION',
          );
        }
        expect(await store.getJob('a')).toStrictEqual(v2);
        expect(ms(await store.getNextRunTime())).toBe(ms(T2));
      });

      it('rejects update and remove of a missing id with ERR_JOB_NOT_FOUND', async () => {
        await expectCode(
          store.updateJob(makeRecord({ id: 'nope', version: 2 })),
          'ERR_JOB_NOT_FOUND',
        );
        await expectCode(store.removeJob('nope'), 'ERR_JOB_NOT_FOUND');
        await add(makeRecord({ id: 'a' }));
        await store.removeJob('a');
        await expectCode(store.removeJob('a'), 'ERR_JOB_NOT_FOUND');
        expect(await store.getJob('a')).toBeUndefined();
        expect(await store.getJobs()).toStrictEqual([]);
        expect(await store.getNextRunTime()).toBeNull();
      });

      it('removeAllJobs clears jobs and leases', async () => {
        await add(
          makeRecord({ id: 'a', nextRunTime: T0 }),
          makeRecord({ id: 'b', nextRunTime: null }),
        );
        await acquire(T0, 'A');
        await store.removeAllJobs();
        expect(await store.getJobs()).toStrictEqual([]);
        expect(await store.getNextRunTime()).toBeNull();
        await add(makeRecord({ id: 'a', nextRunTime: T0 }));
        expect(ids(await acquire(T0, 'B'))).toStrictEqual(['a']);
      });
    });

    describe('ordering', () => {
      it('getJobs sorts by instant, then id, paused last (by id)', async () => {
        await add(
          makeRecord({ id: 'c', nextRunTime: T1 }),
          makeRecord({ id: 'q', nextRunTime: null }),
          makeRecord({ id: 'a', nextRunTime: T1 }),
          makeRecord({ id: 'd', nextRunTime: T2 }),
          makeRecord({ id: 'p', nextRunTime: null }),
          makeRecord({ id: 'b', nextRunTime: T0 }),
          // 23:59 UTC the day before: earliest, though its string sorts last.
          makeRecord({ id: 'z', nextRunTime: '2026-01-01T01:59:00.000+02:00' }),
        );
        expect(ids(await store.getJobs())).toStrictEqual(['z', 'b', 'a', 'c', 'd', 'p', 'q']);
      });

      it('getNextRunTime ignores paused and leased jobs', async () => {
        expect(await store.getNextRunTime()).toBeNull();
        await add(makeRecord({ id: 'p', nextRunTime: null }));
        expect(await store.getNextRunTime()).toBeNull();
        await add(
          makeRecord({ id: 'b', nextRunTime: T1 }),
          makeRecord({ id: 'a', nextRunTime: T0 }),
        );
        expect(ms(await store.getNextRunTime())).toBe(ms(T0));
        await acquire(T0, 'A', 10, 10 * MINUTE);
        expect(ms(await store.getNextRunTime())).toBe(ms(T1));
      });

      it('getNextRunTime counts a leased job from max(lease expiry, nextRunTime)', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T0 }));
        await acquire(T1, 'A', 10, MINUTE);
        expect(ms(await store.getNextRunTime())).toBe(ms(T2));
        await store.updateJob(makeRecord({ id: 'a', nextRunTime: LATER, version: 2 }));
        expect(ms(await store.getNextRunTime())).toBe(ms(LATER));
        await store.updateJob(makeRecord({ id: 'a', nextRunTime: null, version: 3 }));
        expect(await store.getNextRunTime()).toBeNull();
      });
    });

    describe('acquireDueJobs', () => {
      it('leases only due, unpaused jobs, earliest first (ties by id)', async () => {
        const records = [
          makeRecord({ id: 'late', nextRunTime: T2 }),
          makeRecord({ id: 'b', nextRunTime: T1 }),
          makeRecord({ id: 'a', nextRunTime: T1 }),
          makeRecord({ id: 'first', nextRunTime: T0 }),
          makeRecord({ id: 'paused', nextRunTime: null }),
        ];
        await add(...records);
        const due = await acquire(T1, 'A');
        expect(due).toStrictEqual([records[3], records[2], records[1]]);
      });

      it('honours limit and never returns a leased job twice', async () => {
        await add(...['a', 'b', 'c'].map((id) => makeRecord({ id, nextRunTime: T0 })));
        expect(ids(await acquire(T1, 'A', 2))).toStrictEqual(['a', 'b']);
        expect(ids(await acquire(T1, 'A', 2))).toStrictEqual(['c']);
        expect(await acquire(T1, 'A')).toStrictEqual([]);
        expect(await acquire(T1_30, 'B')).toStrictEqual([]);
      });

      it('lets another owner take a job once its lease expired', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T0 }));
        expect(ids(await acquire(T0, 'A', 10, MINUTE))).toStrictEqual(['a']);
        expect(await acquire('2026-01-01T00:00:59.999Z', 'B')).toStrictEqual([]);
        expect(ids(await acquire(T2, 'B'))).toStrictEqual(['a']);
        // A's late release is ignored: B holds the lease now.
        await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: null }]);
        expect(await store.getJob('a')).toBeDefined();
        await store.releaseJobs('B', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }]);
        expect((await store.getJob('a'))?.nextRunTime).toBe(T3);
      });
    });

    describe('leases held past their expiry', () => {
      it('never hands a job back to the owner that still holds it, even after its lease expired', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T0 }), makeRecord({ id: 'b', nextRunTime: T0 }));
        expect(ids(await acquire(T0, 'A', 10, MINUTE))).toStrictEqual(['a', 'b']);
        // Long past the expiry, A asks again: it is still processing a and b, so gets neither.
        expect(await acquire(LATER, 'A')).toStrictEqual([]);
        // A's release still counts: it holds the lease until someone else takes it over.
        await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }]);
        expect((await store.getJob('a'))?.nextRunTime).toBe(T3);
        // Another owner takes over what A still holds past its expiry.
        expect(ids(await acquire(LATER, 'B'))).toStrictEqual(['b', 'a']);
      });
    });

    describe('releaseJobs', () => {
      it('keeps the stored record when its trigger changed while leased, even at the same nextRunTime', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T0 }));
        await acquire(T0, 'A');
        const rescheduled = makeRecord({
          id: 'a',
          nextRunTime: T0,
          trigger: { type: 'interval', seconds: 30, startDate: T0 },
          version: 2,
        });
        await store.updateJob(rescheduled);
        expect(await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }])).toStrictEqual([]);
        expect(await store.getJob('a')).toStrictEqual(rescheduled);
        // Only the lease is gone: the new schedule's first slot is due for anyone.
        expect(await acquire(T0, 'B')).toStrictEqual([rescheduled]);
      });

      it('applies a release when the trigger was rewritten as an equal spec', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T0 }));
        await acquire(T0, 'A');
        const renamed = makeRecord({ id: 'a', name: 'renamed', nextRunTime: T0, version: 2 });
        await store.updateJob(JSON.parse(JSON.stringify(renamed)) as JobRecord);
        await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }]);
        expect(await store.getJob('a')).toStrictEqual({ ...renamed, nextRunTime: T3, version: 3 });
      });

      it('pauses instead of removing a job released with pause: true', async () => {
        const record = makeRecord({ id: 'a', nextRunTime: T0, version: 4 });
        await add(record);
        await acquire(T0, 'A');
        const removed = await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: null, pause: true }]);
        expect(removed).toStrictEqual([]);
        expect(await store.getJob('a')).toStrictEqual({ ...record, nextRunTime: null, version: 5 });
        expect(await store.getNextRunTime()).toBeNull();
        expect(await acquire(LATER, 'B')).toStrictEqual([]);
      });

      it('moves a job to its new run time with version + 1', async () => {
        const record = makeRecord({ id: 'a', nextRunTime: T0, metadata: { k: 1 }, version: 3 });
        await add(record);
        await acquire(T0, 'A');
        await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }]);
        expect(await store.getJob('a')).toStrictEqual({ ...record, nextRunTime: T3, version: 4 });
        expect(ms(await store.getNextRunTime())).toBe(ms(T3));
        expect(await acquire(T2, 'B')).toStrictEqual([]);
        expect(ids(await acquire(T3, 'B'))).toStrictEqual(['a']);
      });

      it('removes a job released with nextRunTime null', async () => {
        await add(
          makeRecord({ id: 'a', nextRunTime: T0 }),
          makeRecord({ id: 'b', nextRunTime: T1 }),
        );
        await acquire(T0, 'A');
        const removed = await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: null }]);
        expect(removed).toStrictEqual(['a']);
        expect(await store.getJob('a')).toBeUndefined();
        expect(ids(await store.getJobs())).toStrictEqual(['b']);
      });

      it('keeps the stored record when its nextRunTime changed while leased', async () => {
        await add(
          makeRecord({ id: 'p', nextRunTime: T0 }),
          makeRecord({ id: 'r', nextRunTime: T0 }),
        );
        await acquire(T0, 'A');
        const paused = makeRecord({ id: 'p', nextRunTime: null, version: 2 });
        const moved = makeRecord({ id: 'r', nextRunTime: T2, version: 2 });
        await store.updateJob(paused);
        await store.updateJob(moved);
        const removed = await store.releaseJobs('A', [
          { id: 'p', acquiredRunTime: T0, nextRunTime: T1 },
          { id: 'r', acquiredRunTime: T0, nextRunTime: null },
        ]);
        expect(removed).toStrictEqual([]);
        expect(await store.getJobs()).toStrictEqual([moved, paused]);
        expect(ms(await store.getNextRunTime())).toBe(ms(T2));
        // Both leases are gone: resuming p makes it due for anyone at once.
        await store.updateJob(makeRecord({ id: 'p', nextRunTime: T0, version: 3 }));
        expect(ids(await acquire(T2, 'B'))).toStrictEqual(['p', 'r']);
      });

      it('keeps the lease across an update that kept nextRunTime, then releases', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T0 }));
        await acquire(T0, 'A');
        const v2 = makeRecord({ id: 'a', nextRunTime: T0, name: 'renamed', version: 2 });
        await store.updateJob(v2);
        expect(await acquire(T0_30, 'B')).toStrictEqual([]);
        await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }]);
        expect(await store.getJob('a')).toStrictEqual({ ...v2, nextRunTime: T3, version: 3 });
      });

      it('ignores a release by an owner that holds no lease on the job', async () => {
        const a = makeRecord({ id: 'a', nextRunTime: T0 });
        const idle = makeRecord({ id: 'idle', nextRunTime: T3 });
        await add(a, idle);
        await acquire(T0, 'A');
        const removed = await store.releaseJobs('B', [
          { id: 'a', acquiredRunTime: T0, nextRunTime: null },
          { id: 'idle', acquiredRunTime: T3, nextRunTime: LATER },
          { id: 'ghost', acquiredRunTime: T0, nextRunTime: T1 },
        ]);
        expect(removed).toStrictEqual([]);
        expect(await store.getJobs()).toStrictEqual([a, idle]);
        expect(await acquire(T0_30, 'B')).toStrictEqual([]);
        expect(ms(await store.getNextRunTime())).toBe(ms(T1)); // A's lease expiry
        await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: null }]);
        expect(await store.getJobs()).toStrictEqual([idle]);
      });

      it('does not resurrect a job removed while leased', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T0 }));
        await acquire(T0, 'A');
        await store.removeJob('a');
        await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }]);
        expect(await store.getJob('a')).toBeUndefined();
        expect(await store.getNextRunTime()).toBeNull();
      });

      it('treats a job re-added after removal while leased as a new, unleased job', async () => {
        await add(makeRecord({ id: 'a', nextRunTime: T0 }));
        await acquire(T0, 'A');
        await store.removeJob('a');
        const fresh = makeRecord({ id: 'a', name: 'fresh', nextRunTime: T0 });
        await add(fresh);
        expect(await store.releaseJobs('A', [{ id: 'a', acquiredRunTime: T0, nextRunTime: null }])).toStrictEqual([]);
        expect(await store.getJob('a')).toStrictEqual(fresh);
        expect(await acquire(T0, 'B')).toStrictEqual([fresh]);
      });
    });

    it('agrees with a simple model on random operation sequences', async () => {
      await checkAgainstModel(store, modelRuns);
    }, 30_000 + modelRuns * 150);
  });
}
