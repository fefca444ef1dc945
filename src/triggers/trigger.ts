/**
 * The trigger contract (types only). A trigger is a pure description of when a job runs: given
 * the previous fire time and the current time it returns the next fire time. It holds no timers
 * and no mutable state, so it can be tested without waiting and stored as JSON.
 *
 * @module
 */

import type { JsonValue } from '../json.js';
import type { AnyTriggerSpec } from './specs.js';

export type { JsonValue };

/**
 * When a job runs. Implementations must be pure: the same arguments always give the same
 * answer, whatever the host time zone.
 *
 * @example A custom trigger: every hour at a fixed minute.
 * ```ts
 * const everyHourAt7: Trigger = {
 *   getNextFireTime(previous, now) {
 *     const from = previous ? previous.getTime() + 1 : now.getTime();
 *     const hour = 3_600_000;
 *     let t = Math.floor(from / hour) * hour + 7 * 60_000;
 *     if (t < from) t += hour;
 *     return new Date(t);
 *   },
 *   toJSON: () => ({ type: 'every-hour-at-7' }),
 *   toString: () => 'every-hour-at-7',
 * };
 * ```
 */
export interface Trigger {
  /**
   * The next fire time, or `null` when the trigger is finished.
   *
   * - Without a previous fire time (`null`): the first fire time **at or after** `now` (the
   *   job's first run). A trigger whose only time is in the past (a past {@link DateTrigger})
   *   returns that past time; the scheduler's misfire rules decide what happens to it.
   * - With a previous fire time: the first fire time **strictly after** it, even if that is
   *   still before `now`. The scheduler enumerates missed runs this way.
   *
   * Successive results strictly increase.
   *
   * @param previousFireTime - the slot this job last fired for (not the time it actually ran),
   *   or `null` before its first run
   * @param now - the current time
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null;

  /**
   * The JSON spec that rebuilds an equal trigger through {@link TriggerRegistry.fromJSON}. The
   * built-in triggers return their own spec type (e.g. {@link IntervalTriggerSpec}).
   */
  toJSON(): AnyTriggerSpec;

  /** A readable description, e.g. `interval[every 5m]`. */
  toString(): string;

  /**
   * Optional: the largest random delay in seconds added to each run (the job's own `jitter`
   * option takes precedence). The scheduler applies it; a trigger never returns jittered times.
   */
  readonly jitter?: number | null;

  /**
   * Optional: the last instant at which the trigger may fire (inclusive). The scheduler never
   * lets jitter push a run past it.
   */
  readonly endDate?: Date | null;
}

/** Rebuilds a trigger of one type from its JSON spec; throws `InvalidTriggerError` on bad input. */
export type TriggerFactory = (spec: AnyTriggerSpec, defaults: TriggerDefaults) => Trigger;

/** Context a {@link TriggerFactory} receives from the scheduler. */
export interface TriggerDefaults {
  /** The IANA zone to use when the spec names none (the scheduler's `timezone`). */
  timezone: string;
  /** The current time, for triggers whose default start depends on it. */
  now: Date;
}
