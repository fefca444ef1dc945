/**
 * Date and time-zone inputs shared by the triggers and the scheduler: every date option accepts a
 * `Date`, epoch milliseconds, an ISO-8601 string or a luxon `DateTime`, and is turned into an
 * instant (epoch milliseconds) once, when the option is read.
 *
 * @module
 */
import { DateTime, IANAZone } from 'luxon';
import { InvalidTriggerError } from '../errors.js';
import { argumentError, checkOptions, isPlainObject, type Fail } from '../internal/validate.js';

/**
 * A date as accepted anywhere in the library: a `Date`, epoch milliseconds, an ISO-8601 string
 * or a luxon `DateTime`. A string without an offset (`'2026-03-01T09:30'`, or date-only
 * `'2026-03-01'` = local midnight) is wall time in the zone of whatever it configures.
 */
export type DateInput = Date | number | string | DateTimeLike;

/**
 * A luxon `DateTime` as far as this library needs it, so its types do not require luxon's type
 * package. Any valid luxon `DateTime` fits.
 */
export interface DateTimeLike {
  /** Whether the date-time is valid. */
  readonly isValid: boolean;
  /** Epoch milliseconds. */
  toMillis(): number;
}

/** The largest distance from the epoch a JavaScript `Date` can hold (±100,000,000 days). */
const MAX_TIME_MS = 8.64e15;
const DAY_MS = 86_400_000;
/** A calendar date (4-digit year, or the ±6-digit extended form `toISOString` writes), then a time. */
const ISO_DATE = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[Tt ](.+))?$/;
const ACCEPTED = 'a Date, epoch milliseconds, an ISO-8601 string or a luxon DateTime';
const ISO_FORMAT = 'an ISO-8601 date such as 2026-03-01, 2026-03-01T09:30 or 2026-03-01T09:30:00+01:00';

/**
 * The {@link Fail} used by triggers: an `InvalidTriggerError` naming the trigger field.
 *
 * @internal
 */
export const triggerFail: Fail = (field, value, expected) =>
  new InvalidTriggerError(field, value, `expected ${expected}`);

/**
 * Checks the outer shape of a built-in trigger's JSON spec: a plain object whose `type` is
 * `type` and whose other keys are all in `keys` (errors name `<type>.<key>`).
 *
 * @param spec - the spec to check
 * @param type - the expected `type`
 * @param keys - the option keys the type accepts
 * @returns the spec, as a record
 * @internal
 */
export function readSpec(spec: unknown, type: string, keys: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(spec)) throw triggerFail('trigger', spec, `a plain object { type: '${type}', ... }`);
  if (spec.type !== type) throw triggerFail('type', spec.type, `'${type}'`);
  return checkOptions(spec, type, ['type', ...keys], triggerFail);
}

/**
 * Converts a date input to epoch milliseconds.
 *
 * @param input - a valid `Date`, finite epoch milliseconds, an ISO-8601 string or a valid luxon
 *   `DateTime`. A string with `Z` or an offset is that instant; without one it is wall time in
 *   `zone`: a time skipped by a spring-forward gap is the first instant after the gap
 *   (02:30 on a 02:00→03:00 night is 03:00), a repeated time in a fall-back overlap is its first
 *   occurrence.
 * @param field - the option name used in the error
 * @param zone - the IANA zone for strings without an offset
 * @param fail - builds the error; the default throws `InvalidArgumentError`
 * @returns the instant in epoch milliseconds (an integer)
 * @internal
 */
export function toEpochMs(input: unknown, field: string, zone: string, fail: Fail = argumentError): number {
  let ms: number;
  if (typeof input === 'number') {
    ms = Number.isFinite(input) ? Math.trunc(input) : Number.NaN;
  } else if (typeof input === 'string') {
    ms = parseIso(input.trim(), field, zone, fail);
  } else if (DateTime.isDateTime(input)) {
    ms = input.isValid ? input.toMillis() : Number.NaN;
  } else {
    const time = dateValue(input);
    if (time === undefined) throw fail(field, input, ACCEPTED);
    ms = time;
  }
  if (Number.isNaN(ms) || Math.abs(ms) > MAX_TIME_MS) throw fail(field, input, `a valid date (${ACCEPTED})`);
  return ms;
}

/**
 * The time value of a `Date`, or `undefined` for anything else. A brand check rather than
 * `instanceof`, which misses dates from another realm (a vm context).
 */
function dateValue(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

function parseIso(text: string, field: string, zone: string, fail: Fail): number {
  const match = ISO_DATE.exec(text);
  // luxon alone would also take '10:00' (today: impure), '2026-060' or '2026-W10-1': too surprising.
  if (match === null) throw fail(field, text, ISO_FORMAT);
  const time = match[4];
  const normalized = time === undefined ? text : `${match[1]}-${match[2]}-${match[3]}T${time}`;
  if (time !== undefined && /[zZ+-]/.test(time)) {
    const dt = DateTime.fromISO(normalized, { setZone: true });
    if (!dt.isValid) throw fail(field, text, realDate(dt));
    // luxon takes any two-digit hour offset; real ones stay within ±18:00 (java.time's bound).
    if (Math.abs(dt.offset) > 18 * 60) throw fail(field, text, 'an offset between -18:00 and +18:00');
    return dt.toMillis();
  }
  // Read the wall fields as if in UTC (no transitions there), then place them in the real zone
  // ourselves: luxon resolves an ambiguous local time from the *current* offset, which is impure.
  const wall = DateTime.fromISO(normalized, { zone: 'utc' });
  if (!wall.isValid) throw fail(field, text, realDate(wall));
  const ianaZone = IANAZone.create(zone);
  if (!ianaZone.isValid) throw fail(field, text, `a date with an offset (unknown time zone ${zone})`);
  return wallTimeToEpoch(wall.toMillis(), ianaZone);
}

/** What luxon found wrong, e.g. `you specified 30 (of type number) as a day, which is invalid`. */
function realDate(invalid: DateTime): string {
  return `an existing date and time (${invalid.invalidExplanation ?? invalid.invalidReason ?? 'unparsable'})`;
}

/**
 * The instant at which the wall clock of `zone` shows `wallMs` (wall fields encoded as UTC).
 * Offsets a day either side bracket any single transition; zones never change offset twice in
 * two days.
 */
function wallTimeToEpoch(wallMs: number, zone: IANAZone): number {
  const before = zone.offset(wallMs - DAY_MS);
  const after = zone.offset(wallMs + DAY_MS);
  const early = wallMs - Math.max(before, after) * 60_000;
  const late = wallMs - Math.min(before, after) * 60_000;
  // The earlier instant first: in an overlap both are real and the first occurrence wins.
  if (zone.offset(early) === Math.max(before, after)) return Math.round(early);
  if (zone.offset(late) === Math.min(before, after)) return Math.round(late);
  // In a gap no instant shows this wall time. Like cron's DST rule (SPEC §3.3), use the first
  // instant after the gap: the transition itself, found by bisection between the instant read
  // with the new offset (before the transition) and the one read with the old (after it).
  let lo = Math.round(wallMs - after * 60_000);
  let hi = Math.round(wallMs - before * 60_000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Checks that `value` names a time zone of the IANA database (`'Europe/Berlin'`, `'UTC'`).
 *
 * @param value - the zone name to check
 * @param field - the option name used in the error
 * @param fail - builds the error; the default throws `InvalidArgumentError`
 * @returns the zone name, as given
 * @internal
 */
export function checkTimezone(value: unknown, field: string, fail: Fail = argumentError): string {
  // IANAZone.create caches per name, so re-checking the same zone (100k stored jobs) is cheap.
  if (typeof value !== 'string' || value.length === 0 || !IANAZone.create(value).isValid) {
    throw fail(field, value, 'an IANA time zone name such as "Europe/Berlin" or "UTC"');
  }
  return value;
}

/**
 * The host's IANA time zone, or `'UTC'` when the runtime cannot tell.
 *
 * @internal
 */
export function hostTimezone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
  return zone !== undefined && zone.length > 0 && IANAZone.create(zone).isValid ? zone : 'UTC';
}

/**
 * Epoch milliseconds as a UTC ISO-8601 string (`2026-03-01T08:30:00.000Z`).
 *
 * @param ms - the instant
 * @internal
 */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * An instant for display: ISO-8601 with the local offset of `zone`, or UTC without a zone.
 *
 * @param ms - the instant
 * @param zone - the zone to show it in
 * @internal
 */
export function toLocalIso(ms: number, zone: string | undefined): string {
  if (zone === undefined) return toIso(ms);
  return DateTime.fromMillis(ms, { zone }).toISO() ?? toIso(ms);
}
