/**
 * Argument checks shared by the scheduler and the built-in parts. Each returns the checked value
 * or throws the error built by `fail(field, value, expected)`, so callers choose between
 * `InvalidArgumentError` (options) and `InvalidTriggerError` (trigger fields).
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/**
 * The longest duration a run policy may have, in seconds (366 days): `misfireGraceTime`,
 * `jitter` (of a job or of a trigger) and `timeout`. Longer values are surely mistakes, and
 * some (a jitter of 1e300 s) would make a run wait forever.
 */
export const MAX_POLICY_SECONDS = 31_622_400;

/** Builds the error for a bad value: `fail(field, value, expected)`. */
export type Fail = (field: string, value: unknown, expected: string) => Error;

/** The default {@link Fail}: an `InvalidArgumentError`. */
export const argumentError: Fail = (field, value, expected) =>
  new InvalidArgumentError(field, value, expected);

/** Is `value` a plain object (not an array, date, class instance or null)? */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Checks that `value` is a plain object whose keys are all in `allowed`. */
export function checkOptions(
  value: unknown,
  field: string,
  allowed: readonly string[],
  fail: Fail = argumentError,
): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw fail(field, value, 'a plain object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw fail(`${field}.${key}`, value[key], `one of the known options: ${allowed.join(', ')}`);
    }
  }
  return value;
}

/** Bounds of {@link checkDuration}: `> 0` instead of `>= 0` with `positive`, and at most `max`. */
export interface DurationBounds {
  /** Refuse 0 as well. */
  positive?: boolean;
  /** The largest accepted value (inclusive). @defaultValue no bound */
  max?: number;
}

/** ` and <= max`, or nothing without a bound: the tail of an `expected` text. */
function upTo(max: number): string {
  return max === Number.POSITIVE_INFINITY ? '' : ` and <= ${max}`;
}

/**
 * A finite number of seconds (or other unit) that is `>= 0`, or `> 0` with `positive`, and at
 * most `max` when given.
 */
export function checkDuration(
  value: unknown,
  field: string,
  options: DurationBounds = {},
  fail: Fail = argumentError,
): number {
  const { positive = false, max = Number.POSITIVE_INFINITY } = options;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0) && value <= max;
  if (!ok) {
    const expected = positive ? 'a positive finite number' : 'a finite number >= 0';
    throw fail(field, value, expected + upTo(max));
  }
  return value;
}

/** Like {@link checkDuration}, but `null` is allowed and `undefined` gives `fallback`. */
export function checkOptionalDuration(
  value: unknown,
  field: string,
  fallback: number | null,
  options: DurationBounds = {},
  fail: Fail = argumentError,
): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  return checkDuration(value, field, options, fail);
}

/** An integer `>= min` (and `<= max` when given). */
export function checkInteger(
  value: unknown,
  field: string,
  min: number,
  fail: Fail = argumentError,
  max: number = Number.POSITIVE_INFINITY,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw fail(field, value, `an integer >= ${min}${upTo(max)}`);
  }
  return value;
}

/** A non-empty string. */
export function checkString(value: unknown, field: string, fail: Fail = argumentError): string {
  if (typeof value !== 'string' || value.length === 0) throw fail(field, value, 'a non-empty string');
  return value;
}

/** A boolean. */
export function checkBoolean(value: unknown, field: string, fail: Fail = argumentError): boolean {
  if (typeof value !== 'boolean') throw fail(field, value, 'true or false');
  return value;
}
