/**
 * Job records to hash fields and back. A record is kept as its own JSON text (`data`), so it
 * comes back exactly as written (key order, number forms, unicode), as in the SQL stores; the
 * fields beside it (`next`, `ms`, `version`, `trigger`) are what the scripts order and compare
 * by, and a release changes only those.
 *
 * A job whose hash cannot be read (its `data` does not parse or is not a record of this id,
 * its `version` or `next` is not what the store wrote, the key is not a hash) comes back as the
 * SQL stores return an unreadable row: a stand-in record whose trigger type is
 * {@link UNREADABLE_TRIGGER_TYPE}, which the scheduler reports as `job:invalid` and leaves alone.
 *
 * @internal
 * @module
 */
import { createHash } from 'node:crypto';
import type { JobRecord } from 'timetable';
import { writableMs } from '../sql/records.js';
import { recordShapeProblem, unreadableRecord } from '../unreadable.js';

/** What a job's hash holds of a record (the lease fields aside), as script arguments. */
export interface RecordFields {
  id: string;
  data: string;
  /** `nextRunTime` as written, `''` when paused. */
  next: string;
  /** Its epoch ms as a decimal string, `''` when paused. */
  ms: string;
  version: string;
  trigger: string;
}

/** The fields of a job as a script read them (`null` where a field is missing). */
export interface StoredJob {
  /** `'hash'`, or the key's other type (`'string'`, `'list'`...) when it was overwritten. */
  kind: string;
  data: string | null;
  next: string | null;
  version: string | null;
  ms: string | null;
}

/** A record read back, with the instant it sorts by (`null`: paused). */
export interface ReadRecord {
  record: JobRecord;
  ms: number | null;
}

/** The fingerprint of a trigger spec: releases compare it with the one a job was acquired with. */
export function triggerFingerprint(trigger: unknown): string {
  return createHash('sha256').update(JSON.stringify(trigger) ?? 'undefined', 'utf8').digest('base64url');
}

/** The fields of a record about to be written. */
export function toFields(record: JobRecord): RecordFields {
  const ms = writableMs(record);
  return {
    id: record.id,
    data: JSON.stringify(record),
    next: record.nextRunTime ?? '',
    ms: ms === null ? '' : String(ms),
    version: String(record.version),
    trigger: triggerFingerprint(record.trigger),
  };
}

/** An ISO instant of `ms` (a number Redis printed), or `null` when it is not one. */
function isoOfMs(ms: string | null): string | null {
  const value = ms === null ? Number.NaN : Number(ms);
  return Number.isFinite(value) && Math.abs(value) <= 8.64e15 ? new Date(value).toISOString() : null;
}

/**
 * The record of a job as read: its JSON with `nextRunTime` and `version` from their fields
 * (assigned to keys the JSON already has, so the key order is the written one), or the
 * unreadable stand-in.
 */
export function fromStored(id: string, stored: StoredJob): ReadRecord {
  const msValue = stored.ms === null ? null : Number(stored.ms);
  const ms = msValue !== null && Number.isFinite(msValue) ? msValue : null;
  const fallbackNext = stored.next !== null && !Number.isNaN(Date.parse(stored.next)) ? stored.next : isoOfMs(stored.ms);
  const bad = (reason: string): ReadRecord => ({ record: unreadableRecord(id, fallbackNext, versionOf(stored.version), 'stored hash', reason), ms });
  if (stored.kind !== 'hash') return bad(`its key holds a ${stored.kind}, not a hash`);
  if (stored.data === null) return bad('its hash has no "data" field');
  if (stored.version === null || !/^\d{1,15}$/.test(stored.version)) return bad(`its "version" field is not an integer`);
  if (stored.next !== null && Number.isNaN(Date.parse(stored.next))) return bad(`its "next" field is not an ISO-8601 instant`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.data);
  } catch (error) {
    return bad(`its JSON does not parse: ${(error as Error).message}`);
  }
  const problem = recordShapeProblem(parsed, (own) => own === id, 'key');
  if (problem !== null) return bad(problem);
  const record = parsed as JobRecord;
  record.nextRunTime = stored.next;
  record.version = Number(stored.version);
  return { record, ms: stored.next === null ? null : Date.parse(stored.next) };
}

/** A stored version as a number, or 0 when it is not one (such a record is never written back). */
function versionOf(version: string | null): number {
  return version !== null && /^\d{1,15}$/.test(version) ? Number(version) : 0;
}
