/**
 * Validation of the SQL stores' constructor arguments. Every check throws
 * `InvalidArgumentError` naming the field (`connection.path`, `options.tablePrefix`, ...), at
 * construction, before anything connects.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from 'timetable';
import { checkObject } from '../../internal/entry-options.js';

/** What an identifier from the options may look like: it is written into SQL as a quoted name. */
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;
/**
 * Longest table prefix: PostgreSQL cuts names at 63 bytes, MySQL at 64, and the longest name
 * made from the prefix is `<prefix>jobs_lease`.
 */
export const MAX_PREFIX_LENGTH = 40;
/** Longest PostgreSQL schema name (its identifier limit). */
const MAX_SCHEMA_LENGTH = 63;
/** The bounds of `pollInterval` in seconds; `0` turns polling off. */
const POLL_INTERVAL = { min: 0.1, max: 3_600 } as const;

/** The default table prefix. */
export const DEFAULT_TABLE_PREFIX = 'timetable_';
/** The default `pollInterval` of the stores without push notifications, in seconds. */
export const DEFAULT_POLL_INTERVAL = 1;

/**
 * Picks the one connection key given among `keys` (e.g. `path` or `database`).
 *
 * @returns the key that was given
 */
export function oneOf<K extends string>(connection: unknown, keys: readonly K[]): { key: K; value: unknown } {
  const given = checkObject(connection, 'connection', keys);
  const present = keys.filter((key) => given[key] !== undefined);
  if (present.length !== 1) {
    throw new InvalidArgumentError('connection', connection, `an object with exactly one of ${keys.map((key) => `{ ${key} }`).join(' or ')}`);
  }
  const key = present[0] as K;
  return { key, value: given[key] };
}

/** A non-empty string. */
export function checkText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidArgumentError(field, value, 'a non-empty string');
  return value;
}

/** A table prefix or schema name: letters, digits and `_`, not starting with a digit. */
export function checkIdentifier(value: unknown, field: string, fallback: string, maxLength: number): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !IDENTIFIER.test(value) || value.length > maxLength) {
    throw new InvalidArgumentError(
      field,
      value,
      `at most ${maxLength} letters, digits and underscores, not starting with a digit (it becomes part of SQL names)`,
    );
  }
  return value;
}

/** `options.tablePrefix`. */
export function checkTablePrefix(value: unknown): string {
  return checkIdentifier(value, 'options.tablePrefix', DEFAULT_TABLE_PREFIX, MAX_PREFIX_LENGTH);
}

/** `options.schema` (PostgreSQL). */
export function checkSchema(value: unknown): string {
  return checkIdentifier(value, 'options.schema', 'public', MAX_SCHEMA_LENGTH);
}

/** `options.pollInterval` in seconds: `0` for none, else 0.1 to 3,600. */
export function checkPollInterval(value: unknown): number {
  if (value === undefined) return DEFAULT_POLL_INTERVAL;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (value !== 0 && (value < POLL_INTERVAL.min || value > POLL_INTERVAL.max))
  ) {
    throw new InvalidArgumentError(
      'options.pollInterval',
      value,
      `a number of seconds from ${POLL_INTERVAL.min} to ${POLL_INTERVAL.max}, or 0 to never poll`,
    );
  }
  return value;
}

/** An object that has the methods `methods` (a driver's pool or database handle). */
export function checkHandle<T>(value: unknown, field: string, methods: readonly string[], what: string): T {
  const candidate = value as Record<string, unknown> | null;
  if (typeof value !== 'object' || candidate === null || methods.some((name) => typeof candidate[name] !== 'function')) {
    throw new InvalidArgumentError(field, value, what);
  }
  return value as T;
}
