/**
 * The runs table behind `extendRuns`, `finishRuns` and `reapRuns`. A run counts as in flight
 * while `lease_until > now`; once `now` reaches it, the run is abandoned (its node stopped
 * extending it) and the next `reapRuns` removes and returns it.
 *
 * @internal
 * @module
 */
import type { AbandonedRun } from 'timetable';
import type { Db } from './dialect.js';
import { chunks, type Scope } from './leases.js';
import type { TableNames } from './tables.js';

/**
 * Moves the lease of `node`'s runs to `nowMs + leaseMs`. A run whose lease already expired is
 * not extended: another node may have counted it out (maxInstances) or reaped it meanwhile.
 */
export async function extend(db: Db, t: TableNames, node: string, runIds: readonly string[], nowMs: number, leaseMs: number): Promise<void> {
  // In id order, as every writer of the runs table locks them, so two calls never deadlock.
  for (const chunk of chunks([...runIds].sort())) {
    await db
      .updateTable(t.runs)
      .set({ lease_until: nowMs + leaseMs })
      .where('run_id', 'in', chunk)
      .where('node', '=', node)
      .where('lease_until', '>', nowMs)
      .execute();
  }
}

/** Forgets runs; unknown ids are ignored. */
export async function finish(db: Db, t: TableNames, runIds: readonly string[]): Promise<void> {
  for (const chunk of chunks([...runIds].sort())) await db.deleteFrom(t.runs).where('run_id', 'in', chunk).execute();
}

/**
 * Removes and returns the runs whose lease expired, in one transaction. Rows locked by another
 * reaper are skipped (`SKIP LOCKED`; SQLite serializes the whole transaction), so each run is
 * returned to exactly one caller.
 */
export async function reap(trx: Db, { t, dialect }: Scope, nowMs: number): Promise<AbandonedRun[]> {
  const rows = await trx
    .selectFrom(t.runs)
    .select(['run_id', 'job_id', 'node', 'scheduled_run_time', 'lease_until'])
    .where('lease_until', '<=', nowMs)
    .$if(dialect.rowLocks, (q) => q.forUpdate().skipLocked())
    .execute();
  for (const chunk of chunks(rows.map((row) => row.run_id))) {
    await trx.deleteFrom(t.runs).where('run_id', 'in', chunk).execute();
  }
  return rows
    .map((row) => ({
      runId: row.run_id,
      jobId: row.job_id,
      node: row.node,
      scheduledRunTime: row.scheduled_run_time,
      leaseUntil: new Date(Number(row.lease_until)).toISOString(),
    }))
    .sort((a, b) => (a.leaseUntil < b.leaseUntil ? -1 : a.leaseUntil > b.leaseUntil ? 1 : 0));
}
