/**
 * The days of a month a cron schedule allows, as bit masks, computed once per kind of month.
 *
 * @internal
 * @module
 */
import { daysInMonth, isoWeek, weekday } from './calendar.js';
import type { CronFields, DayTerm } from './schedule.js';

/** Bit 0 of a cached mask: "computed" (days are 1-31, so the bit is free). */
const COMPUTED = 1;

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

/** Allowed days per month for one schedule; each instance keeps its own small caches. */
export class DayMasks {
  readonly #fields: CronFields;
  /**
   * Without ISO weeks, the day rules see only a day's number, its weekday and the month's
   * length, so a month's mask depends on its length (28-31) and first weekday alone: 28 kinds,
   * each computed once. A search through years of non-matching months (`0 0 0 29 2 *`) then
   * costs a table read per month.
   */
  readonly #byKind = new Int32Array(28);
  /** With ISO weeks, the last month asked for. */
  #monthKey = -1;
  #monthMask = 0;

  constructor(fields: CronFields) {
    this.#fields = fields;
  }

  /** Bit `d` set when day `d` of the month matches every day rule (bit 0 means nothing). */
  of(year: number, month: number): number {
    const dim = daysInMonth(year, month);
    const first = weekday(year, month, 1);
    if (this.#fields.weeks === null) {
      const kind = (dim - 28) * 7 + first;
      let mask = this.#byKind[kind] as number;
      if (mask === 0) {
        mask = this.#compute(year, month, dim, first) | COMPUTED;
        this.#byKind[kind] = mask;
      }
      return mask;
    }
    const key = year * 13 + month;
    if (key !== this.#monthKey) {
      this.#monthMask = this.#compute(year, month, dim, first);
      this.#monthKey = key;
    }
    return this.#monthMask;
  }

  #compute(year: number, month: number, dim: number, firstWeekday: number): number {
    const { dayTerms, weekdayTerms, weeks, dayCombine } = this.#fields;
    let mask = 0;
    for (let d = 1; d <= dim; d++) {
      const wd = (firstWeekday + d - 1) % 7;
      const dayOk = dayTerms === null || dayTerms.some((term) => termMatches(term, d, wd, dim));
      const weekdayOk = weekdayTerms === null || weekdayTerms.some((term) => termMatches(term, d, wd, dim));
      const sides = dayCombine === 'or' && dayTerms !== null && weekdayTerms !== null ? dayOk || weekdayOk : dayOk && weekdayOk;
      if (sides && (weeks === null || weeks.includes(isoWeek(year, month, d)))) mask |= 1 << d;
    }
    return mask;
  }
}

/** The first day `>= day` (1 or more) whose bit is set in `mask` (bits 1-31), or -1. */
export function firstDayFrom(mask: number, day: number): number {
  if (day > 31) return -1;
  const rest = (mask >>> day) << day; // clears the bits below `day` (and bit 0)
  return rest === 0 ? -1 : 31 - Math.clz32(rest & -rest);
}
