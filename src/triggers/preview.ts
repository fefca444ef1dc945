/**
 * {@link nextFireTimes}: the next few fire times of any trigger, for previews ("when will this
 * run?"), tests and dashboards.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Trigger } from './trigger.js';

/**
 * The next `count` fire times of a trigger from `from` (default: now), fewer if it finishes.
 * Every built-in trigger also has this as a `nextFireTimes(count, from?)` method.
 *
 * @param trigger - any trigger
 * @param count - how many fire times, a whole number >= 0
 * @param from - where to start (the first time is at or after it)
 * @throws InvalidArgumentError for a bad `count` or `from`
 * @example
 * ```ts
 * nextFireTimes(CronTrigger.fromCrontab('0 9 * * 1-5'), 3); // the next three weekday 09:00s
 * ```
 */
export function nextFireTimes(trigger: Trigger, count: number, from: Date = new Date()): Date[] {
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError('count', count, 'a whole number >= 0');
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw new InvalidArgumentError('from', from, 'a valid Date');
  const times: Date[] = [];
  for (let next = count > 0 ? trigger.getNextFireTime(null, from) : null; next !== null; ) {
    times.push(next);
    if (times.length === count) break;
    next = trigger.getNextFireTime(next, from);
  }
  return times;
}
