/**
 * The model-based part of the job store contract: random operation sequences run against the
 * store and against a plain-array model of the contract; both must agree after every step.
 *
 * @module
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { JobRecord, JobRelease, JobStore } from '../../src/stores/job-store.js';
import { makeRecord } from './job-store.contract.js';

export const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));


/** Seconds after 2026-01-01T00:00:00Z as an ISO string (small range, so times collide). */
export const iso = (seconds: number): string =>
  new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();

export type Op =
  | { kind: 'add' | 'update'; id: string; at: number | null; stale: boolean; retrigger: boolean }
  | { kind: 'remove'; id: string }
  | { kind: 'removeAll' }
  | { kind: 'acquire'; at: number; owner: string; leaseSeconds: number; limit: number }
  | { kind: 'release'; owner: string; items: ReleaseItem[] };

/**
 * One release of a random op. `pick` (when set) chooses among the jobs the owner holds, so most
 * releases hit a lease; otherwise `id` is any id. A dishonest release gives a wrong
 * `acquiredRunTime`, as if the job had changed since.
 */
export interface ReleaseItem {
  id: string;
  pick: number | null;
  honest: boolean;
  at: number | null;
  pause: boolean;
}

export const idArb = fc.constantFrom('a', 'b', 'c', 'd', 'e');
export const ownerArb = fc.constantFrom('A', 'B');
export const timeArb = fc.option(fc.integer({ min: 0, max: 30 }), { nil: null, freq: 4 });
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      id: idArb,
      at: timeArb,
      stale: fc.constant(false),
      retrigger: fc.boolean(),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      id: idArb,
      at: timeArb,
      stale: fc.boolean(),
      // Half the updates give the job another trigger (a reschedule or a replacement).
      retrigger: fc.boolean(),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), id: idArb }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'removeAll' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('acquire' as const),
      at: fc.integer({ min: 0, max: 45 }),
      owner: ownerArb,
      leaseSeconds: fc.integer({ min: 1, max: 20 }),
      limit: fc.integer({ min: 1, max: 4 }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('release' as const),
      owner: ownerArb,
      items: fc.array(
        fc.record({
          id: idArb,
          pick: fc.option(fc.nat(), { nil: null, freq: 4 }),
          honest: fc.boolean(),
          at: timeArb,
          pause: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
    }),
    weight: 6,
  },
);

export interface ModelJob {
  record: JobRecord;
  lease?: { owner: string; until: number; acquiredRunTime: string; acquiredTrigger: string };
}

/** The two triggers jobs switch between; equal specs are rebuilt as new objects every time. */
const triggerSpec = (other: boolean): JobRecord['trigger'] =>
  other ? { type: 'interval', seconds: 5, startDate: iso(0) } : { type: 'date', runDate: '2026-01-01T00:00:00.000Z' };

/** The model's order: by instant, then id; paused last. */
export function byRunTime(a: JobRecord, b: JobRecord): number {
  const [ta, tb] = [ms(a.nextRunTime) ?? Infinity, ms(b.nextRunTime) ?? Infinity];
  return ta !== tb ? ta - tb : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

export function modelNextRunTime(jobs: Map<string, ModelJob>): number | null {
  let best: number | null = null;
  for (const { record, lease } of jobs.values()) {
    const at = ms(record.nextRunTime);
    if (at === null) continue;
    const wake = lease === undefined ? at : Math.max(lease.until, at);
    if (best === null || wake < best) best = wake;
  }
  return best;
}

export async function runOp(
  store: JobStore,
  jobs: Map<string, ModelJob>,
  op: Op,
  step: number,
): Promise<void> {
  const job = 'id' in op ? jobs.get(op.id) : undefined;
  switch (op.kind) {
    case 'add': {
      const record = makeRecord({
        id: op.id,
        name: `step ${step}`,
        nextRunTime: op.at === null ? null : iso(op.at),
        trigger: triggerSpec(op.retrigger),
      });
      expect(await errorCode(store.addJob(record))).toBe(
        job === undefined ? undefined : 'ERR_CONFLICTING_ID',
      );
      if (job === undefined) jobs.set(op.id, { record });
      return;
    }
    case 'update': {
      const version = (job?.record.version ?? 1) + (op.stale ? 0 : 1);
      const record = makeRecord({
        id: op.id,
        name: `step ${step}`,
        nextRunTime: op.at === null ? null : iso(op.at),
        version,
        trigger: triggerSpec(op.retrigger),
      });
      const expected =
        job === undefined
          ? 'ERR_JOB_NOT_FOUND'
          : op.stale
            ? 'ERR_CONCURRENT_MODIFICATION'
            : undefined;
      expect(await errorCode(store.updateJob(record))).toBe(expected);
      if (job !== undefined && expected === undefined) job.record = record;
      return;
    }
    case 'remove':
      expect(await errorCode(store.removeJob(op.id))).toBe(
        job === undefined ? 'ERR_JOB_NOT_FOUND' : undefined,
      );
      jobs.delete(op.id);
      return;
    case 'removeAll':
      await store.removeAllJobs();
      jobs.clear();
      return;
    case 'acquire': {
      const now = ms(iso(op.at)) as number;
      // Expired leases are taken back from other owners only: an owner never gets back a job it
      // still holds.
      for (const entry of jobs.values())
        if (entry.lease && entry.lease.until <= now && entry.lease.owner !== op.owner) delete entry.lease;
      const due = [...jobs.values()]
        .filter(
          (entry) =>
            !entry.lease &&
            entry.record.nextRunTime !== null &&
            (ms(entry.record.nextRunTime) as number) <= now,
        )
        .map((entry) => entry.record)
        .sort(byRunTime)
        .slice(0, op.limit);
      for (const record of due) {
        (jobs.get(record.id) as ModelJob).lease = {
          owner: op.owner,
          until: now + op.leaseSeconds * 1000,
          acquiredRunTime: record.nextRunTime as string,
          acquiredTrigger: JSON.stringify(record.trigger),
        };
      }
      expect(
        await store.acquireDueJobs(iso(op.at), op.owner, op.leaseSeconds * 1000, op.limit),
      ).toStrictEqual(due);
      return;
    }
    case 'release': {
      const releases = buildReleases(jobs, op.owner, op.items);
      const { removed } = applyReleases(jobs, op.owner, releases);
      expect(await store.releaseJobs(op.owner, releases)).toStrictEqual(removed);
    }
  }
}

/** The releases of a random op: most hit a job the owner holds (see {@link ReleaseItem}). */
export function buildReleases(jobs: Map<string, ModelJob>, owner: string, items: ReleaseItem[]): JobRelease[] {
  const held = [...jobs.values()].filter((entry) => entry.lease?.owner === owner);
  return items.map((item) => {
    const id =
      item.pick === null || held.length === 0
        ? item.id
        : (held[item.pick % held.length] as ModelJob).record.id;
    const lease = jobs.get(id)?.lease;
    const acquiredRunTime = item.honest && lease ? lease.acquiredRunTime : iso(item.at ?? 0);
    const nextRunTime = item.at === null ? null : iso(item.at);
    return nextRunTime === null && item.pause
      ? { id, acquiredRunTime, nextRunTime, pause: true }
      : { id, acquiredRunTime, nextRunTime };
  });
}

/** Applies releases to the model: the ids whose release was applied, and those removed. */
export function applyReleases(
  jobs: Map<string, ModelJob>,
  owner: string,
  releases: JobRelease[],
): { applied: Set<string>; removed: string[] } {
  const applied = new Set<string>();
  const removed: string[] = [];
  for (const release of releases) {
    const entry = jobs.get(release.id);
    if (entry?.lease?.owner !== owner) continue;
    const { acquiredTrigger } = entry.lease;
    delete entry.lease;
    if (entry.record.nextRunTime !== release.acquiredRunTime) continue;
    if (JSON.stringify(entry.record.trigger) !== acquiredTrigger) continue;
    applied.add(release.id);
    if (release.nextRunTime === null && release.pause === true)
      entry.record = { ...entry.record, nextRunTime: null, version: entry.record.version + 1 };
    else if (release.nextRunTime === null) {
      jobs.delete(release.id);
      removed.push(release.id);
    } else
      entry.record = {
        ...entry.record,
        nextRunTime: release.nextRunTime,
        version: entry.record.version + 1,
      };
  }
  return { applied, removed };
}

/** Runs `runs` random operation sequences against `store` and the model. */
export async function checkAgainstModel(store: JobStore, runs = 200): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.array(opArb, { minLength: 10, maxLength: 60, size: 'max' }),
      async (ops) => {
        await store.removeAllJobs();
        const jobs = new Map<string, ModelJob>();
        for (const [step, op] of ops.entries()) {
          await runOp(store, jobs, op, step);
          const records = [...jobs.values()].map((entry) => entry.record).sort(byRunTime);
          expect(await store.getJobs()).toStrictEqual(records);
          expect(ms(await store.getNextRunTime())).toBe(modelNextRunTime(jobs));
        }
      },
    ),
    { numRuns: runs },
  );
}
