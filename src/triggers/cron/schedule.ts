/**
 * A compiled cron schedule: the allowed values of every field, and the search for the first
 * matching wall time at or after a given one. Both the APScheduler-style field form and crontab
 * strings compile to this shape; time zones are handled elsewhere (`next.ts`).
 *
 * @internal
 * @module
 */
import { civilFromWall, daysInMonth, isoWeek, wallFromCivil, weekday } from './calendar.js';

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
  const set = new Set(allowed);
  let next = -1;
  for (let v = size; v >= 0; v--) {
    if (set.has(v)) next = v;
    table[v] = next;
  }
  return table;
}

function termMatches(term: DayTerm, day: number, wd: number, dim: number): boolean {
  switch (term.kind) {
    case 'days':
      return term.days.includes(day);
    case 'last-day':
      return day === dim - term.before;
    case 'weekdays':
      return term.weekdays.includes(wd);
    case 'nth-weekday':
      return wd === term.weekday && Math.ceil(day / 7) === term.nth;
    case 'last-weekday':
      return wd === term.weekday && day + 7 > dim;
  }
}

/** A compiled schedule with its search. Keeps a one-month cache of allowed days. */
export class CronSchedule {
  readonly #fields: CronFields;
  readonly #months: Int8Array | Int16Array;
  readonly #hours: Int8Array | Int16Array;
  readonly #minutes: Int8Array | Int16Array;
  readonly #seconds: Int8Array | Int16Array;
  #cachedMonthKey = -1;
  #cachedDays = 0;

  constructor(fields: CronFields) {
    this.#fields = fields;
    this.#months = nextTable(fields.months, 13);
    this.#hours = nextTable(fields.hours, 24);
    this.#minutes = nextTable(fields.minutes, 60);
    this.#seconds = nextTable(fields.seconds, 60);
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
    const c = civilFromWall(Math.ceil(wall / 1000) * 1000);
    let { year, month, day, hour, minute, second } = c;
    if (year < MIN_YEAR) [year, month, day, hour, minute, second] = [MIN_YEAR, 1, 1, 0, 0, 0];
    // Each pass either returns or moves to the next candidate month/day/hour/minute; bounded by
    // the number of months up to the limit year, which construction checks has a match.
    for (;;) {
      if (year > limitYear) return null;
      const y = this.#nextYear(year);
      if (y === -1 || y > limitYear) return null;
      if (y !== year) [year, month, day, hour, minute, second] = [y, 1, 1, 0, 0, 0];
      const m = this.#months[month] as number;
      if (m === -1) {
        [year, month, day, hour, minute, second] = [year + 1, 1, 1, 0, 0, 0];
        continue;
      }
      if (m !== month) [month, day, hour, minute, second] = [m, 1, 0, 0, 0];
      const d = this.#nextDay(year, month, day);
      if (d === -1) {
        [month, day, hour, minute, second] = [month + 1, 1, 0, 0, 0];
        if (month > 12) [year, month] = [year + 1, 1];
        continue;
      }
      if (d !== day) [day, hour, minute, second] = [d, 0, 0, 0];
      const h = this.#hours[hour] as number;
      if (h === -1) {
        [day, hour, minute, second] = [day + 1, 0, 0, 0];
        continue; // #nextDay handles a day past the month's end
      }
      if (h !== hour) [hour, minute, second] = [h, 0, 0];
      const mi = this.#minutes[minute] as number;
      if (mi === -1) {
        [hour, minute, second] = [hour + 1, 0, 0];
        if (hour > 23) [day, hour] = [day + 1, 0];
        continue;
      }
      if (mi !== minute) [minute, second] = [mi, 0];
      const s = this.#seconds[second] as number;
      if (s === -1) {
        [minute, second] = [minute + 1, 0];
        if (minute > 59) [hour, minute] = [hour + 1, 0];
        if (hour > 23) [day, hour] = [day + 1, 0];
        continue;
      }
      return wallFromCivil(year, month, day, hour, minute, s);
    }
  }

  #nextYear(year: number): number {
    const years = this.#fields.years;
    if (years === null) return year <= MAX_YEAR ? year : -1;
    for (const y of years) if (y >= year) return y;
    return -1;
  }

  /** The first allowed day `>= day` in the month, or -1. */
  #nextDay(year: number, month: number, day: number): number {
    const mask = this.#allowedDays(year, month);
    for (let d = day; d <= 31; d++) if (mask & (1 << d)) return d;
    return -1;
  }

  /** Bit `d` set when day `d` of the month matches every day rule. */
  #allowedDays(year: number, month: number): number {
    const key = year * 13 + month;
    if (key === this.#cachedMonthKey) return this.#cachedDays;
    const { dayTerms, weekdayTerms, weeks, dayCombine } = this.#fields;
    const dim = daysInMonth(year, month);
    const firstWeekday = weekday(year, month, 1);
    let mask = 0;
    for (let d = 1; d <= dim; d++) {
      const wd = (firstWeekday + d - 1) % 7;
      const dayOk = dayTerms === null || dayTerms.some((term) => termMatches(term, d, wd, dim));
      const weekdayOk = weekdayTerms === null || weekdayTerms.some((term) => termMatches(term, d, wd, dim));
      const sides = dayCombine === 'or' && dayTerms !== null && weekdayTerms !== null ? dayOk || weekdayOk : dayOk && weekdayOk;
      if (sides && (weeks === null || weeks.includes(isoWeek(year, month, d)))) mask |= 1 << d;
    }
    this.#cachedMonthKey = key;
    this.#cachedDays = mask;
    return mask;
  }
}
