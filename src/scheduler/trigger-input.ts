/**
 * Triggers as the job operations receive them: resolved from what `addJob` and `modifyJob` were
 * given, checked to be storable and to have a fire time left. A trigger may be user code, so
 * every call into it goes through a wrapper: whatever it throws or returns, the caller gets a
 * `SchedulerError` that names the trigger method at fault, never a raw `TypeError`.
 *
 * @internal
 * @module
 */
import { InvalidTriggerError, SchedulerError, SerializationError } from '../errors.js';
import { checkJson } from '../internal/json.js';
import { isPlainObject } from '../internal/validate.js';
import type { JobRecord } from '../stores/job-store.js';
import type { AnyTriggerSpec } from '../triggers/specs.js';
import type { Trigger } from '../triggers/trigger.js';
import { DateTrigger } from '../triggers/date.js';
import { IntervalTrigger } from '../triggers/interval.js';
import { CronTrigger } from '../triggers/cron/cron-trigger.js';
import { CalendarIntervalTrigger } from '../triggers/calendar-interval.js';
import { AndTrigger, OrTrigger } from '../triggers/combining.js';
import type { SchedulerContext } from './context.js';
import { describeTrigger, firstFireTime } from './fire-times.js';

/** Built-in trigger classes: the scheduler may rebuild these from their spec. */
const BUILT_IN: readonly (abstract new (...args: never[]) => Trigger)[] = [
  DateTrigger, IntervalTrigger, CronTrigger, CalendarIntervalTrigger, AndTrigger, OrTrigger,
];
/** Built-in types that keep zone tables: rebuilt so all jobs share the registry's tables. */
const ZONED_TYPES = new Set(['cron', 'calendarinterval', 'and', 'or']);

/** What user code threw, for an error message: `TypeError: ...`, or the value itself. */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

/**
 * Calls `method` of a trigger (`toJSON()`, `toString()`), turning what it throws into an
 * `InvalidTriggerError` on that method, with the thrown value as `cause`. A `SchedulerError`
 * (a combined trigger's own check, say) passes through as it is.
 */
function callTrigger<T>(trigger: Trigger, method: 'toJSON()' | 'toString()', call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof SchedulerError) throw error;
    const reason = `it threw ${describeThrown(error)}`;
    throw new InvalidTriggerError(method, describeTrigger(trigger), reason, { cause: error });
  }
}

/** A trigger's `toJSON()`, checked to be a `{ type, ... }` object of JSON values. */
function specOf(trigger: Trigger, toJSON: () => unknown): AnyTriggerSpec {
  const spec = callTrigger(trigger, 'toJSON()', toJSON);
  if (!isPlainObject(spec) || typeof spec.type !== 'string') {
    throw new InvalidTriggerError('toJSON()', spec, 'a trigger must return a { type, ... } object');
  }
  checkJson(spec, 'trigger.toJSON()', (field, value, expected) => new InvalidTriggerError(field, value, expected));
  return spec as AnyTriggerSpec;
}

/** Checks `toString()` now rather than when first shown (error messages, the express adapter). */
function checkText(trigger: Trigger): void {
  const text: unknown = callTrigger(trigger, 'toString()', () => trigger.toString());
  if (typeof text !== 'string') throw new InvalidTriggerError('toString()', text, 'a trigger must return a string');
}

/** Builds a trigger from any accepted input and checks that its spec can be stored. */
export function resolveTrigger(
  ctx: SchedulerContext,
  input: unknown,
  persistent: boolean,
): { trigger: Trigger; spec: AnyTriggerSpec } {
  const defaults = { timezone: ctx.timezone, now: new Date(ctx.clock.now()) };
  let trigger = fromFactory(isPlainObject(input) ? input.type : undefined, () => ctx.triggers.resolve(input, defaults));
  // Exactly a built-in class: a subclass may override behaviour and must be used as given.
  const builtIn = BUILT_IN.some((type) => Object.getPrototypeOf(trigger) === type.prototype);
  const combined = trigger instanceof AndTrigger || trigger instanceof OrTrigger;
  if (builtIn && trigger === input) {
    // A combined trigger's toJSON() calls its children's, which may be user code.
    const given = combined ? specOf(trigger, () => trigger.toJSON()) : trigger.toJSON();
    // A built-in instance without its own zone takes the scheduler's (SPEC §2), and cron-like
    // triggers share the registry's tables (and instances) instead of building their own. A
    // combined trigger with children of an unregistered type cannot be rebuilt: keep it as given.
    if (given.timezone === undefined || ZONED_TYPES.has(given.type)) {
      try {
        trigger = ctx.triggers.fromJSON(given, defaults);
      } catch (error) {
        if (!combined) throw error;
      }
    }
  }
  // Combined triggers call their children, which may be user code like a custom trigger.
  if (!builtIn || combined) checkText(trigger);
  if (builtIn && !(persistent && combined)) {
    // Built-in triggers are immutable and write plain JSON: their spec is made once and shared.
    const shared = trigger;
    const spec = combined ? specOf(shared, () => ctx.specOf(shared)) : ctx.specOf(shared);
    ctx.rememberTrigger(spec, trigger);
    return { trigger, spec };
  }
  const custom = trigger;
  const spec = specOf(custom, () => custom.toJSON());
  if (persistent) {
    // Storable means the registry can rebuild it, nested children of and/or included.
    try {
      ctx.triggers.fromJSON(spec, defaults);
    } catch (error) {
      throw new SerializationError(
        `Trigger ${JSON.stringify(spec.type)} cannot be rebuilt from its JSON spec: register its type with ` +
          `registerTriggerType to store it persistently`,
        { cause: error },
      );
    }
  }
  ctx.rememberTrigger(spec, trigger);
  return { trigger, spec };
}

/**
 * The first run time of a trigger from now: the one check every path that accepts a trigger
 * makes (addJob, paused or not, with or without `nextRunTime`; modifyJob; rescheduleJob).
 *
 * @throws InvalidTriggerError on field `trigger` if it never fires again, or on
 *   `getNextFireTime` if it throws or returns something that is not a valid `Date` or `null`
 */
export function firstRunTime(ctx: SchedulerContext, trigger: Trigger): string {
  const first = firstFireTime(trigger, ctx.clock.now());
  if (first === null) throw new InvalidTriggerError('trigger', describeTrigger(trigger), 'it has no fire time left');
  return ctx.firstRunIso.toIso(first);
}

/** The trigger of a stored record (rebuilt from its spec when not cached). */
export function triggerOfRecord(ctx: SchedulerContext, record: JobRecord): Trigger {
  return fromFactory(record.trigger.type, () => ctx.triggerOf(record));
}

/**
 * Builds a trigger through the registry. A factory registered with `registerTriggerType` is
 * user code and may throw anything: that becomes an `InvalidTriggerError` on `type`.
 */
function fromFactory(type: unknown, build: () => Trigger): Trigger {
  try {
    return build();
  } catch (error) {
    if (error instanceof SchedulerError) throw error;
    throw new InvalidTriggerError('type', type, `its factory threw ${describeThrown(error)}`, { cause: error });
  }
}
