/**
 * A cheap answer to "does this cron expression match any date at all?" for the common shapes, so
 * that building a trigger need not build its search tables and search from 1970 to prove it
 * (the search stays the answer for every other shape: `CronSchedule.firstMatch`).
 *
 * @internal
 * @module
 */
import type { CronFields, DayTerm } from './schedule.js';

/** The most days each month can have (February 29 exists in leap years up to 9999). */
const MONTH_MAX_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `true` only when the fields surely match some date between 1970 and 9999: no year or ISO week
 * restriction, some month, hour, minute and second allowed, and a day side that some allowed
 * month has. `false` means "not sure": search.
 */
export function surelyMatches(fields: CronFields): boolean {
  const { years, weeks, months, hours, minutes, seconds, dayTerms, weekdayTerms, dayCombine } = fields;
  if (years !== null || weeks !== null) return false;
  if (months.length === 0 || hours.length === 0 || minutes.length === 0 || seconds.length === 0) return false;
  // The terms of one side are alternatives: a side surely matches when one of its terms does.
  const days = dayTerms !== null && dayTerms.some((term) => sureDay(term, months));
  const weekdays = weekdayTerms !== null && weekdayTerms.some(sureWeekday);
  if (dayTerms === null) return weekdayTerms === null || weekdays;
  if (weekdayTerms === null) return days;
  // Both sides restricted: crontab's OR needs one of them; the field form's AND needs a search.
  return dayCombine === 'or' && (days || weekdays);
}

/** A day-of-month term that some allowed month has. */
function sureDay(term: DayTerm, months: readonly number[]): boolean {
  if (term.kind === 'last-day') return term.before === 0;
  if (term.kind !== 'days' || term.days.length === 0) return false;
  const first = Math.min(...term.days);
  return months.some((month) => (MONTH_MAX_DAYS[month] ?? 0) >= first);
}

/** A weekday term every month has: plain weekdays, the last or the 1st to 4th given weekday. */
function sureWeekday(term: DayTerm): boolean {
  if (term.kind === 'weekdays') return term.weekdays.length > 0;
  return term.kind === 'last-weekday' || (term.kind === 'nth-weekday' && term.nth >= 1 && term.nth <= 4);
}
