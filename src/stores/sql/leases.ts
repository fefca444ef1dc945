/**
 * Acquiring due jobs and handing them back (with the runs they start): the queries behind
 * `acquireDueJobs`, `releaseJobs` and `commitJobs`, each run inside one transaction by the
 * engine.
 *
 * Atomicity: on PostgreSQL and MySQL the rows a call changes are locked first (`FOR UPDATE`;
 * `SKIP LOCKED` where a row another node is working on may simply be left for later), in id-hash
 * order where the call must wait, so two commits never deadlock each other; on SQLite the whole
 * transaction holds the database's write lock (`BEGIN IMMEDIATE`).
 *
 * @internal
 * @module
 */
import type { CommitResult, JobRecord, JobRelease, RunStart } from 'timetable';
import type { Db, SqlDialect } from './dialect.js';
import { byRunTime, fromRow, instantMs, sha256, toMs } from './records.js';
import type { TableNames } from './tables.js';

/** Most values in one `IN (...)` list (every database takes thousands; this keeps statements small). */
const CHUNK = 500;

/** Splits `items` into lists of at most {@link CHUNK}. */
export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What the queries need to know of the store. */
export interface Scope {
  readonly t: TableNames;
  readonly dialect: SqlDialect;
}

/** The columns of a record, as read for `fromRow`. */
const RECORD_COLUMNS = ['id_hash', 'id', 'data', 'next_run_time', 'next_run_ms', 'version'] as const;

/** Drops the leases of the jobs in `hashes`. */
async function dropLeases(trx: Db, t: TableNames, hashes: readonly string[]): Promise<void> {
  for (const chunk of chunks(hashes)) {
    await trx
      .updateTable(t.jobs)
      .set({ lease_owner: null, lease_until: null, lease_trigger_hash: null })
      .where('id_hash', 'in', chunk)
      .execute();
  }
}

/**
 * Takes back the expired leases of owners other than `owner`, then leases up to `limit` due,
 * unleased jobs to `owner`, earliest first. Rows another transaction has locked are skipped:
 * that node is acquiring or committing them right now.
 */
export async function acquire(
  trx: Db,
  { t, dialect }: Scope,
  nowMs: number,
  owner: string,
  leaseMs: number,
  limit: number,
): Promise<JobRecord[]> {
  const expired = await trx
    .selectFrom(t.jobs)
    .select(['id_hash', 'lease_owner'])
    .where('lease_until', '<=', nowMs)
    .$if(dialect.rowLocks, (q) => q.forUpdate().skipLocked())
    .execute();
  // Compared here, not in SQL: MySQL's usual collations would call 'a' and 'A ' equal.
  await dropLeases(trx, t, expired.filter((row) => row.lease_owner !== owner).map((row) => row.id_hash));
  if (limit <= 0) return [];

  const due = trx
    .selectFrom(t.jobs)
    .where('lease_until', 'is', null)
    .where('next_run_ms', '<=', nowMs);
  let rows;
  if (dialect.lockBeforeSort) {
    // InnoDB would lock every due row it sorts: pick the earliest without locks, then lock
    // those (re-checked, as another node may have taken some meanwhile).
    const picked = await due.select('id_hash').orderBy('next_run_ms').orderBy('id').limit(limit).execute();
    if (picked.length === 0) return [];
    rows = await due
      .select([...RECORD_COLUMNS])
      .where('id_hash', 'in', picked.map((row) => row.id_hash))
      .forUpdate()
      .skipLocked()
      .execute();
  } else {
    rows = await due
      .select([...RECORD_COLUMNS])
      .orderBy('next_run_ms')
      .orderBy('id')
      .limit(limit)
      .$if(dialect.rowLocks, (q) => q.forUpdate().skipLocked())
      .execute();
  }
  for (const chunk of chunks(rows.map((row) => row.id_hash))) {
    await trx
      .updateTable(t.jobs)
      .set((eb) => ({ lease_owner: owner, lease_until: nowMs + leaseMs, lease_trigger_hash: eb.ref('trigger_hash') }))
      .where('id_hash', 'in', chunk)
      .execute();
  }
  return rows
    .map((row) => ({ ms: toMs(row.next_run_ms), id: row.id, record: fromRow(row) }))
    .sort(byRunTime)
    .map((entry) => entry.record);
}

/** A locked job row, as a release needs it. */
interface LeaseRow {
  lease_owner: string | null;
  next_run_time: string | null;
  trigger_hash: string;
  lease_trigger_hash: string | null;
}

/** What the releases of one call do to the job rows. */
interface ReleasePlan {
  /** Leases dropped without other change (the job changed, or the release was honest but stale). */
  unlease: string[];
  /** Jobs moved to a new next run time (key), or paused (key `null`), version + 1. */
  moves: Map<string | null, string[]>;
  /** Jobs moved to a new next run time (key), version + 1, and still leased (`hold`). */
  holds: Map<string, string[]>;
  /** Jobs whose lease is only renewed (`hold` to the stored next run time). */
  renewals: string[];
  /** Jobs removed, by hash. */
  deletes: string[];
  /** Ids of the jobs removed, for the caller. */
  removed: string[];
  /** Ids of the jobs whose release was applied. */
  applied: Set<string>;
}

/** Decides each release against the locked rows, as `MemoryJobStore.releaseJobs` does. */
function planReleases(owner: string, releases: readonly JobRelease[], rows: Map<string, LeaseRow>, holding: boolean): ReleasePlan {
  const plan: ReleasePlan = { unlease: [], moves: new Map(), holds: new Map(), renewals: [], deletes: [], removed: [], applied: new Set() };
  for (const release of releases) {
    const hash = sha256(release.id);
    const row = rows.get(hash);
    if (row === undefined || row.lease_owner !== owner) continue;
    // A second release of the same job in this call finds no lease, as in the memory store.
    row.lease_owner = null;
    // A nextRunTime or trigger other than the acquired one: the job was paused, rescheduled or
    // replaced while it was processed, and that newer write wins.
    if (row.next_run_time !== release.acquiredRunTime || row.trigger_hash !== row.lease_trigger_hash) {
      plan.unlease.push(hash);
      continue;
    }
    plan.applied.add(release.id);
    if (holding && release.hold === true && release.nextRunTime !== null) {
      if (release.nextRunTime === row.next_run_time) plan.renewals.push(hash);
      else push(plan.holds, release.nextRunTime, hash);
    } else if (release.nextRunTime === null && release.pause !== true) {
      plan.deletes.push(hash);
      plan.removed.push(release.id);
    } else {
      push(plan.moves, release.nextRunTime, hash);
    }
  }
  return plan;
}

function push<K>(map: Map<K, string[]>, key: K, hash: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [hash]);
  else list.push(hash);
}

/** Locks the job rows of `hashes` (in hash order, so two commits never deadlock) and reads them. */
async function lockJobs(trx: Db, { t, dialect }: Scope, hashes: readonly string[]): Promise<Map<string, LeaseRow>> {
  const rows = new Map<string, LeaseRow>();
  for (const chunk of chunks([...new Set(hashes)].sort())) {
    const found = await trx
      .selectFrom(t.jobs)
      .select(['id_hash', 'lease_owner', 'next_run_time', 'trigger_hash', 'lease_trigger_hash'])
      .where('id_hash', 'in', chunk)
      .orderBy('id_hash')
      .$if(dialect.rowLocks, (q) => q.forUpdate())
      .execute();
    for (const row of found) rows.set(row.id_hash, row);
  }
  return rows;
}

/**
 * Applies a release plan to the locked rows; `leaseUntil` is the end of the leases of held jobs
 * (`null` for `releaseJobs`, which holds nothing).
 */
async function applyPlan(trx: Db, t: TableNames, plan: ReleasePlan, leaseUntil: number | null): Promise<void> {
  await dropLeases(trx, t, plan.unlease);
  const moves: [Map<string | null, string[]>, number | null][] = [[plan.moves, null], [plan.holds, leaseUntil]];
  for (const [groups, until] of moves) {
    for (const [nextRunTime, hashes] of groups) {
      // Jobs released to the same slot (every job of a cron line) move in one statement.
      const nextMs = nextRunTime === null ? null : instantMs(nextRunTime, 'release.nextRunTime');
      for (const chunk of chunks(hashes)) {
        await trx
          .updateTable(t.jobs)
          .set((eb) => ({
            next_run_time: nextRunTime,
            next_run_ms: nextMs,
            version: eb('version', '+', 1).$castTo<number>(),
            // A held job keeps its owner and the trigger it was leased with; others are free.
            ...(until === null ? { lease_owner: null, lease_until: null, lease_trigger_hash: null } : { lease_until: until }),
          }))
          .where('id_hash', 'in', chunk)
          .execute();
      }
    }
  }
  if (leaseUntil !== null) {
    for (const chunk of chunks(plan.renewals)) {
      await trx.updateTable(t.jobs).set({ lease_until: leaseUntil }).where('id_hash', 'in', chunk).execute();
    }
  }
  for (const chunk of chunks(plan.deletes)) await trx.deleteFrom(t.jobs).where('id_hash', 'in', chunk).execute();
}

/** Checks the instants of releases before any row is touched. */
export function checkReleases(releases: readonly JobRelease[]): void {
  for (const release of releases) {
    if (release.nextRunTime !== null) instantMs(release.nextRunTime, 'release.nextRunTime');
  }
}

/**
 * Ends `owner`'s leases as `releaseJobs` does (with `holding`, a release with `hold` keeps its
 * lease until `now + leaseMs` instead), then records the runs allowed to start: those
 * of jobs whose release was applied or that have no release here, while fewer than their
 * `maxInstances` runs (lease not expired) are in flight on every node together. The job rows of
 * the releases and runs stay locked to the end, so no other commit counts the same job's runs
 * at the same time.
 */
export async function commit(
  trx: Db,
  scope: Scope,
  owner: string,
  releases: readonly JobRelease[],
  runs: readonly RunStart[],
  nowMs: number,
  now: string,
  leaseMs: number,
  holding: boolean,
): Promise<CommitResult> {
  const { t } = scope;
  const rows = await lockJobs(trx, scope, [...releases.map((r) => sha256(r.id)), ...runs.map((r) => sha256(r.jobId))]);
  const plan = planReleases(owner, releases, rows, holding);
  await applyPlan(trx, t, plan, holding ? nowMs + leaseMs : null);
  const released = new Set(releases.map((release) => release.id));
  const candidates = runs.filter((run) => !released.has(run.jobId) || plan.applied.has(run.jobId));
  const started: string[] = [];
  const atLimit: string[] = [];
  if (candidates.length > 0) {
    const counts = new Map<string, number>();
    for (const chunk of chunks([...new Set(candidates.map((run) => sha256(run.jobId)))])) {
      const found = await trx
        .selectFrom(t.runs)
        .select((eb) => ['job_hash', eb.fn.countAll().as('n')])
        .where('job_hash', 'in', chunk)
        .where('lease_until', '>', nowMs)
        .groupBy('job_hash')
        .execute();
      for (const row of found) counts.set(row.job_hash, Number(row.n));
    }
    const inserts = [];
    for (const run of candidates) {
      const hash = sha256(run.jobId);
      const inFlight = counts.get(hash) ?? 0;
      if (inFlight >= run.maxInstances) {
        atLimit.push(run.runId);
        continue;
      }
      counts.set(hash, inFlight + 1);
      started.push(run.runId);
      inserts.push({
        run_id: run.runId,
        job_hash: hash,
        job_id: run.jobId,
        node: run.node,
        scheduled_run_time: run.scheduledRunTime,
        lease_until: nowMs + leaseMs,
        started_at: now,
      });
    }
    for (const chunk of chunks(inserts, 200)) await trx.insertInto(t.runs).values(chunk).execute();
  }
  return { removed: plan.removed, started, atLimit };
}
