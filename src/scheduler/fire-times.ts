/**
 * Calls into a trigger on the scheduler's behalf. A trigger may be user code: whatever it throws
 * or returns, the caller gets a fire time in epoch milliseconds, `null`, or a `SchedulerError`
 * that names the trigger and what it did wrong, never a raw `TypeError` from deep inside the
 * scheduler.
 *
 * @internal
 * @module
 */
import { InvalidTriggerError, SchedulerError } from '../errors.js';
import type { Trigger } from '../triggers/trigger.js';

/** A trigger's `toString()` for an error message, or a stand-in when that fails too. */
export function describeTrigger(trigger: Trigger): string {
  try {
    const text: unknown = trigger.toString();
    return typeof text === 'string' ? text : '[a trigger whose toString() returns no string]';
  } catch {
    return '[a trigger whose toString() throws]';
  }
}

/**
 * `trigger.getNextFireTime(previous, now)` as epoch ms (`null` = finished).
 *
 * @throws the trigger's own `SchedulerError` (such as `MaxIterationsError`) as it is; anything
 *   else it throws, and a result that is neither a valid `Date` nor `null`, as an
 *   `InvalidTriggerError` on field `getNextFireTime`
 */
export function fireTime(trigger: Trigger, previous: Date | null, now: Date): number | null {
  let next: unknown;
  try {
    next = trigger.getNextFireTime(previous, now);
  } catch (error) {
    if (error instanceof SchedulerError) throw error;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new InvalidTriggerError('getNextFireTime', describeTrigger(trigger), `it threw ${message}`, { cause: error });
  }
  if (next === null) return null;
  const time = next instanceof Date ? next.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new InvalidTriggerError('getNextFireTime', next, 'must return a valid Date or null');
  return time;
}

/** The trigger's first fire time at or after `now` (the first run of a job, or its resumption). */
export function firstFireTime(trigger: Trigger, now: number): number | null {
  return fireTime(trigger, null, new Date(now));
}

/**
 * The trigger's next slot after `previous`, checked to increase strictly.
 *
 * @throws as {@link fireTime}, and `InvalidTriggerError` for a time that does not increase
 */
export function nextAfter(trigger: Trigger, previous: number, now: Date): number | null {
  const time = fireTime(trigger, new Date(previous), now);
  if (time !== null && !(time > previous)) {
    throw new InvalidTriggerError(
      'getNextFireTime',
      new Date(time),
      `must return a Date later than the previous fire time ${new Date(previous).toISOString()}`,
    );
  }
  return time;
}
