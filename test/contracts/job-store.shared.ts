/**
 * The persistence and sharing part of the store contract, for stores whose fixture can `open()`
 * another instance on the same database: records, leases and runs outlive the instance that
 * wrote them, byte for byte; two instances see each other's writes and respect each other's
 * leases; two writers of one version of a job cannot both win; two acquirers never get the same
 * job.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/stores/job-store.js';
import { codeOf, isShared, useHarness } from './harness.js';
import { contractContext, makeRecord, type JobStoreFixture } from './job-store.contract.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const T3 = '2026-01-01T00:03:00.000Z';
const T0_30 = '2026-01-01T00:00:30.000Z';
const MINUTE = 60_000;

/** Records that are hard to keep exactly: quotes, unicode (astral too), long strings, odd numbers. */
export function awkwardRecords(): JobRecord[] {
  const long = 'x'.repeat(10_240);
  const unicode = 'äöü ß ✓ 日本語 🚀 𝄞 \u2028 \\ \' " `';
  return [
    makeRecord({
      id: `it's "quoted" \\ ${unicode}`,
      name: unicode,
      args: [unicode, long, 1e21, -0.000001, 123456789.125, [null, true, { '': '', 'a"b': "c'd" }]],
      trigger: { type: 'interval', minutes: 5, startDate: '2026-01-01T09:00:00.000+02:00' },
      // 01:00 UTC, written with an offset: after every instant the tests use.
      nextRunTime: '2026-01-01T03:00:00.000+02:00',
      metadata: { unicode, nested: { deep: [1, [2, [3]]] }, long },
      jitter: 0.5,
      version: 3,
    }),
    makeRecord({ id: `long-${long}`, nextRunTime: T1, args: [{ z: 1, a: 2, m: 3 }] }),
    makeRecord({ id: 'paused', nextRunTime: null, coalesce: 'all', maxInstances: 7, timeout: 1.25 }),
  ];
}

/** Declares the persistence and sharing part for one store (skipped when it cannot `open()`). */
export function sharedStoreContract(name: string, setup: () => Promise<JobStoreFixture>): void {
  describe(`JobStore contract, persistence and sharing: ${name}`, () => {
    const h = useHarness(setup, 'open');

    it('gives back byte-identical records, leases and runs from a new instance on the same database', async () => {
      const records = [...awkwardRecords(), makeRecord({ id: 'leased', nextRunTime: T0 }), makeRecord({ id: 'ran', nextRunTime: T0 })];
      for (const record of records) await h.store.addJob(record);
      expect(JSON.stringify(await h.store.getJob(records[0]!.id))).toBe(JSON.stringify(records[0]));
      const written = JSON.stringify(await h.store.getJobs());
      expect(JSON.parse(written)).toStrictEqual([...records].sort(order));
      // A lease held by A, and (where the store keeps runs) a run in flight.
      expect((await h.store.acquireDueJobs(T0, 'A#1', MINUTE, 1)).map((r) => r.id)).toStrictEqual(['leased']);
      if (isShared(h.store)) {
        expect((await h.store.acquireDueJobs(T0, 'A#2', MINUTE, 1)).map((r) => r.id)).toStrictEqual(['ran']);
        const result = await h.store.commitJobs('A#2', [{ id: 'ran', acquiredRunTime: T0, nextRunTime: T3 }], [
          { runId: 'run-1', jobId: 'ran', node: 'A', scheduledRunTime: T0, maxInstances: 1 },
        ], T0, MINUTE);
        expect(result.started).toStrictEqual(['run-1']);
      }
      const before = JSON.stringify(await h.store.getJobs());

      const reopened = await h.reopen();
      expect(JSON.stringify(await reopened.getJobs())).toBe(before);
      for (const record of records.slice(0, 3)) expect(JSON.stringify(await reopened.getJob(record.id))).toBe(JSON.stringify(record));
      // A's lease outlived the instance: nobody else gets the job before it expires ...
      expect(await reopened.acquireDueJobs(T0_30, 'B#1', MINUTE, 10)).toStrictEqual([]);
      expect(Date.parse((await reopened.getNextRunTime()) as string)).toBe(Date.parse(T1));
      // ... and A can still release it through the new instance.
      expect(await reopened.releaseJobs('A#1', [{ id: 'leased', acquiredRunTime: T0, nextRunTime: T3 }])).toStrictEqual([]);
      expect((await reopened.getJob('leased'))?.nextRunTime).toBe(T3);
      if (isShared(reopened)) {
        // The run in flight outlived it too: it still counts, and is found once it expires.
        expect(await reopened.reapRuns(T0_30)).toStrictEqual([]);
        expect(await reopened.reapRuns(T3)).toStrictEqual([
          { runId: 'run-1', jobId: 'ran', node: 'A', scheduledRunTime: T0, leaseUntil: T1 },
        ]);
      }
    });

    it('lets two instances see each other’s writes and respect each other’s leases', async () => {
      const other = await h.open();
      await h.store.addJob(makeRecord({ id: 'a', nextRunTime: T0 }));
      expect((await other.getJob('a'))?.nextRunTime).toBe(T0);
      await other.updateJob(makeRecord({ id: 'a', name: 'by other', nextRunTime: T0, version: 2 }));
      expect((await h.store.getJob('a'))?.name).toBe('by other');
      await other.addJob(makeRecord({ id: 'b', nextRunTime: T0 }));
      expect((await h.store.getJobs()).map((r) => r.id)).toStrictEqual(['a', 'b']);

      expect((await h.store.acquireDueJobs(T0, 'A#1', MINUTE, 1)).map((r) => r.id)).toStrictEqual(['a']);
      // The other instance's owner B sees the lease: only b is due for it.
      expect((await other.acquireDueJobs(T0_30, 'B#1', MINUTE, 10)).map((r) => r.id)).toStrictEqual(['b']);
      expect(await other.acquireDueJobs(T0_30, 'B#2', MINUTE, 10)).toStrictEqual([]);
      // A releases through the other instance; B's release of a job A holds changes nothing.
      expect(await other.releaseJobs('B#1', [{ id: 'a', acquiredRunTime: T0, nextRunTime: null }])).toStrictEqual([]);
      expect(await other.releaseJobs('A#1', [{ id: 'a', acquiredRunTime: T0, nextRunTime: null }])).toStrictEqual(['a']);
      expect(await h.store.getJob('a')).toBeUndefined();
      await h.store.removeJob('b');
      expect(await other.getJobs()).toStrictEqual([]);
      expect(await codeOf(other.removeJob('b'))).toBe('ERR_JOB_NOT_FOUND');
    });

    it('lets only one of two instances write the same version of a job', async () => {
      const other = await h.open();
      await h.store.addJob(makeRecord({ id: 'a', nextRunTime: T0 }));
      await h.store.updateJob(makeRecord({ id: 'a', name: 'first', version: 2 }));
      expect(await codeOf(other.updateJob(makeRecord({ id: 'a', name: 'second', version: 2 })))).toBe('ERR_CONCURRENT_MODIFICATION');
      // At the same moment: exactly one wins, whichever it is.
      for (let round = 3; round < 8; round++) {
        const outcomes = await Promise.all([
          codeOf(h.store.updateJob(makeRecord({ id: 'a', name: `mine ${round}`, version: round }))),
          codeOf(other.updateJob(makeRecord({ id: 'a', name: `theirs ${round}`, version: round }))),
        ]);
        expect(outcomes.filter((code) => code === undefined)).toHaveLength(1);
        expect(outcomes.filter((code) => code === 'ERR_CONCURRENT_MODIFICATION')).toHaveLength(1);
        expect((await other.getJob('a'))?.version).toBe(round);
      }
      // Two adds of one id at the same moment: one conflicts.
      const adds = await Promise.all([
        codeOf(h.store.addJob(makeRecord({ id: 'new' }))),
        codeOf(other.addJob(makeRecord({ id: 'new' }))),
      ]);
      expect(adds.sort()).toStrictEqual(['ERR_CONFLICTING_ID', undefined]);
    });

    it('never hands one due job to two instances acquiring at once', async () => {
      const other = await h.open();
      const count = 60;
      for (let i = 0; i < count; i++) await h.store.addJob(makeRecord({ id: `j${String(i).padStart(2, '0')}`, nextRunTime: T0 }));
      const seen = new Map<string, number>();
      for (let pass = 0; seen.size < count && pass < 20; pass++) {
        const batches = await Promise.all([
          h.store.acquireDueJobs(T0_30, `A#${pass}`, MINUTE, 7),
          other.acquireDueJobs(T0_30, `B#${pass}`, MINUTE, 7),
        ]);
        for (const record of batches.flat()) seen.set(record.id, (seen.get(record.id) ?? 0) + 1);
      }
      expect(seen.size).toBe(count);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    });

    it('keeps working after a store instance is shut down and started again', async () => {
      await h.store.addJob(makeRecord({ id: 'a', nextRunTime: T0 }));
      await h.store.shutdown?.();
      await h.store.start?.(contractContext());
      expect((await h.store.getJob('a'))?.id).toBe('a');
    });
  });
}

/** The contract's order of records: next run time, then id; paused last. */
function order(a: JobRecord, b: JobRecord): number {
  const ta = a.nextRunTime === null ? Infinity : Date.parse(a.nextRunTime);
  const tb = b.nextRunTime === null ? Infinity : Date.parse(b.nextRunTime);
  return ta !== tb ? ta - tb : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
