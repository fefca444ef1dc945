/**
 * Checks of constructor options shared by the subpath entries (the SQL stores, the worker
 * executor) and the Express adapter. They throw the core's `InvalidArgumentError` through the
 * package's own name, so the error is an instance of the class of the core a user loaded (a
 * copy bundled into an entry would not be).
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from 'timetable';

/** A plain object (not null, not an array, not a class instance such as a pool). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Checks that `value` is a plain object with only `allowed` keys (`undefined` is `{}`).
 *
 * @param value - what was given
 * @param field - its name in messages (`options`, `connection`)
 * @param allowed - the accepted keys
 */
export function checkObject(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new InvalidArgumentError(field, value, 'a plain object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new InvalidArgumentError(`${field}.${key}`, value[key], `no such option; the options are ${allowed.join(', ')}`);
    }
  }
  return value;
}
