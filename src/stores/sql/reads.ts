/**
 * The two reads that look at every job: `getJobs` and `getNextRunTime`.
 *
 * @internal
 * @module
 */
import type { JobRecord } from 'timetable';
import type { Db } from './dialect.js';
import { byRunTime, fromRow, toMs } from './records.js';
import type { TableNames } from './tables.js';

/** Every job, by next run time (paused last), then id. */
export async function allJobs(db: Db, t: TableNames): Promise<JobRecord[]> {
  const rows = await db.selectFrom(t.jobs).select(['id_hash', 'id', 'data', 'next_run_time', 'next_run_ms', 'version']).execute();
  // Sorted here: JavaScript's string order is the contract's, and no collation is quite it.
  return rows
    .map((row) => ({ ms: toMs(row.next_run_ms), id: row.id, record: fromRow(row) }))
    .sort(byRunTime)
    .map((entry) => entry.record);
}

/**
 * The earliest instant a job may be acquired: a free job's `nextRunTime` (as written), or a
 * leased one's later of `nextRunTime` and lease end (as UTC ISO). Paused jobs do not count.
 */
export async function nextRunTime(db: Db, t: TableNames): Promise<string | null> {
  // One statement, so both halves see the same snapshot; each is an index range scan.
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom(t.jobs)
        .select('next_run_time')
        .where('lease_until', 'is', null)
        .where('next_run_ms', 'is not', null)
        .orderBy('next_run_ms')
        .limit(1)
        .as('free'),
      eb
        .selectFrom(t.jobs)
        .select((inner) =>
          inner.fn
            .min(inner.case().when('lease_until', '>', inner.ref('next_run_ms')).then(inner.ref('lease_until')).else(inner.ref('next_run_ms')).end())
            .as('wake'),
        )
        .where('lease_until', 'is not', null)
        .where('next_run_ms', 'is not', null)
        .as('leased'),
    ])
    .executeTakeFirstOrThrow();
  const free = row.free ?? null;
  const leased = toMs(row.leased ?? null);
  if (leased === null) return free;
  if (free !== null && Date.parse(free) <= leased) return free;
  return new Date(leased).toISOString();
}
