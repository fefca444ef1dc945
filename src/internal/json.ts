/**
 * Checks that a value is plain JSON (what a persistent store can keep and give back equal).
 *
 * @internal
 * @module
 */
import type { JsonValue } from '../json.js';
import { argumentError, isPlainObject, type Fail } from './validate.js';

/**
 * How deep arrays and objects may nest. Deeper values fail with a clear error instead of
 * overflowing the stack here or in a store's serializer.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Returns `value` if it is JSON: strings, finite numbers, booleans, null, arrays and plain
 * objects of those, without cycles, nested at most {@link MAX_JSON_DEPTH} levels. Dates,
 * `undefined`, functions, NaN and class instances fail with an error naming the path, e.g.
 * `options.args[2].when`.
 */
export function checkJson(value: unknown, field: string, fail: Fail = argumentError): JsonValue {
  walk(value, field, fail, new Set(), 0);
  return value as JsonValue;
}

function walk(value: unknown, path: string, fail: Fail, seen: Set<object>, depth: number): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw fail(path, value, 'a JSON value (finite numbers only)');
      return;
    case 'object':
      break;
    default:
      throw fail(path, value, 'a JSON value');
  }
  if (value === null) return;
  if (seen.has(value)) throw fail(path, '[circular]', 'a JSON value without cycles');
  if (depth >= MAX_JSON_DEPTH) throw fail(path, '[nested too deep]', `JSON nested at most ${MAX_JSON_DEPTH} levels deep`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, fail, seen, depth + 1));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`, fail, seen, depth + 1);
  } else {
    throw fail(path, value, 'a JSON value (plain objects only; pass dates as ISO strings)');
  }
  seen.delete(value);
}

/** Equal as JSON values: the same object (the common case, records share their spec), or deeply equal. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const objB = b as Record<string, unknown>;
  return keysA.every((key) => Object.hasOwn(objB, key) && sameJson((a as Record<string, unknown>)[key], objB[key]));
}
