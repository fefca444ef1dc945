/**
 * How a trigger's fire times can be walked without stepping through each of them.
 *
 * The trigger contract is stateless: `getNextFireTime(previous, now)`. Most triggers' times form
 * a **fixed set** (a cron expression, an interval on a `startDate` grid, a calendar interval
 * from a `startDate`, a date): for those, "the first time at or after t" is
 * `getNextFireTime(null, t)` for any instant t, and a search may jump straight to it. Others
 * **count** from their previous fire time (an interval or a calendar interval without
 * `startDate`, many custom triggers): they can only be stepped, one fire time after another.
 * Combined triggers and the scheduler's catch-up use this to skip ahead where the answer is the
 * same, and to step where it would not be.
 *
 * @internal
 * @module
 */
import type { Trigger } from './trigger.js';

/**
 * Key of an optional getter by which a trigger declares whether its fire times form a fixed set
 * (`true`) or count from the previous fire time (`false`). The built-in triggers have it; for
 * any other trigger, {@link isFixedSet} probes. `Symbol.for`, so a trigger built by one copy of
 * the library (ESM) is understood by another (CJS).
 */
export const FIXED_SET: unique symbol = Symbol.for('timetable.trigger.fixedSet') as never;

/** A trigger that may declare its kind under {@link FIXED_SET}. */
interface MaybeDeclared {
  readonly [FIXED_SET]?: unknown;
}

/** The last instant a `Date` can hold. */
const MAX_INSTANT = 8.64e15;

const ms = (date: Date | null | undefined): number | null => (date == null ? null : date.getTime());

/**
 * The trigger's first fire time strictly after `t`, asked as "at or after t + 1 ms". Right for a
 * fixed set only; a past {@link DateTrigger}, which answers with its date whatever `now` is, gives
 * `null` once `t` has passed it.
 */
export function jumpAfter(trigger: Trigger, t: number): number | null {
  return firstAtOrAfter(trigger, t + 1);
}

/** The trigger's first fire time at or after `t` (for a fixed set); `null` if none. */
export function firstAtOrAfter(trigger: Trigger, t: number): number | null {
  if (t > MAX_INSTANT) return null;
  const next = ms(trigger.getNextFireTime(null, new Date(t)));
  return next !== null && next >= t ? next : null;
}

/** The trigger's next fire time with `t` as its previous one. */
export function stepFrom(trigger: Trigger, t: number, now: Date): number | null {
  return ms(trigger.getNextFireTime(new Date(t), now));
}

/**
 * Do the trigger's fire times form a fixed set? Taken from its {@link FIXED_SET} declaration
 * when it has one; otherwise probed at `t`, one of its own fire times: asked from `t`, does it
 * answer `t`, and is stepping from `t` the same as jumping past it? (Not for an interval without
 * `startDate`, `t + interval`; nor for a custom trigger that fires at `now` and then counts.)
 */
export function isFixedSet(trigger: Trigger, t: number, now: Date): boolean {
  return declaredFixedSet(trigger) ?? (firstAtOrAfter(trigger, t) === t && stepFrom(trigger, t, now) === jumpAfter(trigger, t));
}

/**
 * The trigger's {@link FIXED_SET} declaration: `true` (a fixed set), `false` (it counts from its
 * previous fire time), or `undefined` when it declares neither, and only a probe can tell.
 */
export function declaredFixedSet(trigger: Trigger): boolean | undefined {
  const declared = (trigger as MaybeDeclared)[FIXED_SET];
  return typeof declared === 'boolean' ? declared : undefined;
}
