/**
 * Job records to rows and back. A record is stored as its own JSON text, so it comes back
 * exactly as written (key order, number forms, unicode); the columns beside it are what the
 * database orders and compares by.
 *
 * @internal
 * @module
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError, type JobRecord } from 'timetable';
import { recordShapeProblem, unreadableRecord } from '../unreadable.js';

export { UNREADABLE_TRIGGER_TYPE } from '../unreadable.js';

/** SHA-256 of a string, hex: the key of ids (any length) and the fingerprint of trigger specs. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What the jobs table holds of a record (everything but the lease). */
export interface RecordColumns {
  id_hash: string;
  id: string;
  data: string;
  trigger_hash: string;
  next_run_time: string | null;
  next_run_ms: number | null;
  version: number;
}

/** A row as read back for a record. */
export interface RecordRow {
  id_hash: string;
  id: string;
  data: string;
  next_run_time: string | null;
  version: number | string | bigint;
}

/** Epoch ms of an ISO instant; throws naming `field` when it is not one. */
export function instantMs(iso: string, field: string): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError(field, iso, 'an ISO-8601 instant');
  return ms;
}

/**
 * Checks what a store keys and orders a record by (its id, version and next run time) before it
 * is written, and returns the next run time in epoch ms (`null`: paused).
 */
export function writableMs(record: JobRecord): number | null {
  if (typeof record.id !== 'string' || record.id.length === 0) {
    throw new InvalidArgumentError('record.id', record.id, 'a non-empty string');
  }
  if (!Number.isSafeInteger(record.version)) {
    throw new InvalidArgumentError('record.version', record.version, 'an integer');
  }
  return record.nextRunTime === null ? null : instantMs(record.nextRunTime, 'record.nextRunTime');
}

/** The columns of a record about to be written. */
export function toColumns(record: JobRecord): RecordColumns {
  const ms = writableMs(record);
  const nextRunTime = record.nextRunTime;
  return {
    id_hash: sha256(record.id),
    id: record.id,
    data: JSON.stringify(record),
    trigger_hash: sha256(JSON.stringify(record.trigger) ?? 'undefined'),
    next_run_time: nextRunTime,
    next_run_ms: ms,
    version: record.version,
  };
}

/**
 * The record of a row: its JSON with `nextRunTime` and `version` from their columns (assigned
 * to keys the JSON already has, so the key order is the written one). A row whose JSON does not
 * parse or is not a job record of this id comes back as an unreadable record (see
 * {@link UNREADABLE_TRIGGER_TYPE}).
 */
export function fromRow(row: RecordRow): JobRecord {
  const version = Number(row.version);
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.data);
  } catch (error) {
    return unreadableRecord(row.id, row.next_run_time, version, 'stored row', `its JSON does not parse: ${(error as Error).message}`);
  }
  // By hash: the id column is for people and tie-breaks; the JSON's id is the one written.
  const problem = recordShapeProblem(parsed, (id) => typeof id === 'string' && sha256(id) === row.id_hash, 'row');
  if (problem !== null) return unreadableRecord(row.id, row.next_run_time, version, 'stored row', problem);
  const record = parsed as JobRecord;
  record.nextRunTime = row.next_run_time;
  record.version = version;
  return record;
}

/** JavaScript's order of jobs: next run time (paused last), then id by UTF-16 code unit. */
export function byRunTime(a: { ms: number | null; id: string }, b: { ms: number | null; id: string }): number {
  if (a.ms !== b.ms) {
    if (a.ms === null) return 1;
    if (b.ms === null) return -1;
    return a.ms - b.ms;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A nullable BIGINT as a number. */
export function toMs(value: number | string | bigint | null): number | null {
  return value === null ? null : Number(value);
}
