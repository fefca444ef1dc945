/**
 * {@link CalendarIntervalTrigger}: a job that runs every so many years, months, weeks or days at
 * a fixed local time of day, with the DST rule for fixed times of SPEC §3.3.
 *
 * @module
 */
import { IANAZone } from 'luxon';
import type { CalendarIntervalTriggerSpec } from './specs.js';
import type { Trigger, TriggerDefaults } from './trigger.js';
import { InvalidArgumentError } from '../errors.js';
import { checkInteger, checkOptionalDuration, checkOptions, MAX_POLICY_SECONDS } from '../internal/validate.js';
import { checkTimezone, hostTimezone, readSpec, toEpochMs, toIso, triggerFail, type DateInput } from './dates.js';
import { DAY_MS, civilFromWall, daysFromCivil, daysInMonth } from './cron/calendar.js';
import type { TriggerCache } from './trigger-cache.js';
import { ZoneOffsets } from './zone/zone-offsets.js';
import { nextFireTimes } from './preview.js';
import { FIXED_SET } from './sequence.js';
import { describe, withBounds } from './bounds.js';

/** Options of {@link CalendarIntervalTrigger}. The units are whole numbers and add up to at least a day. */
export interface CalendarIntervalTriggerOptions {
  /** Calendar years (added to the year, keeping month and day). */
  years?: number;
  /** Calendar months (added to the month, keeping the day of the month). */
  months?: number;
  /** Weeks of 7 calendar days. */
  weeks?: number;
  /** Calendar days (not 24 h: the local time stays put across DST). */
  days?: number;
  /** Local hour of the fire time, 0-23. @defaultValue 0 */
  hour?: number;
  /** Local minute, 0-59. @defaultValue 0 */
  minute?: number;
  /** Local second, 0-59. @defaultValue 0 */
  second?: number;
  /** Its local date is the first date of the sequence; no fire time is earlier than it. */
  startDate?: DateInput | null;
  /** The last instant the trigger may fire at (inclusive). */
  endDate?: DateInput | null;
  /** IANA zone of the dates and the time of day. @defaultValue the host's zone (a scheduler's zone for JSON specs) */
  timezone?: string;
  /** Largest random delay in seconds the scheduler adds to each run. @defaultValue `null` */
  jitter?: number | null;
}

type UnitName = 'years' | 'months' | 'weeks' | 'days';
type TimeName = 'hour' | 'minute' | 'second';
const UNITS: readonly UnitName[] = ['years', 'months', 'weeks', 'days'];
const TIME: readonly (readonly [TimeName, number, number])[] = [['hour', 23, 3_600_000], ['minute', 59, 60_000], ['second', 59, 1000]];
const KEYS = [...UNITS, 'hour', 'minute', 'second', 'startDate', 'endDate', 'timezone', 'jitter'];
/** The last date a fire time can fall on: the end of cron's range (year 9999). */
const MAX_DAY = daysFromCivil(9999, 12, 31);
/** Later than any fire time on MAX_DAY, whatever the zone's offset. */
const LAST_INSTANT = (MAX_DAY + 2) * DAY_MS;
/**
 * Slots examined after the arithmetic estimate, which lands on a slot at most two days before
 * lo's date. Day-only steps skip nothing (at most 5 slots to look at); month steps are 28+ days
 * apart with at most 15 skipped in a row (Feb 29 every 25 years across three non-leap
 * centuries), so about 33 at worst: 64 is never reached.
 */
const MAX_SCAN = 64;

/**
 * Fires every `years + months + weeks + days` on the calendar, at `hour:minute:second` local time
 * in `timezone`. Slot k falls on the start date D0 with `k × (12·years + months)` months added
 * (keeping D0's day of the month) and then `k × (7·weeks + days)` days. A slot whose day does not
 * exist in its month (the 31st in April, Feb 29 in a common year) is skipped; the next keeps the day.
 *
 * - D0 is the local date of `startDate`, and no fire time precedes `startDate`. Without it the
 *   trigger stays pure: the first call anchors the sequence at the local date of `now`, later
 *   calls at the date of `previousFireTime` (a slot, so the sequence goes on unchanged, except
 *   that a step mixing months with weeks/days then counts from each fire's date).
 * - DST: a time inside a spring-forward gap fires at the first instant after the gap, a time in
 *   a fall-back overlap at its first occurrence only.
 *
 * @example
 * ```ts
 * new CalendarIntervalTrigger({ months: 1, hour: 9, minute: 30, startDate: '2026-01-31', timezone: 'Europe/Berlin' });
 * new CalendarIntervalTrigger({ weeks: 2, hour: 8 });
 * ```
 */
export class CalendarIntervalTrigger implements Trigger {
  /** The zone given in the options, if any (the host's zone is used otherwise). */
  readonly timezone: string | undefined;
  /** Largest random delay in seconds the scheduler adds to each run; `null` = none. */
  readonly jitter: number | null;
  readonly #units: Partial<Record<UnitName, number>> = {};
  readonly #time: Partial<Record<TimeName, number>> = {};
  readonly #months: number;
  readonly #days: number;
  readonly #timeMs: number; // the local time of day
  readonly #zone: ZoneOffsets;
  readonly #start: number | null;
  readonly #end: number | null;
  /** The local date of `startDate` (days since 1970), the fixed anchor of the sequence. */
  readonly #anchor: number | null;

  /**
   * @param options - the units, `hour`, `minute`, `second`, `startDate`, `endDate`, `timezone`, `jitter`
   * @param cache - shared tables (a registry passes its own; see {@link TriggerCache})
   * @throws `InvalidTriggerError` naming the field: `calendarinterval` for an interval under a
   *   day (or too long), `calendarinterval.months`, `calendarinterval.hour`, `calendarinterval.endDate`, ...
   */
  constructor(options: CalendarIntervalTriggerOptions, cache?: TriggerCache) {
    const given = checkOptions(options, 'calendarinterval', KEYS, triggerFail);
    for (const name of UNITS) {
      if (given[name] === undefined) continue;
      const value = checkInteger(given[name], `calendarinterval.${name}`, 0, triggerFail);
      if (value > 0) this.#units[name] = value;
    }
    this.#timeMs = 0;
    for (const [name, max, unitMs] of TIME) {
      if (given[name] === undefined) continue;
      const value = checkInteger(given[name], `calendarinterval.${name}`, 0, triggerFail);
      if (value > max) throw triggerFail(`calendarinterval.${name}`, value, `an integer from 0 to ${max}`);
      this.#time[name] = value;
      this.#timeMs += value * unitMs;
    }
    const { years = 0, months = 0, weeks = 0, days = 0 } = this.#units;
    this.#months = 12 * years + months;
    this.#days = 7 * weeks + days;
    if (this.#months + this.#days === 0) {
      throw triggerFail('calendarinterval', options, 'an interval of at least one day: some of years, months, weeks, days above 0');
    }
    // Keeps the slot arithmetic exact; longer steps could not fit two fire times in Date's range.
    if (!(this.#months * 31 + this.#days <= 1e8)) throw triggerFail('calendarinterval', options, 'an interval of at most 100,000,000 days');
    this.timezone = given.timezone === undefined ? undefined : checkTimezone(given.timezone, 'calendarinterval.timezone', triggerFail);
    const zoneName = this.timezone ?? hostTimezone();
    this.#zone = cache ? cache.zone(zoneName) : new ZoneOffsets(zoneName);
    this.#start = this.#readDate(given.startDate, 'calendarinterval.startDate');
    this.#end = this.#readDate(given.endDate, 'calendarinterval.endDate');
    if (this.#start !== null && this.#end !== null && this.#end < this.#start) {
      throw triggerFail('calendarinterval.endDate', given.endDate, `a date at or after startDate (${toIso(this.#start)})`);
    }
    // One Intl lookup rather than the zone table: the table then covers only the years fired in.
    const offsetMs = this.#start === null ? 0 : IANAZone.create(this.#zone.name).offset(this.#start) * 60_000;
    this.#anchor = this.#start === null ? null : Math.floor((this.#start + offsetMs) / DAY_MS);
    this.jitter = checkOptionalDuration(given.jitter, 'calendarinterval.jitter', null, { max: MAX_POLICY_SECONDS }, triggerFail);
  }

  #readDate(value: unknown, field: string): number | null {
    return value === undefined || value === null ? null : toEpochMs(value, field, this.#zone.name, triggerFail);
  }

  /**
   * From a `startDate` the fire times are a fixed set; without one the sequence is anchored at
   * the date it is asked from, so it counts from the previous fire time. @internal
   */
  get [FIXED_SET](): boolean {
    return this.#start !== null;
  }

  /** The start (its local date is the first date of the sequence), or `null` (a fresh copy). */
  get startDate(): Date | null {
    return this.#start === null ? null : new Date(this.#start);
  }

  /** The last instant the trigger may fire at (inclusive), or `null` (a fresh copy). */
  get endDate(): Date | null {
    return this.#end === null ? null : new Date(this.#end);
  }

  /**
   * The first slot strictly after `previousFireTime` (even if before `now`); without one, the
   * first slot at or after `now`. Never before `startDate`; `null` once past `endDate`.
   *
   * @param previousFireTime - the slot the job last fired for, or `null`
   * @param now - the current time
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const from = previousFireTime === null ? now.getTime() : previousFireTime.getTime() + 1;
    if (Number.isNaN(from)) throw new InvalidArgumentError(previousFireTime ? 'previousFireTime' : 'now', previousFireTime ?? now, 'a valid Date');
    const lo = this.#start === null ? from : Math.max(from, this.#start);
    // Nothing can fire after this: answer before touching (and growing) the zone table.
    if (lo > Math.min(this.#end ?? LAST_INSTANT, LAST_INSTANT)) return null;
    let anchor: number;
    if (this.#anchor !== null) anchor = this.#anchor;
    else if (previousFireTime === null) anchor = this.#localDay(from);
    else {
      // A fire time a gap pushed past midnight shows an earlier time of day: its slot was the day before.
      const wall = this.#zone.toWall(from - 1);
      anchor = Math.floor(wall / DAY_MS);
      if (wall - anchor * DAY_MS < this.#timeMs) anchor -= 1;
    }
    const next = this.#firstSlotAtOrAfter(anchor, lo);
    return next === null || (this.#end !== null && next > this.#end) ? null : new Date(next);
  }

  #localDay(instant: number): number {
    return Math.floor(this.#zone.toWall(instant) / DAY_MS);
  }

  /** The instant of the first slot of the sequence from local date `anchor` that is at or after `lo`. */
  #firstSlotAtOrAfter(anchor: number, lo: number): number | null {
    const { year, month, day } = civilFromWall(anchor * DAY_MS);
    const base = year * 12 + month - 1;
    // Days since 1970 of slot k; `null` if its day does not exist, unless `clamp`ed to the month.
    const slotDay = (k: number, clamp: boolean): number | null => {
      const index = base + k * this.#months;
      const y = Math.floor(index / 12);
      const m = index - y * 12 + 1;
      const last = daysInMonth(y, m);
      return day > last && !clamp ? null : daysFromCivil(y, m, Math.min(day, last)) + k * this.#days;
    };
    // Binary search for the first slot dated two days before lo's date or later: earlier slots are
    // over before lo (no DST change moves a wall time by two days). Slot k is at least
    // k·(28·months + days) - 3 days after the anchor, which bounds the search.
    const target = this.#localDay(lo) - 2;
    let k = 0;
    let high = Math.max(0, Math.ceil((target - anchor + 3) / (28 * this.#months + this.#days)));
    while (k < high) {
      const mid = Math.floor((k + high) / 2);
      if ((slotDay(mid, true) as number) >= target) high = mid;
      else k = mid + 1;
    }
    for (const stop = k + MAX_SCAN; k < stop; k++) {
      const date = slotDay(k, false);
      if (date === null) continue;
      if (date > MAX_DAY) return null;
      const instant = this.#zone.firstInstantAtOrAfter(date * DAY_MS + this.#timeMs);
      if (instant >= lo) return instant;
    }
    return null; // unreachable: see MAX_SCAN
  }

  /** The next `count` fire times after `from` (default: now), for previews. */
  nextFireTimes(count: number, from: Date = new Date()): Date[] {
    return nextFireTimes(this, count, from);
  }

  /** `{ type: 'calendarinterval', <non-zero units>, hour?, minute?, second?, startDate?, endDate?, timezone?, jitter? }`. */
  toJSON(): CalendarIntervalTriggerSpec {
    return withBounds<CalendarIntervalTriggerSpec>({ type: 'calendarinterval', ...this.#units, ...this.#time }, { start: this.#start, end: this.#end, timezone: this.timezone, jitter: this.jitter });
  }

  /** E.g. `calendarinterval[every 1 month at 09:30:00, start=2026-01-31T00:00:00.000+01:00, timezone=Europe/Berlin]`. */
  toString(): string {
    const units = UNITS.filter((name) => this.#units[name] !== undefined).map((name) => {
      const count = this.#units[name] as number;
      return `${count} ${count === 1 ? name.slice(0, -1) : name}`;
    });
    const time = TIME.map(([name]) => String(this.#time[name] ?? 0).padStart(2, '0')).join(':');
    return describe('calendarinterval', [`every ${units.join(' ')} at ${time}`], { start: this.#start, end: this.#end, timezone: this.timezone, jitter: this.jitter });
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type: 'calendarinterval', months: 1, hour: 9, ... }`
   * @param defaults - `timezone` is used when the spec names none
   * @param cache - shared tables
   * @throws `InvalidTriggerError` naming the field at fault (`calendarinterval.days`, `calendarinterval.foo`, ...)
   */
  static fromJSON(spec: unknown, defaults: Partial<TriggerDefaults> = {}, cache?: TriggerCache): CalendarIntervalTrigger {
    const { type: _type, ...options } = readSpec(spec, 'calendarinterval', KEYS);
    if (options.timezone === undefined && defaults.timezone !== undefined) options.timezone = defaults.timezone;
    return new CalendarIntervalTrigger(options as CalendarIntervalTriggerOptions, cache);
  }
}
