/**
 * The job calls of the Redis store outside the leases: add, update, remove, remove all, and the
 * reads. Each write is one script; the reads that look at every job go through the `{p}jobs`
 * set a page at a time, so no call blocks Redis for long however many jobs there are.
 *
 * @internal
 * @module
 */
import { ConcurrentModificationError, ConflictingIdError, JobNotFoundError, StoreError, type JobRecord } from 'timetable';
import { byRunTime, UNREADABLE_TRIGGER_TYPE } from '../sql/records.js';
import { ADD, CLEAR, NEXT, READ, REMOVE, UPDATE } from './lua/jobs.js';
import { fromStored, toFields, type ReadRecord } from './records.js';
import { runScript } from './scripts.js';
import type { Session } from './session.js';

/** Jobs read, or removed, per script call: small enough that no call holds Redis up. */
const PAGE = 500;

/** Adds a job. @throws `ConflictingIdError` if its key exists */
export async function addJob(s: Session, record: JobRecord): Promise<void> {
  const f = toFields(record);
  const { keys } = s;
  const added = await runScript(s.client, ADD, [keys.jobs, keys.due, keys.job], [f.id, f.data, f.next, f.ms, f.version, f.trigger, s.channel, s.token]);
  if (added === 0) throw new ConflictingIdError(record.id);
}

/**
 * Replaces a job (its lease kept). @throws `JobNotFoundError`, `ConcurrentModificationError`, or
 * `StoreError` for the stand-in of an unreadable hash (writing it would destroy the hash)
 */
export async function updateJob(s: Session, record: JobRecord): Promise<void> {
  if (record.trigger?.type === UNREADABLE_TRIGGER_TYPE) {
    // The stand-in of a hash the store cannot read: writing it would destroy that hash.
    throw new StoreError(
      `job ${JSON.stringify(record.id)} is not updated: its stored hash cannot be read, and is left as it is (correct it by hand, or remove the job)`,
    );
  }
  const f = toFields(record);
  const { keys } = s;
  const previous = String(record.version - 1);
  const outcome = await runScript(
    s.client,
    UPDATE,
    [keys.due, keys.wake, keys.job],
    [f.id, f.data, f.next, f.ms, f.version, previous, f.trigger, s.channel, s.token],
  );
  if (outcome === 0) throw new JobNotFoundError(record.id);
  if (outcome === -1) throw new ConcurrentModificationError(record.id);
  if (outcome === -2) throw new StoreError(`job ${JSON.stringify(record.id)} is not updated: its key is not a hash (it was overwritten by hand), and is left as it is`);
}

/** Removes a job with its lease. @throws `JobNotFoundError` if it is missing */
export async function removeJob(s: Session, id: string): Promise<void> {
  const { keys } = s;
  const removed = await runScript(s.client, REMOVE, [keys.jobs, keys.due, keys.leases, keys.wake, keys.job], [id, s.channel, s.token]);
  if (removed === 0) throw new JobNotFoundError(id);
}

/** Removes every job, a page per script call, until a call finds none left. */
export async function removeAllJobs(s: Session): Promise<void> {
  const { keys } = s;
  const args = [String(PAGE), s.channel, s.token];
  while ((await runScript(s.client, CLEAR, [keys.jobs, keys.due, keys.leases, keys.wake, keys.job], args)) !== -1);
}

/** Reads the jobs `ids` (a page at most); missing ones are left out. */
async function readJobs(s: Session, ids: readonly string[]): Promise<ReadRecord[]> {
  if (ids.length === 0) return [];
  const reply = (await runScript(s.client, READ, [s.keys.job], ids)) as (string | null)[];
  const out: ReadRecord[] = [];
  ids.forEach((id, i) => {
    const [kind, data, next, version, ms] = reply.slice(i * 5, i * 5 + 5) as [string, string | null, string | null, string | null, string | null];
    if (kind !== 'none') out.push(fromStored(id, { kind, data, next, version, ms }));
  });
  return out;
}

/** The job `id`, or `undefined` (an unreadable hash as its stand-in). */
export async function getJob(s: Session, id: string): Promise<JobRecord | undefined> {
  return (await readJobs(s, [id]))[0]?.record;
}

/**
 * Every job, by next run time (paused last), then id. Not one snapshot: a job written while the
 * pages are read is seen either as it was or as it is, as with any listing read in pages.
 */
export async function getJobs(s: Session): Promise<JobRecord[]> {
  const seen = new Set<string>();
  const read: ReadRecord[] = [];
  let cursor = '0';
  do {
    const [next, ids] = await s.client.sscan(s.keys.jobs, cursor, 'COUNT', PAGE);
    cursor = next;
    // SSCAN may return an id twice (the set was resized meanwhile).
    const fresh = ids.filter((id) => !seen.has(id));
    for (const id of fresh) seen.add(id);
    for (let i = 0; i < fresh.length; i += PAGE) read.push(...(await readJobs(s, fresh.slice(i, i + PAGE))));
  } while (cursor !== '0');
  // Sorted here: JavaScript's string order is the contract's (Redis orders ids by byte).
  return read
    .map((entry) => ({ ms: entry.ms, id: entry.record.id, record: entry.record }))
    .sort(byRunTime)
    .map((entry) => entry.record);
}

/**
 * The earliest instant a job may be acquired: the earliest free job's `nextRunTime` as written,
 * or the ISO instant at which the earliest leased one may be taken (the later of its next run
 * time and its lease's end), whichever is first.
 */
export async function getNextRunTime(s: Session): Promise<string | null> {
  const { keys } = s;
  const [written, freeScore, wakeScore] = (await runScript(s.client, NEXT, [keys.due, keys.wake, keys.job], [])) as (string | null)[];
  const free = freeScore == null ? null : Number(freeScore);
  const leased = wakeScore == null ? null : Number(wakeScore);
  if (free !== null && (leased === null || free <= leased)) {
    // As written, unless the hash and the index disagree (edited by hand): then the index's.
    return written != null && Date.parse(written) === free ? written : new Date(free).toISOString();
  }
  return leased === null ? null : new Date(leased).toISOString();
}
