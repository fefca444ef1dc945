/**
 * A compiled cron schedule: the allowed values of every field, and the search for the first
 * matching wall time at or after a given one. Both the APScheduler-style field form and crontab
 * strings compile to this shape; time zones are handled elsewhere (`next.ts`).
 *
 * @internal
 * @module
 */
import { civilFromWall, wallFromCivil, type CivilTime } from './calendar.js';
import { DayMasks, firstDayFrom } from './days.js';

/** First and last year a cron schedule can fire in. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

/** One way a day of the month can match. Weekdays are 0 (Sunday) to 6. */
export type DayTerm =
  | { readonly kind: 'days'; readonly days: readonly number[] }
  | { readonly kind: 'last-day'; readonly before: number }
  | { readonly kind: 'weekdays'; readonly weekdays: readonly number[] }
  | { readonly kind: 'nth-weekday'; readonly weekday: number; readonly nth: number }
  | { readonly kind: 'last-weekday'; readonly weekday: number };

/** The compiled fields. Sets are sorted arrays of allowed values; `null` means any. */
export interface CronFields {
  readonly years: readonly number[] | null;
  readonly months: readonly number[];
  /** Terms of the day-of-month side (`day` field, crontab day-of-month). */
  readonly dayTerms: readonly DayTerm[] | null;
  /** Terms of the day-of-week side (`dayOfWeek` field, crontab day-of-week). */
  readonly weekdayTerms: readonly DayTerm[] | null;
  /** ISO weeks (1-53). */
  readonly weeks: readonly number[] | null;
  /** `'and'`: both day sides must match (field form); `'or'`: either, when both are restricted (Vixie cron). */
  readonly dayCombine: 'and' | 'or';
  readonly hours: readonly number[];
  readonly minutes: readonly number[];
  readonly seconds: readonly number[];
}

/** For each value `v` in `[0, size)`, the smallest allowed value `>= v`, or -1. */
function nextTable(allowed: readonly number[], size: number): Int8Array | Int16Array {
  const table = size > 127 ? new Int16Array(size + 1) : new Int8Array(size + 1);
  table.fill(-1);
  // Mark the allowed values, then carry each one down to the values below it (no Set: this
  // runs four times per trigger built).
  for (const v of allowed) if (v >= 0 && v <= size) table[v] = v;
  let next = -1;
  for (let v = size; v >= 0; v--) {
    if (table[v] !== -1) next = table[v] as number;
    table[v] = next;
  }
  return table;
}

/** A compiled schedule with its search. */
export class CronSchedule {
  readonly #fields: CronFields;
  readonly #months: Int8Array | Int16Array;
  readonly #hours: Int8Array | Int16Array;
  readonly #minutes: Int8Array | Int16Array;
  readonly #seconds: Int8Array | Int16Array;
  readonly #days: DayMasks;
  /** Where {@link CronSchedule.firstMatch} breaks its start down: one object per schedule, not per call. */
  readonly #civil: CivilTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };

  constructor(fields: CronFields) {
    this.#fields = fields;
    this.#months = nextTable(fields.months, 13);
    this.#hours = nextTable(fields.hours, 24);
    this.#minutes = nextTable(fields.minutes, 60);
    this.#seconds = nextTable(fields.seconds, 60);
    this.#days = new DayMasks(fields);
  }

  /** The compiled fields. */
  get fields(): CronFields {
    return this.#fields;
  }

  /**
   * The first matching wall time at or after `wall` (rounded up to a whole second), or `null` if
   * there is none before the year `MAX_YEAR` ends (or before `limitYear`).
   */
  firstMatch(wall: number, limitYear = MAX_YEAR): number | null {
    const c = civilFromWall(Math.ceil(wall / 1000) * 1000, this.#civil);
    // Plain locals, no destructuring into arrays: this runs once per fire time.
    let year = c.year;
    let month = c.month;
    let day = c.day;
    let hour = c.hour;
    let minute = c.minute;
    let second = c.second;
    if (year < MIN_YEAR) {
      year = MIN_YEAR;
      month = day = 1;
      hour = minute = second = 0;
    }
    // The allowed days of the month being searched, read again only when the month changes.
    let maskKey = -1;
    let mask = 0;
    // Each pass either returns or moves to the next candidate year/month/day/hour/minute (a
    // field that does not match resets the less significant ones); bounded by the number of
    // months up to the limit year, which construction checks has a match.
    for (;;) {
      if (year > limitYear) return null;
      const y = this.#nextYear(year);
      if (y === -1 || y > limitYear) return null;
      if (y !== year) {
        year = y;
        month = day = 1;
        hour = minute = second = 0;
      }
      const m = this.#months[month] as number;
      if (m === -1) {
        year++;
        month = day = 1;
        hour = minute = second = 0;
        continue;
      }
      if (m !== month) {
        month = m;
        day = 1;
        hour = minute = second = 0;
      }
      if (maskKey !== year * 13 + month) {
        maskKey = year * 13 + month;
        mask = this.#days.of(year, month);
      }
      const d = firstDayFrom(mask, day);
      if (d === -1) {
        month++;
        day = 1;
        hour = minute = second = 0;
        if (month > 12) {
          year++;
          month = 1;
        }
        continue;
      }
      if (d !== day) {
        day = d;
        hour = minute = second = 0;
      }
      const h = this.#hours[hour] as number;
      if (h === -1) {
        day++; // firstDayFrom handles a day past the month's end
        hour = minute = second = 0;
        continue;
      }
      if (h !== hour) {
        hour = h;
        minute = second = 0;
      }
      const mi = this.#minutes[minute] as number;
      if (mi === -1) {
        hour++;
        minute = second = 0;
        if (hour > 23) {
          day++;
          hour = 0;
        }
        continue;
      }
      if (mi !== minute) {
        minute = mi;
        second = 0;
      }
      const s = this.#seconds[second] as number;
      if (s === -1) {
        minute++;
        second = 0;
        if (minute > 59) {
          hour++;
          minute = 0;
        }
        if (hour > 23) {
          day++;
          hour = 0;
        }
        continue;
      }
      return wallFromCivil(year, month, day, hour, minute, s);
    }
  }

  /** The first allowed year `>= year`, or -1 (a binary search: a year list may be long). */
  #nextYear(year: number): number {
    const years = this.#fields.years;
    if (years === null) return year <= MAX_YEAR ? year : -1;
    let lo = 0;
    let hi = years.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((years[mid] as number) < year) lo = mid + 1;
      else hi = mid;
    }
    return lo < years.length ? (years[lo] as number) : -1;
  }
}
