/**
 * Leasing due jobs and handing them back, with the runs they start: the arguments of the
 * `acquire` and `commit` scripts, and their replies.
 *
 * @internal
 * @module
 */
import type { CommitResult, JobRecord, JobRelease, RunStart } from 'timetable';
import { byRunTime, instantMs } from '../sql/records.js';
import { ACQUIRE, COMMIT } from './lua/leases.js';
import { fromStored } from './records.js';
import { runScript } from './scripts.js';
import type { Session } from './session.js';

/** How the commit script treats a release (see `COMMIT`). */
type ReleaseKind = 'move' | 'pause' | 'remove' | 'hold';

/** Checks the instants of releases before anything is sent. */
export function checkReleases(releases: readonly JobRelease[]): void {
  for (const release of releases) {
    if (release.nextRunTime !== null) instantMs(release.nextRunTime, 'release.nextRunTime');
  }
}

/** `limit` as the whole number `LIMIT` takes (no limit at all is a very large one). */
function countOf(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : Number.MAX_SAFE_INTEGER;
}

/** Leases up to `limit` due jobs to `owner` (after taking back other owners' expired leases). */
export async function acquire(s: Session, now: string, owner: string, leaseMs: number, limit: number): Promise<JobRecord[]> {
  const nowMs = instantMs(now, 'now');
  const { keys } = s;
  const reply = (await runScript(
    s.client,
    ACQUIRE,
    [keys.due, keys.leases, keys.wake, keys.jobs, keys.job],
    [String(nowMs), owner, String(nowMs + leaseMs), String(countOf(limit))],
  )) as (string | null)[];
  const taken: { ms: number | null; id: string; record: JobRecord }[] = [];
  for (let i = 0; i < reply.length; i += 4) {
    const [id, data, next, version] = reply.slice(i, i + 4) as [string, string | null, string | null, string | null];
    // `ms` is not read: the record's own next run time orders it (and stands in if unreadable).
    const { record, ms } = fromStored(id, { kind: 'hash', data, next, version, ms: null });
    taken.push({ ms, id, record });
  }
  // Redis picked them in byte order of ids; the contract's tie order is JavaScript's.
  return taken.sort(byRunTime).map((entry) => entry.record);
}

/** The kind of one release (a `hold` only where the call may hold: `commitJobs`). */
function kindOf(release: JobRelease, holding: boolean): ReleaseKind {
  if (release.nextRunTime !== null) return holding && release.hold === true ? 'hold' : 'move';
  return release.pause === true ? 'pause' : 'remove';
}

/**
 * Hands back `owner`'s leases and records the runs allowed to start, in one script (see
 * `COMMIT`); `releaseJobs` is this with no runs and `holding` off.
 */
export async function commit(
  s: Session,
  owner: string,
  releases: readonly JobRelease[],
  runs: readonly RunStart[],
  now: string,
  leaseMs: number,
  holding: boolean,
): Promise<CommitResult> {
  const nowMs = runs.length > 0 || holding ? instantMs(now, 'now') : 0;
  const args: string[] = [owner, holding ? '1' : '0', String(nowMs), String(nowMs + leaseMs), String(releases.length)];
  for (const release of releases) {
    const next = release.nextRunTime;
    const ms = next === null ? '' : String(instantMs(next, 'release.nextRunTime'));
    args.push(release.id, release.acquiredRunTime, next ?? '', ms, kindOf(release, holding));
  }
  args.push(String(runs.length));
  for (const run of runs) {
    const value = JSON.stringify({ jobId: run.jobId, node: run.node, scheduledRunTime: run.scheduledRunTime, startedAt: now });
    args.push(run.runId, run.jobId, String(run.maxInstances), value);
  }
  const { keys } = s;
  const [removed, started, atLimit] = (await runScript(
    s.client,
    COMMIT,
    [keys.due, keys.leases, keys.wake, keys.jobs, keys.runs, keys.runLeases, keys.job, keys.jobRuns],
    args,
  )) as [string[], string[], string[]];
  return { removed, started, atLimit };
}
