/**
 * The SharedRuns part of the store contract (stores that keep the runs in flight of several
 * schedulers): `commitJobs` hands jobs back as `releaseJobs` does and records runs only where
 * allowed, `maxInstances` counts runs on every node, and runs whose lease expired are reaped by
 * exactly one caller. Two instances on one database stand for two nodes.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { RunStart } from '../../src/stores/runs.js';
import { useHarness } from './harness.js';
import { makeRecord, type JobStoreFixture } from './job-store.contract.js';
import { checkSharedAgainstModel } from './shared-runs.model.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const T2 = '2026-01-01T00:02:00.000Z';
const T3 = '2026-01-01T00:03:00.000Z';
const T0_30 = '2026-01-01T00:00:30.000Z';
const MINUTE = 60_000;

const run = (runId: string, jobId: string, node = 'n1', maxInstances = 1, scheduledRunTime = T0): RunStart => ({
  runId,
  jobId,
  node,
  scheduledRunTime,
  maxInstances,
});

/** Declares the SharedRuns part for one store (skipped for stores without it). */
export function sharedRunsContract(name: string, setup: () => Promise<JobStoreFixture>, modelRuns: number): void {
  describe(`SharedRuns contract: ${name}`, () => {
    const h = useHarness(setup, 'shared');

    it('commitJobs applies releases as releaseJobs does, and records runs only for applied releases', async () => {
      const s = h.shared;
      for (const id of ['move', 'pause', 'remove', 'changed']) await s.addJob(makeRecord({ id, nextRunTime: T0, version: 2 }));
      expect((await s.acquireDueJobs(T0, 'A#1', MINUTE, 10)).map((r) => r.id)).toStrictEqual(['changed', 'move', 'pause', 'remove']);
      // Rescheduled while A held it: A's release and run of it are dropped.
      await s.updateJob(makeRecord({ id: 'changed', nextRunTime: T2, version: 3 }));
      const result = await s.commitJobs(
        'A#1',
        [
          { id: 'move', acquiredRunTime: T0, nextRunTime: T3 },
          { id: 'pause', acquiredRunTime: T0, nextRunTime: null, pause: true },
          { id: 'remove', acquiredRunTime: T0, nextRunTime: null },
          { id: 'changed', acquiredRunTime: T0, nextRunTime: T1 },
        ],
        [run('r-move', 'move'), run('r-pause', 'pause'), run('r-remove', 'remove'), run('r-changed', 'changed')],
        T0,
        MINUTE,
      );
      expect(result).toStrictEqual({ removed: ['remove'], started: ['r-move', 'r-pause', 'r-remove'], atLimit: [] });
      expect(await s.getJobs()).toStrictEqual([
        makeRecord({ id: 'changed', nextRunTime: T2, version: 3 }),
        makeRecord({ id: 'move', nextRunTime: T3, version: 3 }),
        makeRecord({ id: 'pause', nextRunTime: null, version: 3 }),
      ]);
      // The leases are gone: the rescheduled job is due for anyone at its new time.
      expect((await s.acquireDueJobs(T2, 'B#1', MINUTE, 10)).map((r) => r.id)).toStrictEqual(['changed']);
      // Runs in flight are what the reaper finds once their lease expired.
      expect((await s.reapRuns(T1)).map((r) => r.runId).sort()).toStrictEqual(['r-move', 'r-pause', 'r-remove']);
    });

    it('holds a job released with hold: moved, still leased to its owner until now + leaseMs, renewable, then free', async () => {
      const s = h.shared;
      const other = await h.openShared();
      await s.addJob(makeRecord({ id: 'a', nextRunTime: T0, version: 2 }));
      await s.acquireDueJobs(T0, 'A#1', MINUTE, 10);
      const held = await s.commitJobs('A#1', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T0_30, hold: true }], [run('r1', 'a')], T0, MINUTE);
      expect(held).toStrictEqual({ removed: [], started: ['r1'], atLimit: [] });
      expect(await s.getJob('a')).toStrictEqual(makeRecord({ id: 'a', nextRunTime: T0_30, version: 3 }));
      // Due at T0:30, but held until T1: nobody else takes it.
      expect(await other.acquireDueJobs(T0_30, 'B#1', MINUTE, 10)).toStrictEqual([]);
      // A renewal (hold to the stored time) moves the lease's end to T1:30, not the record.
      await s.commitJobs('A#1', [{ id: 'a', acquiredRunTime: T0_30, nextRunTime: T0_30, hold: true }], [], T0_30, MINUTE);
      expect(await s.getJob('a')).toStrictEqual(makeRecord({ id: 'a', nextRunTime: T0_30, version: 3 }));
      expect(await other.acquireDueJobs(T1, 'B#2', MINUTE, 10)).toStrictEqual([]);
      expect(await other.getNextRunTime()).toBe('2026-01-01T00:01:30.000Z');
      // Its owner goes on to the next slot and lets go: free, and due for anyone at T2.
      const next = await s.commitJobs('A#1', [{ id: 'a', acquiredRunTime: T0_30, nextRunTime: T2 }], [run('r2', 'a', 'n1', 2, T0_30)], T1, MINUTE);
      expect(next.started).toStrictEqual(['r2']);
      expect((await other.acquireDueJobs(T2, 'B#3', MINUTE, 10)).map((r) => r.id)).toStrictEqual(['a']);
      // releaseJobs has no lease to give: hold is ignored there.
      await other.releaseJobs('B#3', [{ id: 'a', acquiredRunTime: T2, nextRunTime: T3, hold: true }]);
      expect((await s.acquireDueJobs(T3, 'A#2', MINUTE, 10)).map((r) => r.id)).toStrictEqual(['a']);
    });

    it("takes over a held job once its owner's hold has expired", async () => {
      const s = h.shared;
      const other = await h.openShared();
      await s.addJob(makeRecord({ id: 'a', nextRunTime: T0 }));
      await s.acquireDueJobs(T0, 'A#1', MINUTE, 10);
      await s.commitJobs('A#1', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T0_30, hold: true }], [run('r1', 'a')], T0, MINUTE);
      expect(await other.acquireDueJobs(T0_30, 'B#1', MINUTE, 10)).toStrictEqual([]);
      expect((await other.acquireDueJobs(T1, 'B#2', MINUTE, 10)).map((r) => r.nextRunTime)).toStrictEqual([T0_30]);
      // The old owner's late release is dropped.
      const late = await s.commitJobs('A#1', [{ id: 'a', acquiredRunTime: T0_30, nextRunTime: T2 }], [run('r2', 'a', 'n1', 2)], T1, MINUTE);
      expect(late).toStrictEqual({ removed: [], started: [], atLimit: [] });
    });

    it('never records a run of a job whose lease another owner holds', async () => {
      const s = h.shared;
      await s.addJob(makeRecord({ id: 'a', nextRunTime: T0 }));
      await s.acquireDueJobs(T0, 'A#1', MINUTE, 10);
      const other = await h.openShared();
      const result = await other.commitJobs('B#1', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }], [run('r1', 'a', 'n2')], T0, MINUTE);
      expect(result).toStrictEqual({ removed: [], started: [], atLimit: [] });
      expect((await s.getJob('a'))?.nextRunTime).toBe(T0);
      // A still holds it, and still commits.
      expect((await s.commitJobs('A#1', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }], [run('r2', 'a')], T0, MINUTE)).started).toStrictEqual(['r2']);
      // A job another owner took over after the lease expired: the old owner's run is dropped.
      await s.addJob(makeRecord({ id: 'b', nextRunTime: T0 }));
      await s.acquireDueJobs(T0, 'A#2', MINUTE, 10);
      expect((await other.acquireDueJobs(T2, 'B#2', MINUTE, 10)).map((r) => r.id)).toStrictEqual(['b']);
      const late = await s.commitJobs('A#2', [{ id: 'b', acquiredRunTime: T0, nextRunTime: T3 }], [run('r3', 'b')], T2, MINUTE);
      expect(late).toStrictEqual({ removed: [], started: [], atLimit: [] });
    });

    it('counts maxInstances across nodes, leaves out expired runs, and records runs without a release', async () => {
      const s = h.shared;
      const other = await h.openShared();
      await s.addJob(makeRecord({ id: 'a', nextRunTime: T3, maxInstances: 2 }));
      // Runs without a release (runJob): recorded while fewer than maxInstances are in flight.
      expect((await s.commitJobs('A#1', [], [run('r1', 'a', 'n1', 2)], T0, MINUTE)).started).toStrictEqual(['r1']);
      expect((await other.commitJobs('B#1', [], [run('r2', 'a', 'n2', 2)], T0_30, MINUTE)).started).toStrictEqual(['r2']);
      expect(await other.commitJobs('B#2', [], [run('r3', 'a', 'n2', 2)], T0_30, MINUTE)).toStrictEqual({ removed: [], started: [], atLimit: ['r3'] });
      expect((await s.commitJobs('A#2', [], [run('r4', 'a', 'n1', 3)], T0_30, MINUTE)).started).toStrictEqual(['r4']);
      // At T1 r1's lease has expired: it no longer counts (r2 and r4 do).
      expect((await s.commitJobs('A#3', [], [run('r5', 'a', 'n1', 3)], T1, MINUTE)).started).toStrictEqual(['r5']);
      expect((await s.commitJobs('A#4', [], [run('r6', 'a', 'n1', 3)], T1, MINUTE)).atLimit).toStrictEqual(['r6']);
      // Finished runs no longer count.
      await other.finishRuns(['r2', 'r4', 'unknown']);
      expect((await s.commitJobs('A#5', [], [run('r7', 'a', 'n1', 3)], T1, MINUTE)).started).toStrictEqual(['r7']);
      // A run of a job that is not in the store (removed meanwhile) has nothing to count against.
      expect((await s.commitJobs('A#6', [], [run('r8', 'gone')], T1, MINUTE)).started).toStrictEqual(['r8']);
    });

    it('lets only one of two nodes committing at once start a run past maxInstances', async () => {
      const s = h.shared;
      const other = await h.openShared();
      for (let i = 0; i < 8; i++) {
        const id = `job${i}`;
        await s.addJob(makeRecord({ id, nextRunTime: T3 }));
        const [mine, theirs] = await Promise.all([
          s.commitJobs(`A#${i}`, [], [run(`${id}-a`, id, 'n1')], T0, MINUTE),
          other.commitJobs(`B#${i}`, [], [run(`${id}-b`, id, 'n2')], T0, MINUTE),
        ]);
        expect([...mine.started, ...theirs.started]).toHaveLength(1);
        expect([...mine.atLimit, ...theirs.atLimit]).toHaveLength(1);
      }
    });

    it('extendRuns keeps a node’s own runs in flight, and never brings back an expired one', async () => {
      const s = h.shared;
      await s.commitJobs('A#1', [], [run('mine', 'a', 'n1'), run('theirs', 'b', 'n2'), run('late', 'c', 'n1')], T0, MINUTE);
      await s.extendRuns('n1', ['mine', 'theirs', 'unknown'], T0_30, MINUTE);
      // `late` expired at T1 and is not extended at T1 either.
      await s.extendRuns('n1', ['late'], T1, MINUTE);
      expect((await s.reapRuns(T1)).map((r) => r.runId).sort()).toStrictEqual(['late', 'theirs']);
      expect(await s.reapRuns('2026-01-01T00:01:29.999Z')).toStrictEqual([]);
      expect(await s.reapRuns('2026-01-01T00:01:30.000Z')).toStrictEqual([
        { runId: 'mine', jobId: 'a', node: 'n1', scheduledRunTime: T0, leaseUntil: '2026-01-01T00:01:30.000Z' },
      ]);
      // Reaped: an extension does not bring it back.
      await s.extendRuns('n1', ['mine'], '2026-01-01T00:01:30.000Z', MINUTE);
      expect(await s.reapRuns(T3)).toStrictEqual([]);
    });

    it('returns each abandoned run to exactly one of two reapers', async () => {
      const s = h.shared;
      const other = await h.openShared();
      const runs = Array.from({ length: 40 }, (_, i) => run(`r${i}`, `job${i % 7}`, `n${i % 3}`, 100, T0));
      await s.commitJobs('A#1', [], runs.slice(0, 20), T0, MINUTE);
      await other.commitJobs('B#1', [], runs.slice(20), T0, 2 * MINUTE);
      const [first, second] = await Promise.all([s.reapRuns(T3), other.reapRuns(T3)]);
      const ids = [...first, ...second].map((r) => r.runId);
      expect(ids.sort()).toStrictEqual(runs.map((r) => r.runId).sort());
      expect(new Set(ids).size).toBe(40);
      expect(await s.reapRuns(T3)).toStrictEqual([]);
    });

    it('agrees with a model of jobs, leases and runs on random sequences of commits', async () => {
      await checkSharedAgainstModel(h.shared, Math.max(10, Math.round(modelRuns / 2)));
    }, 30_000 + modelRuns * 150);
  });
}
