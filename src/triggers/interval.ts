/**
 * {@link IntervalTrigger}: a job that runs every fixed amount of elapsed time.
 *
 * @module
 */
import type { IntervalTriggerSpec } from './specs.js';
import type { Trigger, TriggerDefaults } from './trigger.js';
import { InvalidArgumentError } from '../errors.js';
import { checkDuration, checkOptionalDuration, checkOptions, MAX_POLICY_SECONDS } from '../internal/validate.js';
import {
  checkTimezone,
  hostTimezone,
  readSpec,
  toEpochMs,
  toIso,
  triggerFail,
  type DateInput,
} from './dates.js';
import { nextFireTimes } from './preview.js';
import { FIXED_SET } from './sequence.js';
import { describe, withBounds } from './bounds.js';
import { NEXT_MS } from './next-ms.js';

/** Options of {@link IntervalTrigger}. The units add up; fractions are allowed (`hours: 1.5`). */
export interface IntervalTriggerOptions {
  /** Weeks of 7 × 24 h. */
  weeks?: number;
  /** Days of exactly 24 h (not calendar days: the local time drifts across DST). */
  days?: number;
  /** Hours. */
  hours?: number;
  /** Minutes. */
  minutes?: number;
  /** Seconds. */
  seconds?: number;
  /** Milliseconds. The total interval is rounded to whole milliseconds. */
  milliseconds?: number;
  /** Anchor of the grid `startDate + k × interval`, and the first fire time if not past. */
  startDate?: DateInput | null;
  /** The last instant the trigger may fire at (inclusive). */
  endDate?: DateInput | null;
  /**
   * The IANA zone in which date strings without an offset are read, and in which `toString()`
   * shows dates. @defaultValue the host's zone (when built from JSON by a scheduler: its zone)
   */
  timezone?: string;
  /** Largest random delay in seconds the scheduler adds to each run. @defaultValue `null` */
  jitter?: number | null;
}

type UnitName = 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds' | 'milliseconds';

const UNITS: readonly (readonly [UnitName, number, string])[] = [
  ['weeks', 604_800_000, 'w'],
  ['days', 86_400_000, 'd'],
  ['hours', 3_600_000, 'h'],
  ['minutes', 60_000, 'm'],
  ['seconds', 1_000, 's'],
  ['milliseconds', 1, 'ms'],
];
const KEYS = [...UNITS.map(([name]) => name), 'startDate', 'endDate', 'timezone', 'jitter'];
/** The last instant a `Date` can hold; later fire times cannot exist. */
const MAX_TIME_MS = 8.64e15;

/**
 * Fires every `weeks + days + hours + minutes + seconds + milliseconds` of elapsed time.
 * `hours: 24` is exactly 24 h, so the local time drifts by an hour across a DST change (use a
 * cron or calendar-interval trigger to keep the wall-clock time).
 *
 * - With `startDate`: fires on the grid `startDate + k × interval`, the first time at the first
 *   point at or after now (`startDate` itself when it is not past).
 * - Without: the first run is one interval after the job is added (`now + interval`).
 *
 * @example
 * ```ts
 * new IntervalTrigger({ minutes: 5 });
 * new IntervalTrigger({ hours: 1, startDate: '2026-03-01T09:00', timezone: 'Europe/Berlin' });
 * ```
 */
export class IntervalTrigger implements Trigger {
  /** The interval in whole milliseconds (at least 1). */
  readonly intervalMs: number;
  /** The zone given in the options, if any. */
  readonly timezone: string | undefined;
  /** Largest random delay in seconds the scheduler adds to each run; `null` = none. */
  readonly jitter: number | null;
  readonly #units: Partial<Record<UnitName, number>>;
  readonly #start: number | null;
  readonly #end: number | null;
  /** `endDate`, or the end of `Date`'s range: one comparison on the hot path. */
  readonly #limit: number;

  /**
   * @param options - the interval units, `startDate`, `endDate`, `timezone`, `jitter`
   * @throws `InvalidTriggerError` naming the field at fault: `interval` for a total that is not
   *   positive (or too large), `interval.hours`, `interval.endDate`, an unknown `interval.foo`, ...
   */
  constructor(options: IntervalTriggerOptions) {
    const given = checkOptions(options, 'interval', KEYS, triggerFail);
    this.timezone =
      given.timezone === undefined ? undefined : checkTimezone(given.timezone, 'interval.timezone', triggerFail);
    const units: Partial<Record<UnitName, number>> = {};
    let total = 0;
    for (const [name, unitMs] of UNITS) {
      if (given[name] === undefined) continue;
      const value = checkDuration(given[name], `interval.${name}`, {}, triggerFail);
      if (value > 0) units[name] = value;
      total += value * unitMs;
    }
    // `<=` is also false for Infinity: 1e300 weeks must fail here, not yield Invalid Dates later.
    if (!(total <= MAX_TIME_MS)) throw triggerFail('interval', options, 'a total interval of at most 8.64e15 ms');
    this.intervalMs = Math.round(total);
    if (this.intervalMs < 1) {
      const names = UNITS.map(([name]) => name).join(', ');
      throw triggerFail('interval', options, `a positive interval: some of ${names} adding up to at least 1 ms`);
    }
    this.#units = units;
    this.#start = this.#readDate(given.startDate, 'interval.startDate');
    this.#end = this.#readDate(given.endDate, 'interval.endDate');
    if (this.#start !== null && this.#end !== null && this.#end < this.#start) {
      throw triggerFail('interval.endDate', given.endDate, `a date at or after startDate (${toIso(this.#start)})`);
    }
    this.#limit = this.#end ?? MAX_TIME_MS;
    this.jitter = checkOptionalDuration(given.jitter, 'interval.jitter', null, { max: MAX_POLICY_SECONDS }, triggerFail);
  }

  #readDate(value: unknown, field: string): number | null {
    if (value === undefined || value === null) return null;
    // Resolve the host zone only for a string without an offset: the one input that needs it.
    const zone = this.timezone ?? (typeof value === 'string' ? hostTimezone() : 'UTC');
    return toEpochMs(value, field, zone, triggerFail);
  }

  /** On a `startDate` grid the fire times are a fixed set; without one they count from the previous. @internal */
  get [FIXED_SET](): boolean {
    return this.#start !== null;
  }

  /** The grid anchor, or `null` when the trigger is unanchored (a fresh copy). */
  get startDate(): Date | null {
    return this.#start === null ? null : new Date(this.#start);
  }

  /** The last instant the trigger may fire at (inclusive), or `null` (a fresh copy). */
  get endDate(): Date | null {
    return this.#end === null ? null : new Date(this.#end);
  }

  /**
   * The next fire time: `previousFireTime + interval`; without one, the first grid point at or
   * after `now` (or `now + interval` without `startDate`). `null` once past `endDate`.
   *
   * @param previousFireTime - the slot the job last fired for, or `null`
   * @param now - the current time
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const [field, value] = previousFireTime === null ? ['now', now] : ['previousFireTime', previousFireTime];
    const time = value.getTime();
    if (Number.isNaN(time)) throw new InvalidArgumentError(field, value, 'a valid Date');
    const next = previousFireTime === null ? this[NEXT_MS](null, time) : this[NEXT_MS](time, 0);
    return next === null ? null : new Date(next);
  }

  /** {@link IntervalTrigger.getNextFireTime} in epoch ms, for the scheduler. @internal */
  [NEXT_MS](previous: number | null, now: number): number | null {
    let next: number;
    if (previous !== null) next = previous + this.intervalMs;
    else if (this.#start === null) next = now + this.intervalMs;
    else next = firstGridPoint(this.#start, this.intervalMs, now);
    return next > this.#limit ? null : next;
  }

  /**
   * The next `count` fire times from `from` (default: now), for previews.
   *
   * @param count - how many, a whole number >= 0
   * @param from - where to start
   */
  nextFireTimes(count: number, from: Date = new Date()): Date[] {
    return nextFireTimes(this, count, from);
  }

  /** `{ type: 'interval', <the non-zero units>, startDate?, endDate?, timezone?, jitter? }`. */
  toJSON(): IntervalTriggerSpec {
    return withBounds<IntervalTriggerSpec>({ type: 'interval', ...this.#units }, { start: this.#start, end: this.#end, timezone: this.timezone, jitter: this.jitter });
  }

  /** E.g. `interval[every 1h 30m, start=2026-03-01T09:00:00.000+01:00, timezone=Europe/Berlin]`. */
  toString(): string {
    return describe('interval', [`every ${formatDuration(this.intervalMs)}`], { start: this.#start, end: this.#end, timezone: this.timezone, jitter: this.jitter });
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type: 'interval', hours: 1, startDate: '...', ... }`
   * @param defaults - `timezone` is used when the spec names none
   * @throws `InvalidTriggerError` naming the field at fault (`interval.hours`, `interval.foo`, ...)
   */
  static fromJSON(spec: unknown, defaults: Partial<TriggerDefaults> = {}): IntervalTrigger {
    const { type: _type, ...options } = readSpec(spec, 'interval', KEYS);
    if (options.timezone === undefined && defaults.timezone !== undefined) options.timezone = defaults.timezone;
    return new IntervalTrigger(options as IntervalTriggerOptions);
  }
}

/** The first point of `start + k × interval` (k >= 0) at or after `now`. */
function firstGridPoint(start: number, interval: number, now: number): number {
  if (start >= now) return start;
  const behind = now - start;
  if (behind + interval > Number.MAX_SAFE_INTEGER) {
    // Dates ~285,000 years apart: integer-exact only in BigInt (results past 8.64e15 end the trigger).
    const [s, n, i] = [BigInt(start), BigInt(now), BigInt(interval)];
    return Number(s + ((n - s + i - 1n) / i) * i);
  }
  let next = start + Math.ceil(behind / interval) * interval;
  // A rounded float quotient can be one step off; settle on the first point >= now.
  if (next < now) next += interval;
  else if (next - interval >= now) next -= interval;
  return next;
}

/** `5400000` → `1h 30m`. */
function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [, unitMs, suffix] of UNITS) {
    const count = Math.floor(rest / unitMs);
    if (count > 0) parts.push(`${count}${suffix}`);
    rest -= count * unitMs;
  }
  return parts.join(' ');
}
