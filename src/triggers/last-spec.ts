/**
 * The last flat spec a registry shared a trigger for, with that trigger. Jobs added one after
 * another on the same schedule (each with a new spec object, or a new trigger instance whose spec
 * is read) find it by comparing a few fields, instead of writing the spec out as the cache's key
 * and hashing it: for a job given a trigger instance, that text and its lookup were about a
 * quarter of the add.
 *
 * @internal
 * @module
 */
import type { Trigger } from './trigger.js';

/** A JSON value without parts: what every field of a flat spec is. */
type Plain = string | number | boolean | null;

/** Whether `value` is written to JSON as itself (undefined and non-finite numbers are not). */
const isPlain = (value: unknown): value is Plain =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** One remembered spec (its own fields, copied) and the trigger shared for it. */
export class LastSpec {
  #fields: Map<string, Plain> | null = null;
  #timezone: string | undefined = undefined;
  #trigger: Trigger | null = null;

  /**
   * The trigger kept for a spec with the same own fields and values as `spec`, built with the
   * same default zone, or `null`.
   */
  find(spec: Readonly<Record<string, unknown>>, timezone: string | undefined): Trigger | null {
    const fields = this.#fields;
    if (fields === null || timezone !== this.#timezone) return null;
    let count = 0;
    for (const key in spec) {
      if (!Object.hasOwn(spec, key)) continue;
      if (!fields.has(key) || fields.get(key) !== spec[key]) return null;
      count++;
    }
    return count === fields.size ? this.#trigger : null;
  }

  /**
   * Keeps `trigger` as the one shared for `spec` and `timezone`. Only a spec whose fields are all
   * plain JSON values is kept (a copy of them: the caller may change its object later).
   */
  keep(spec: Readonly<Record<string, unknown>>, timezone: string | undefined, trigger: Trigger): void {
    const fields = new Map<string, Plain>();
    for (const key in spec) {
      if (!Object.hasOwn(spec, key)) continue;
      const value = spec[key];
      if (!isPlain(value)) {
        this.#fields = null;
        this.#trigger = null;
        return;
      }
      fields.set(key, value);
    }
    this.#fields = fields;
    this.#timezone = timezone;
    this.#trigger = trigger;
  }
}
