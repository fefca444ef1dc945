/**
 * Integer calendar arithmetic on "wall times": a zone's local date and time encoded as
 * milliseconds as if it were UTC. No `Date` objects and no time-zone work, so the cron search
 * stays cheap.
 *
 * @internal
 * @module
 */

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;

/** Broken-down wall time. `month` is 1-12, `weekday` 0 (Sunday) to 6. */
export interface CivilTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Breaks a wall time (ms) into its fields, written into `into` when given (no allocation). */
export function civilFromWall(wall: number, into?: CivilTime): CivilTime {
  const days = Math.floor(wall / DAY_MS);
  let rest = wall - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  const second = Math.floor((rest - minute * 60_000) / 1000);
  if (into === undefined) return { year, month, day, hour, minute, second };
  into.year = year;
  into.month = month;
  into.day = day;
  into.hour = hour;
  into.minute = minute;
  into.second = second;
  return into;
}

/** The wall time (ms) of the given fields. */
export function wallFromCivil(year: number, month: number, day: number, hour: number, minute: number, second: number) {
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000;
}

/** Is `year` a Gregorian leap year? */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-12). */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/** Weekday of a date: 0 = Sunday ... 6 = Saturday. */
export function weekday(year: number, month: number, day: number): number {
  return (((daysFromCivil(year, month, day) + 4) % 7) + 7) % 7;
}

/** The ISO-8601 week number (1-53) of a date. */
export function isoWeek(year: number, month: number, day: number): number {
  const days = daysFromCivil(year, month, day);
  const isoWeekday = ((weekday(year, month, day) + 6) % 7) + 1; // Monday = 1 ... Sunday = 7
  const thursday = days + 4 - isoWeekday; // the Thursday of this ISO week decides its year
  const thursdayYear = civilFromWall(thursday * DAY_MS).year;
  return Math.floor((thursday - daysFromCivil(thursdayYear, 1, 1)) / 7) + 1;
}
