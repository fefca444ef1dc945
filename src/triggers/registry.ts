/**
 * {@link TriggerRegistry}: turns JSON trigger specs (as kept by persistent stores) back into
 * triggers, and resolves whatever `addJob` was given as a trigger.
 *
 * @module
 */
import type { AnyTriggerSpec } from './specs.js';
import type { Trigger, TriggerDefaults, TriggerFactory } from './trigger.js';
import { InvalidArgumentError, InvalidTriggerError } from '../errors.js';
import { isPlainObject } from '../internal/validate.js';
import { DateTrigger } from './date.js';
import { IntervalTrigger } from './interval.js';
import { hostTimezone } from './dates.js';
import { CronTrigger } from './cron/cron-trigger.js';
import { CalendarIntervalTrigger } from './calendar-interval.js';
import { AndTrigger, OrTrigger } from './combining.js';
import { checkSpecDepth } from './combined.js';
import { LastSpec } from './last-spec.js';
import { TriggerCache } from './trigger-cache.js';

/** Built-in types whose instances are shared between equal specs (dates are one per job). */
const SHARED_TYPES = new Set(['interval', 'cron', 'calendarinterval', 'and', 'or']);

/** A factory that can tell "no default zone given" from a given one (built-ins keep it unset). */
type Builder = (spec: AnyTriggerSpec, defaults: Partial<TriggerDefaults>) => Trigger;

/**
 * The trigger types a scheduler can rebuild from JSON. Starts with the built-in `date`,
 * `interval`, `cron`, `calendarinterval`, `and` and `or` types; add custom ones with {@link TriggerRegistry.register}. Each scheduler has its
 * own registry, so registering a type never affects another scheduler.
 *
 * @example
 * ```ts
 * const registry = new TriggerRegistry();
 * registry.register('every-hour-at-7', () => everyHourAt7);
 * registry.fromJSON({ type: 'interval', minutes: 5 }, { timezone: 'Europe/Berlin' });
 * ```
 */
export class TriggerRegistry {
  // A Map, not an object: a spec with type '__proto__' or 'constructor' must not resolve.
  readonly #builders = new Map<string, Builder>();
  // Tables shared by every trigger this registry builds: 100,000 cron jobs in one zone compute
  // that zone's transitions once and parse a shared crontab string once.
  readonly #cache = new TriggerCache();
  /** The last shared trigger and its spec, found again without the cache's key. */
  readonly #last = new LastSpec();

  /**
   * Creates a registry holding the built-in types `date`, `interval`, `cron`,
   * `calendarinterval`, `and` and `or`.
   */
  constructor() {
    const cache = this.#cache;
    this.#builders.set('date', (spec, defaults) => DateTrigger.fromJSON(spec, defaults));
    this.#builders.set('interval', (spec, defaults) => IntervalTrigger.fromJSON(spec, defaults));
    this.#builders.set('cron', (spec, defaults) => CronTrigger.fromJSON(spec, defaults, cache));
    this.#builders.set('calendarinterval', (spec, defaults) => CalendarIntervalTrigger.fromJSON(spec, defaults, cache));
    // Children of combined triggers are rebuilt through this registry, so they may be of any
    // registered type (custom ones included) and get the same defaults.
    this.#builders.set('and', (spec, defaults) => AndTrigger.fromJSON(spec, (child) => this.fromJSON(child, defaults)));
    this.#builders.set('or', (spec, defaults) => OrTrigger.fromJSON(spec, (child) => this.fromJSON(child, defaults)));
  }

  /**
   * Adds a trigger type.
   *
   * @param type - the `type` of its JSON specs, a non-empty string not registered yet
   * @param factory - rebuilds a trigger from its spec; receives the scheduler's `timezone` and
   *   the current time (the host's zone and `new Date()` when the caller gave none)
   * @throws `InvalidArgumentError` for an empty or already registered type, or a non-function
   */
  register(type: string, factory: TriggerFactory): void {
    if (typeof type !== 'string' || type.length === 0) {
      throw new InvalidArgumentError('type', type, 'a non-empty string');
    }
    if (this.#builders.has(type)) {
      throw new InvalidArgumentError('type', type, `a trigger type that is not registered yet`);
    }
    if (typeof factory !== 'function') {
      throw new InvalidArgumentError('factory', factory, 'a function (spec, defaults) => Trigger');
    }
    this.#builders.set(type, (spec, defaults) =>
      factory(spec, { timezone: defaults.timezone ?? hostTimezone(), now: defaults.now ?? new Date() }),
    );
  }

  /**
   * Whether `type` is registered.
   *
   * @param type - a trigger type, e.g. `'interval'`
   */
  has(type: string): boolean {
    return this.#builders.has(type);
  }

  /** The registered types, built-ins first. */
  types(): string[] {
    return [...this.#builders.keys()];
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type, ...options }`
   * @param defaults - `timezone` for specs that name none (the scheduler's zone; the built
   *   trigger then reports it in `toJSON()`), and `now`
   * @throws `InvalidTriggerError` naming the field at fault: `trigger` when the spec is not a
   *   plain object, `type` for a missing or unknown type, else the type's own field
   */
  fromJSON(spec: unknown, defaults: Partial<TriggerDefaults> = {}): Trigger {
    if (!isPlainObject(spec)) {
      throw new InvalidTriggerError('trigger', spec, 'expected a plain object { type, ... }');
    }
    const type = spec.type;
    const builder = typeof type === 'string' ? this.#builders.get(type) : undefined;
    if (builder === undefined) {
      const known = this.types().map((name) => `'${name}'`).join(', ');
      const what = typeof type === 'string' ? `unknown trigger type '${type}'` : 'expected a string type';
      throw new InvalidTriggerError('type', type, `${what}; registered types: ${known}`);
    }
    // Built-in schedules other than one-off dates are shared between equal specs (they are
    // immutable and pure); custom factories are always called, they may not be either.
    const shared = SHARED_TYPES.has(type as string);
    const last = shared ? this.#last.find(spec, defaults.timezone) : null;
    if (last !== null) return last;
    // Before the spec becomes a cache key: a spec nested 100,000 deep would overflow the stack.
    checkSpecDepth(spec);
    const trigger = shared
      ? this.#cache.trigger(`${JSON.stringify(spec)}\u0000${defaults.timezone ?? ''}`, () => builder(spec as AnyTriggerSpec, defaults))
      : builder(spec as AnyTriggerSpec, defaults);
    if (!isTrigger(trigger)) {
      const reason = `the factory registered for '${type as string}' did not return a trigger`;
      throw new InvalidTriggerError('type', type, reason);
    }
    if (shared) this.#last.keep(spec, defaults.timezone, trigger);
    return trigger;
  }

  /**
   * Turns what `addJob` accepts as a trigger into a trigger.
   *
   * @param input - a trigger (returned as is), a JSON spec, or a crontab string (read as
   *   `{ type: 'cron', expression: input }`)
   * @param defaults - as for {@link TriggerRegistry.fromJSON}
   * @throws `InvalidTriggerError`: field `trigger` for anything else
   */
  resolve(input: unknown, defaults: Partial<TriggerDefaults> = {}): Trigger {
    if (typeof input === 'string') {
      // The same crontab string for many jobs: one lookup, no spec object per call.
      const key = `\u0000cron\u0000${input}\u0000${defaults.timezone ?? ''}`;
      return this.#cache.trigger(key, () => this.fromJSON({ type: 'cron', expression: input }, defaults));
    }
    if (isTrigger(input)) return input;
    // An object with any getNextFireTime is a broken trigger, not a spec missing its type.
    if (isPlainObject(input) && !('getNextFireTime' in input)) return this.fromJSON(input, defaults);
    throw new InvalidTriggerError(
      'trigger',
      input,
      'expected a trigger (an object with getNextFireTime, toJSON and toString methods), ' +
        'a JSON spec { type, ... } or a crontab string',
    );
  }
}

/** Does `value` implement the {@link Trigger} methods? */
function isTrigger(value: unknown): value is Trigger {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof Trigger, unknown>>;
  return (
    typeof candidate.getNextFireTime === 'function' &&
    typeof candidate.toJSON === 'function' &&
    typeof candidate.toString === 'function'
  );
}

/**
 * Builds a built-in trigger (`date`, `interval`, `cron`, `calendarinterval`, `and`, `or`) from its JSON spec. Custom types need a
 * {@link TriggerRegistry} (or the scheduler's `registerTriggerType`).
 *
 * @param spec - `{ type, ...options }`
 * @param defaults - `timezone` for specs that name none
 * @throws `InvalidTriggerError` naming the field at fault
 */
export function triggerFromJSON(spec: unknown, defaults?: Partial<TriggerDefaults>): Trigger {
  return new TriggerRegistry().fromJSON(spec, defaults);
}
