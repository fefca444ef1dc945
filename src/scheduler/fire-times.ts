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
import { CronTrigger } from '../triggers/cron/cron-trigger.js';
import { IntervalTrigger } from '../triggers/interval.js';
import { NEXT_MS, type NextMs } from '../triggers/next-ms.js';
import type { Trigger } from '../triggers/trigger.js';

const CRON_NEXT = CronTrigger.prototype.getNextFireTime;
const INTERVAL_NEXT = IntervalTrigger.prototype.getNextFireTime;

/**
 * The numeric search of a built-in trigger that answers `getNextFireTime` with its own method;
 * `null` for any other trigger, including a subclass that overrides it (its answer is the one
 * that counts).
 */
function numeric(trigger: Trigger): NextMs | null {
  if (trigger instanceof CronTrigger) return trigger.getNextFireTime === CRON_NEXT ? trigger : null;
  if (trigger instanceof IntervalTrigger) return trigger.getNextFireTime === INTERVAL_NEXT ? trigger : null;
  return null;
}

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
  return timeAfter(trigger, previous === null ? null : previous.getTime(), now);
}

/** {@link fireTime} with `previous` in epoch ms: a built-in trigger is asked without a `Date`. */
function timeAfter(trigger: Trigger, previous: number | null, now: Date): number | null {
  let next: unknown;
  try {
    const search = numeric(trigger);
    const nowMs = now.getTime();
    // An invalid instant goes to getNextFireTime, whose error names it.
    if (search !== null && !Number.isNaN(previous ?? nowMs)) return search[NEXT_MS](previous, nowMs);
    next = trigger.getNextFireTime(previous === null ? null : new Date(previous), now);
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
  const time = timeAfter(trigger, previous, now);
  if (time !== null && !(time > previous)) {
    throw new InvalidTriggerError(
      'getNextFireTime',
      new Date(time),
      `must return a Date later than the previous fire time ${new Date(previous).toISOString()}`,
    );
  }
  return time;
}
