/**
 * The model-based part of the SharedRuns contract: the random operations of the job-store model
 * plus commits (releases with runs), extensions, ends and reaps of runs, against a store and a
 * plain model of jobs, leases and runs in flight.
 *
 * @module
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { AbandonedRun, RunStart, SharedJobStore } from '../../src/stores/runs.js';
import {
  applyReleases,
  buildReleases,
  byRunTime,
  idArb,
  iso,
  modelNextRunTime,
  ms,
  opArb,
  ownerArb,
  runOp,
  timeArb,
  type ModelJob,
  type Op,
  type ReleaseItem,
} from './job-store.model.js';

interface RunItem {
  /** Chooses among the call's releases (so most runs go with a release), else `id`. */
  pick: number | null;
  id: string;
  node: string;
  maxInstances: number;
}

type SharedOp =
  | Op
  | { kind: 'commit'; owner: string; at: number; leaseSeconds: number; items: ReleaseItem[]; runs: RunItem[] }
  | { kind: 'extend'; node: string; picks: number[]; at: number; leaseSeconds: number }
  | { kind: 'finish'; picks: number[] }
  | { kind: 'reap'; at: number };

interface ModelRun {
  jobId: string;
  node: string;
  scheduledRunTime: string;
  until: number;
}

const nodeArb = fc.constantFrom('n1', 'n2');
const releaseItemArb = fc.record({
  id: idArb,
  pick: fc.option(fc.nat(), { nil: null, freq: 4 }),
  honest: fc.boolean(),
  at: timeArb,
  pause: fc.boolean(),
});
const sharedOpArb: fc.Arbitrary<SharedOp> = fc.oneof(
  { arbitrary: opArb, weight: 10 },
  {
    arbitrary: fc.record({
      kind: fc.constant('commit' as const),
      owner: ownerArb,
      at: fc.integer({ min: 0, max: 45 }),
      leaseSeconds: fc.integer({ min: 1, max: 20 }),
      items: fc.array(releaseItemArb, { maxLength: 3 }),
      runs: fc.array(
        fc.record({
          pick: fc.option(fc.nat(), { nil: null, freq: 3 }),
          id: idArb,
          node: nodeArb,
          maxInstances: fc.integer({ min: 1, max: 2 }),
        }),
        { maxLength: 3 },
      ),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('extend' as const),
      node: nodeArb,
      picks: fc.array(fc.nat(), { maxLength: 3 }),
      at: fc.integer({ min: 0, max: 45 }),
      leaseSeconds: fc.integer({ min: 1, max: 20 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('finish' as const), picks: fc.array(fc.nat(), { maxLength: 2 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('reap' as const), at: fc.integer({ min: 0, max: 60 }) }), weight: 2 },
);

/** Run ids picked from those in flight (sorted, so the pick is stable), or an unknown one. */
function pickRuns(runs: Map<string, ModelRun>, picks: number[]): string[] {
  const ids = [...runs.keys()].sort();
  return picks.map((pick) => (ids.length === 0 || pick % (ids.length + 1) === ids.length ? 'unknown' : (ids[pick % (ids.length + 1)] as string)));
}

async function runSharedOp(
  store: SharedJobStore,
  jobs: Map<string, ModelJob>,
  runs: Map<string, ModelRun>,
  op: SharedOp,
  step: number,
): Promise<void> {
  switch (op.kind) {
    case 'commit': {
      const now = ms(iso(op.at)) as number;
      const releases = buildReleases(jobs, op.owner, op.items);
      const starts: RunStart[] = [];
      for (const [index, item] of op.runs.entries()) {
        const jobId = item.pick === null || releases.length === 0 ? item.id : (releases[item.pick % releases.length]?.id as string);
        // At most one run per job in a call, as the scheduler sends them.
        if (starts.some((start) => start.jobId === jobId)) continue;
        starts.push({ runId: `r${step}-${index}`, jobId, node: item.node, scheduledRunTime: iso(op.at), maxInstances: item.maxInstances });
      }
      const { applied, removed } = applyReleases(jobs, op.owner, releases);
      const released = new Set(releases.map((release) => release.id));
      const started: string[] = [];
      const atLimit: string[] = [];
      for (const start of starts) {
        if (released.has(start.jobId) && !applied.has(start.jobId)) continue;
        const inFlight = [...runs.values()].filter((r) => r.jobId === start.jobId && r.until > now).length;
        if (inFlight >= start.maxInstances) {
          atLimit.push(start.runId);
          continue;
        }
        started.push(start.runId);
        runs.set(start.runId, { jobId: start.jobId, node: start.node, scheduledRunTime: start.scheduledRunTime, until: now + op.leaseSeconds * 1000 });
      }
      expect(await store.commitJobs(op.owner, releases, starts, iso(op.at), op.leaseSeconds * 1000)).toStrictEqual({ removed, started, atLimit });
      return;
    }
    case 'extend': {
      const now = ms(iso(op.at)) as number;
      const ids = pickRuns(runs, op.picks);
      for (const id of ids) {
        const found = runs.get(id);
        if (found !== undefined && found.node === op.node && found.until > now) found.until = now + op.leaseSeconds * 1000;
      }
      await store.extendRuns(op.node, ids, iso(op.at), op.leaseSeconds * 1000);
      return;
    }
    case 'finish': {
      const ids = pickRuns(runs, op.picks);
      for (const id of ids) runs.delete(id);
      await store.finishRuns(ids);
      return;
    }
    case 'reap': {
      const now = ms(iso(op.at)) as number;
      const expected: AbandonedRun[] = [];
      for (const [runId, r] of runs) {
        if (r.until > now) continue;
        runs.delete(runId);
        expected.push({ runId, jobId: r.jobId, node: r.node, scheduledRunTime: r.scheduledRunTime, leaseUntil: new Date(r.until).toISOString() });
      }
      const byId = (a: AbandonedRun, b: AbandonedRun) => (a.runId < b.runId ? -1 : 1);
      expect((await store.reapRuns(iso(op.at))).sort(byId)).toStrictEqual(expected.sort(byId));
      return;
    }
    default:
      await runOp(store, jobs, op, step);
  }
}

/** Runs `numRuns` random sequences against `store` and the model. */
export async function checkSharedAgainstModel(store: SharedJobStore, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(sharedOpArb, { minLength: 10, maxLength: 60, size: 'max' }), async (ops) => {
      await store.removeAllJobs();
      // Runs outlive jobs: clear those of the previous sequence.
      await store.reapRuns('2100-01-01T00:00:00.000Z');
      const jobs = new Map<string, ModelJob>();
      const runs = new Map<string, ModelRun>();
      for (const [step, op] of ops.entries()) {
        await runSharedOp(store, jobs, runs, op, step);
        const records = [...jobs.values()].map((entry) => entry.record).sort(byRunTime);
        expect(await store.getJobs()).toStrictEqual(records);
        expect(ms(await store.getNextRunTime())).toBe(modelNextRunTime(jobs));
      }
    }),
    { numRuns },
  );
}
