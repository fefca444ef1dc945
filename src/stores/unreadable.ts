/**
 * Records a persistent store cannot read back (a row or hash edited by hand into something that
 * is not a job record): how the stores tell one, and the stand-in they return for it, so the
 * scheduler reports the job as `job:invalid` and leaves it alone. Shared by the SQL and Redis
 * stores, which must treat such records alike.
 *
 * @internal
 * @module
 */
import type { JobRecord } from 'timetable';

/**
 * The trigger `type` of a record the store could not read: its stored JSON does not parse, or is
 * not a job record. No trigger type is registered under this name, so the scheduler reports the
 * job as `job:invalid` and leaves it alone; the store never rewrites or deletes such a record
 * (only an explicit `removeJob`, or an `updateJob` with a readable record, replaces it).
 */
export const UNREADABLE_TRIGGER_TYPE = 'timetable:unreadable-row';

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumberOrNull = (v: unknown): boolean => v === null || typeof v === 'number';
/** The fields every stored record has, and what each must be. */
const FIELD_CHECKS: readonly (readonly [string, (v: unknown) => boolean])[] = [
  ['name', (v) => typeof v === 'string'],
  ['task', (v) => typeof v === 'string'],
  ['inlineTask', (v) => typeof v === 'boolean'],
  ['args', Array.isArray],
  ['trigger', isObject],
  ['executor', (v) => typeof v === 'string'],
  ['metadata', isObject],
  ['maxInstances', (v) => typeof v === 'number'],
  ['coalesce', (v) => v === 'latest' || v === 'earliest' || v === 'all'],
  ['misfireGraceTime', isNumberOrNull],
  ['jitter', isNumberOrNull],
  ['timeout', isNumberOrNull],
];

/**
 * What is wrong with a parsed record, or `null`.
 *
 * @param ownId - whether the record's `id` is the one its row or key says
 * @param where - `row` or `key`, for the message
 */
export function recordShapeProblem(value: unknown, ownId: (id: unknown) => boolean, where: string): string | null {
  if (!isObject(value)) return 'it is not a JSON object';
  const record = value as Record<string, unknown>;
  if (!ownId(record.id)) return `its "id" is not the ${where}'s id`;
  for (const [key, ok] of FIELD_CHECKS) if (!ok(record[key])) return `its "${key}" is missing or of the wrong type`;
  return null;
}

/**
 * The stand-in for a job the store cannot read: the id, next run time and version it could read
 * (version 0 when none: such a record is never written back), defaults elsewhere, and a trigger
 * of type {@link UNREADABLE_TRIGGER_TYPE} that carries the reason.
 *
 * @param what - what could not be read, e.g. `stored row`
 */
export function unreadableRecord(id: string, nextRunTime: string | null, version: number, what: string, reason: string): JobRecord {
  return {
    id,
    name: id,
    task: '',
    inlineTask: false,
    args: [],
    trigger: { type: UNREADABLE_TRIGGER_TYPE, error: `the ${what} of job ${JSON.stringify(id)} cannot be read: ${reason}` },
    executor: 'default',
    misfireGraceTime: null,
    coalesce: 'latest',
    maxInstances: 1,
    jitter: null,
    timeout: null,
    nextRunTime,
    metadata: {},
    version,
  };
}
