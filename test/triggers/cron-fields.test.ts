/**
 * Cron trigger fields (SPEC §3.3): every expression form, the field-defaults rule, weekday
 * numbering, day AND weekday, `last` / `last fri` / `2nd mon`, ISO weeks, years, validation, the
 * crontab form, `toString`, `toJSON` and `nextFireTimes`. Time zone UTC unless the test is about
 * zones, so expected instants read directly as wall times.
 */
import { describe, it, expect, vi } from 'vitest';
import { CronTrigger, type CronTriggerOptions } from '../../src/triggers/cron/cron-trigger.js';
import { triggerFromJSON } from '../../src/triggers/registry.js';
import { compileFields, withDefaults } from '../../src/triggers/cron/fields.js';
import { InvalidTriggerError } from '../../src/errors.js';
import { referenceSeries, type RefSpec } from '../helpers/cron-reference.js';
import { thrown } from '../helpers/thrown.js';

const T0 = '2024-01-01T00:00:00Z'; // a Monday
const HOUR = 3_600_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const iso = (t: Date | number | null | undefined): string =>
  t === null || t === undefined ? String(t) : new Date(t instanceof Date ? t.getTime() : t).toISOString();
const utc = (text: string): string => new Date(text).toISOString();

type Fields = Omit<CronTriggerOptions, 'timezone'>;

/** The first `count` fire times (ISO, UTC) of a UTC trigger asked from `from`. */
function times(fields: Fields, count: number, from = T0, timezone = 'UTC'): string[] {
  return new CronTrigger({ ...fields, timezone }).nextFireTimes(count, new Date(from)).map(iso);
}

/** Fire times of `fields` in `[from, from + spanMs)`. */
function within(fields: Fields, from: string, spanMs: number, max = 200): Date[] {
  const end = Date.parse(from) + spanMs;
  return new CronTrigger({ ...fields, timezone: 'UTC' })
    .nextFireTimes(max, new Date(from))
    .filter((d) => d.getTime() < end);
}

describe('expression forms', () => {
  it.each<[string | number, number[]]>([
    ['*', Array.from({ length: 60 }, (_, i) => i)],
    ['*/15', [0, 15, 30, 45]],
    ['*/7', [0, 7, 14, 21, 28, 35, 42, 49, 56]],
    ['5', [5]],
    [5, [5]],
    ['05', [5]],
    [0, [0]],
    ['59', [59]],
    ['10-12', [10, 11, 12]],
    ['7-7', [7]],
    ['10-20/5', [10, 15, 20]],
    ['0-59/30', [0, 30]],
    ['5/20', [5, 25, 45]],
    ['1,3-4,50', [1, 3, 4, 50]],
    ['1, 3-4, 50', [1, 3, 4, 50]],
    ['50,1,50', [1, 50]],
    [' 8 ', [8]],
    ['*/20,7', [0, 7, 20, 40]],
  ])('minute %j', (expr, expected) => {
    expect(within({ minute: expr }, T0, HOUR).map((d) => d.getUTCMinutes())).toEqual(expected);
  });

  it.each<[string | number, number[]]>([
    ['*/6', [0, 6, 12, 18]],
    ['9-17/4', [9, 13, 17]],
    ['22/1', [22, 23]],
    ['3,1,2', [1, 2, 3]],
    [23, [23]],
    ['0', [0]],
    ['8-10, 20', [8, 9, 10, 20]],
  ])('hour %j', (expr, expected) => {
    expect(within({ hour: expr }, T0, 24 * HOUR).map((d) => d.getUTCHours())).toEqual(expected);
  });

  it.each<[string | number, number[]]>([
    ['*/20', [0, 20, 40]],
    [59, [59]],
    ['0-2', [0, 1, 2]],
    ['30/10', [30, 40, 50]],
  ])('second %j', (expr, expected) => {
    expect(within({ second: expr }, T0, 60_000).map((d) => d.getUTCSeconds())).toEqual(expected);
  });

  it.each<[string | number, number[]]>([
    ['jan', [1]],
    ['JAN', [1]],
    ['Jan-Mar', [1, 2, 3]],
    ['nov-dec', [11, 12]],
    ['*/4', [1, 5, 9]],
    ['2/5', [2, 7, 12]],
    ['jan,jul', [1, 7]],
    ['jan, jul', [1, 7]],
    ['mar-5', [3, 4, 5]],
    [6, [6]],
    ['1-12/6', [1, 7]],
  ])('month %j', (expr, expected) => {
    expect(within({ month: expr }, T0, 366 * 24 * HOUR).map((d) => d.getUTCMonth() + 1)).toEqual(expected);
  });

  // The week of Monday 2024-01-01 to Sunday 2024-01-07, listed in date order (Monday first).
  it.each<[string | number, string[]]>([
    ['mon-fri', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['1-5', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['0', ['sun']],
    ['7', ['sun']],
    [7, ['sun']],
    [0, ['sun']],
    ['0,7', ['sun']],
    ['sun', ['sun']],
    ['SUN', ['sun']],
    ['Sat', ['sat']],
    ['6', ['sat']],
    ['fri-mon', ['mon', 'fri', 'sat', 'sun']],
    ['5-1', ['mon', 'fri', 'sat', 'sun']],
    ['sat-sun', ['sat', 'sun']],
    ['6-7', ['sat', 'sun']],
    ['6-0', ['sat', 'sun']],
    ['sun-sat', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']],
    ['mon-sun', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']],
    ['0-7', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']],
    ['*/2', ['tue', 'thu', 'sat', 'sun']], // 0, 2, 4, 6 (crontab numbering)
    ['1-5/2', ['mon', 'wed', 'fri']],
    ['mon,wed-thu', ['mon', 'wed', 'thu']],
    ['mon, wed-thu', ['mon', 'wed', 'thu']],
    ['tue-tue', ['tue']],
  ])('dayOfWeek %j', (expr, expected) => {
    const days = within({ dayOfWeek: expr }, T0, 7 * 24 * HOUR).map((d) => WEEKDAYS[d.getUTCDay()]);
    expect(days).toEqual(expected);
  });

  it.each<[string, number, number, number[]]>([
    ['1', 2024, 1, [1]],
    ['31', 2024, 1, [31]],
    ['last', 2024, 2, [29]],
    ['last', 2023, 2, [28]],
    ['last', 2024, 4, [30]],
    ['last', 2024, 12, [31]],
    ['LAST', 2024, 6, [30]],
    ['last fri', 2024, 1, [26]],
    ['last  fri', 2024, 1, [26]],
    ['Last Fri', 2024, 1, [26]],
    ['last sun', 2024, 3, [31]],
    ['last sun', 2024, 10, [27]],
    ['last mon', 2024, 9, [30]],
    ['1st fri', 2024, 1, [5]],
    ['2nd mon', 2024, 1, [8]],
    ['3rd wed', 2024, 1, [17]],
    ['4th thu', 2024, 11, [28]],
    ['5th fri', 2024, 3, [29]],
    ['5th sun', 2024, 12, [29]],
    ['1st mon', 2024, 4, [1]],
    ['1-10/3', 2024, 1, [1, 4, 7, 10]],
    ['*/10', 2024, 1, [1, 11, 21, 31]],
    ['*/10', 2024, 2, [1, 11, 21]],
    ['15, last', 2024, 2, [15, 29]],
    ['last, 1st mon', 2024, 1, [1, 31]],
    ['2nd mon, 4th mon', 2024, 1, [8, 22]],
    ['28-31', 2023, 2, [28]],
  ])('day %j in %i-%i', (expr, year, month, expected) => {
    const from = new Date(Date.UTC(year, month - 1, 1)).toISOString();
    const fired = within({ year, month, day: expr }, from, 31 * 24 * HOUR).filter((d) => d.getUTCMonth() + 1 === month);
    expect(fired.map((d) => d.getUTCDate())).toEqual(expected);
  });

  it('5th fri skips the months without a fifth Friday', () => {
    expect(times({ day: '5th fri' }, 5)).toEqual(
      ['2024-03-29', '2024-05-31', '2024-08-30', '2024-11-29', '2025-01-31'].map((d) => utc(`${d}T00:00:00Z`)),
    );
  });

  it('a day missing in a month is skipped (31 -> months with 31 days; 29 feb -> leap years)', () => {
    expect(times({ day: 31 }, 4)).toEqual(['2024-01-31', '2024-03-31', '2024-05-31', '2024-07-31'].map((d) => utc(`${d}T00:00:00Z`)));
    expect(times({ month: 2, day: 29 }, 3)).toEqual(['2024-02-29', '2028-02-29', '2032-02-29'].map((d) => utc(`${d}T00:00:00Z`)));
  });

  it('week is the ISO week: week 1 of 2025 starts on Monday 2024-12-30', () => {
    expect(times({ week: 1 }, 10)).toEqual(
      ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07', '2024-12-30', '2024-12-31', '2025-01-01'].map(
        (d) => utc(`${d}T00:00:00Z`),
      ),
    );
  });

  it('week 53 exists only in long ISO years (2020, then 2026)', () => {
    // 2021-01-01..03 belong to week 53 of 2020; 2021-2025 have 52 weeks; 2026 has 53.
    expect(times({ week: 53 }, 5, '2021-01-01T00:00:00Z')).toEqual(
      ['2021-01-01', '2021-01-02', '2021-01-03', '2026-12-28', '2026-12-29'].map((d) => utc(`${d}T00:00:00Z`)),
    );
  });

  it('week with a weekday and an hour', () => {
    expect(times({ week: '1', dayOfWeek: 'wed', hour: 12 }, 3)).toEqual(
      ['2024-01-03T12:00:00Z', '2025-01-01T12:00:00Z', '2025-12-31T12:00:00Z'].map(utc),
    );
    expect(times({ week: '10-11', dayOfWeek: 'mon' }, 3)).toEqual(
      ['2024-03-04T00:00:00Z', '2024-03-11T00:00:00Z', '2025-03-03T00:00:00Z'].map(utc),
    );
  });

  it('years: values, ranges, steps (from 1970), and an exhausted year list ends the trigger', () => {
    expect(times({ year: 2030 }, 3)).toEqual(['2030-01-01T00:00:00Z'].map(utc));
    expect(times({ year: '2030-2031' }, 3)).toEqual(['2030-01-01T00:00:00Z', '2031-01-01T00:00:00Z'].map(utc));
    expect(times({ year: '*/10' }, 2)).toEqual(['2030-01-01T00:00:00Z', '2040-01-01T00:00:00Z'].map(utc));
    expect(times({ year: '2024, 2026', month: 'jul' }, 3)).toEqual(['2024-07-01T00:00:00Z', '2026-07-01T00:00:00Z'].map(utc));
    expect(new CronTrigger({ year: 2023, timezone: 'UTC' }).getNextFireTime(null, new Date(T0))).toBeNull();
    expect(times({ year: 1970 }, 1, '1960-01-01T00:00:00Z')).toEqual(['1970-01-01T00:00:00Z'].map(utc));
    expect(times({ year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59 }, 2)).toEqual(['9999-12-31T23:59:59Z'].map(utc));
  });

  it('a far year is found without scanning the years in between (no CPU spin)', () => {
    // Counted in time-zone lookups, not milliseconds: scanning the ~8,000 years in between would
    // take hundreds of thousands of them; loading the few years involved takes a few hundred.
    const lookups = vi.spyOn(Intl.DateTimeFormat.prototype as unknown as { readonly format: unknown }, 'format', 'get');
    try {
      expect(times({ year: 9999 }, 1, T0, 'America/New_York')).toEqual(['9999-01-01T00:00:00-05:00'].map(utc));
      expect(times({ year: 9999, hour: '*/2' }, 1, T0, 'Europe/Berlin')).toEqual(['9999-01-01T00:00:00+01:00'].map(utc));
      expect(lookups.mock.calls.length).toBeGreaterThan(0);
      expect(lookups.mock.calls.length).toBeLessThan(5_000);
    } finally {
      lookups.mockRestore();
    }
  });

  it('numbers and numeric strings mean the same', () => {
    expect(times({ hour: 9, minute: 30 }, 3)).toEqual(times({ hour: '9', minute: '30' }, 3));
    expect(times({ dayOfWeek: 5 }, 3)).toEqual(times({ dayOfWeek: 'fri' }, 3));
    expect(times({ month: 3 }, 2)).toEqual(times({ month: 'mar' }, 2));
  });

  it('the expression forms agree with the brute-force reference', () => {
    const specs: RefSpec[] = [
      { month: 'feb-apr', day: 'last fri', hour: '9-17/4', minute: '5/20' },
      { dayOfWeek: 'fri-mon', hour: 7, minute: '0, 30' },
      { week: '*/3', dayOfWeek: 'wed', hour: 6 },
      { day: '1st mon, 15', hour: '*/8', second: '10-20/5' },
    ];
    for (const spec of specs) {
      const expected = referenceSeries(spec, 'UTC', Date.parse(T0), 25).map(iso);
      expect(times(spec as Fields, 25), JSON.stringify(spec)).toEqual(expected);
    }
  });
});

describe('the field-defaults rule', () => {
  it('{ day: 1, minute: 20 } = every hour at :20:00 on the 1st', () => {
    const hours = Array.from({ length: 24 }, (_, h) => utc(`2024-01-01T${String(h).padStart(2, '0')}:20:00Z`));
    expect(times({ day: 1, minute: 20 }, 25)).toEqual([...hours, utc('2024-02-01T00:20:00Z')]);
  });

  it('{} = every second', () => {
    expect(times({}, 3, '2024-01-01T00:00:00.500Z')).toEqual(['2024-01-01T00:00:01Z', '2024-01-01T00:00:02Z', '2024-01-01T00:00:03Z'].map(utc));
  });

  it('{ hour: 9 } = 09:00:00 daily', () => {
    expect(times({ hour: 9 }, 3)).toEqual(['2024-01-01T09:00:00Z', '2024-01-02T09:00:00Z', '2024-01-03T09:00:00Z'].map(utc));
  });

  it.each<[Fields, string[]]>([
    [{ month: 6 }, ['2024-06-01T00:00:00Z', '2025-06-01T00:00:00Z']],
    [{ dayOfWeek: 'mon' }, ['2024-01-01T00:00:00Z', '2024-01-08T00:00:00Z']],
    [{ week: 2 }, ['2024-01-08T00:00:00Z', '2024-01-09T00:00:00Z']],
    [{ second: 30 }, ['2024-01-01T00:00:30Z', '2024-01-01T00:01:30Z']],
    [{ minute: 5 }, ['2024-01-01T00:05:00Z', '2024-01-01T01:05:00Z']],
    [{ day: 15, hour: 12 }, ['2024-01-15T12:00:00Z', '2024-02-15T12:00:00Z']],
    // second is the least significant given: minute (more significant) is `*`
    [{ hour: 9, second: 30 }, ['2024-01-01T09:00:30Z', '2024-01-01T09:01:30Z']],
    // week and dayOfWeek stay `*` even below the last given field
    [{ year: 2030, second: 15 }, ['2030-01-01T00:00:15Z', '2030-01-01T00:01:15Z']],
    [{ month: 'feb', dayOfWeek: 'fri' }, ['2024-02-02T00:00:00Z', '2024-02-09T00:00:00Z']],
  ])('%j', (fields, expected) => {
    expect(times(fields, expected.length)).toEqual(expected.map(utc));
  });

  it('{ hour: 9, second: 30 } fires every minute of the 9 o’clock hour, then the next day', () => {
    const fired = times({ hour: 9, second: 30 }, 61);
    expect(fired[59]).toBe(utc('2024-01-01T09:59:30Z'));
    expect(fired[60]).toBe(utc('2024-01-02T09:00:30Z'));
  });

  it('toJSON keeps the fields as given, not the defaults', () => {
    const json = new CronTrigger({ day: 1, minute: 20, timezone: 'UTC' }).toJSON();
    expect(Object.keys(json).sort()).toEqual(['day', 'minute', 'timezone', 'type']);
    expect(String(json.day)).toBe('1');
    expect(String(json.minute)).toBe('20');
    expect(new CronTrigger({}).toJSON()).toEqual({ type: 'cron' });
  });
});

describe('day AND weekday (field form) versus OR (crontab)', () => {
  it('{ day: 13, dayOfWeek: "fri" } is Friday the 13th only', () => {
    expect(times({ day: 13, dayOfWeek: 'fri' }, 3)).toEqual(['2024-09-13', '2024-12-13', '2025-06-13'].map((d) => utc(`${d}T00:00:00Z`)));
  });

  it('{ day: "1-7", dayOfWeek: "mon" } is the first Monday of each month', () => {
    expect(times({ day: '1-7', dayOfWeek: 'mon' }, 3)).toEqual(['2024-01-01', '2024-02-05', '2024-03-04'].map((d) => utc(`${d}T00:00:00Z`)));
  });

  it('{ day: "last", dayOfWeek: "sun" } is a month ending on a Sunday', () => {
    expect(times({ day: 'last', dayOfWeek: 'sun' }, 2)).toEqual(['2024-03-31', '2024-06-30'].map((d) => utc(`${d}T00:00:00Z`)));
  });

  it('crontab "0 0 13 * 5" is the 13th OR any Friday', () => {
    const trigger = CronTrigger.fromCrontab('0 0 13 * 5', { timezone: 'UTC' });
    expect(trigger.nextFireTimes(4, new Date(T0)).map(iso)).toEqual(
      ['2024-01-05', '2024-01-12', '2024-01-13', '2024-01-19'].map((d) => utc(`${d}T00:00:00Z`)),
    );
  });

  it('crontab with only one day field restricted is that field alone', () => {
    expect(CronTrigger.fromCrontab('0 0 13 * *', { timezone: 'UTC' }).nextFireTimes(2, new Date(T0)).map(iso)).toEqual(
      ['2024-01-13', '2024-02-13'].map((d) => utc(`${d}T00:00:00Z`)),
    );
    expect(CronTrigger.fromCrontab('0 0 * * fri', { timezone: 'UTC' }).nextFireTimes(2, new Date(T0)).map(iso)).toEqual(
      ['2024-01-05', '2024-01-12'].map((d) => utc(`${d}T00:00:00Z`)),
    );
  });
});

describe('crontab strings', () => {
  const cron = (expr: string, count: number, from = T0) =>
    CronTrigger.fromCrontab(expr, { timezone: 'UTC' }).nextFireTimes(count, new Date(from)).map(iso);

  it.each<[string, string[]]>([
    ['@yearly', ['2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z']],
    ['@annually', ['2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z']],
    ['@monthly', ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z']],
    ['@weekly', ['2024-01-07T00:00:00Z', '2024-01-14T00:00:00Z']],
    ['@daily', ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z']],
    ['@hourly', ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z']],
    ['30 9 * * 1-5', ['2024-01-01T09:30:00Z', '2024-01-02T09:30:00Z']],
    ['*/10 * * * * *', ['2024-01-01T00:00:00Z', '2024-01-01T00:00:10Z']],
    ['15 */10 * * * *', ['2024-01-01T00:00:15Z', '2024-01-01T00:10:15Z']],
    ['0 0 * * 0', ['2024-01-07T00:00:00Z', '2024-01-14T00:00:00Z']],
    ['0 0 * * 7', ['2024-01-07T00:00:00Z', '2024-01-14T00:00:00Z']],
    ['0 0 * * SUN', ['2024-01-07T00:00:00Z', '2024-01-14T00:00:00Z']],
    ['0 0 L * *', ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z']],
    ['0 0 * * 5L', ['2024-01-26T00:00:00Z', '2024-02-23T00:00:00Z']],
    ['0 0 * * 5#3', ['2024-01-19T00:00:00Z', '2024-02-16T00:00:00Z']],
    ['0 0 1 jan-mar *', ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z', '2025-01-01T00:00:00Z']],
    ['0 12 * * mon,7', ['2024-01-01T12:00:00Z', '2024-01-07T12:00:00Z', '2024-01-08T12:00:00Z']],
    ['  0   0  *  *  *  ', ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z']],
  ])('%j', (expr, expected) => {
    expect(cron(expr, expected.length)).toEqual(expected.map(utc));
  });

  it('the { expression } option, fromJSON and toJSON', () => {
    const a = new CronTrigger({ expression: '*/5 * * * *', timezone: 'UTC' });
    expect(a.toJSON()).toEqual({ type: 'cron', expression: '*/5 * * * *', timezone: 'UTC' });
    const b = CronTrigger.fromJSON({ type: 'cron', expression: '*/5 * * * *', timezone: 'UTC' });
    expect(b.nextFireTimes(3, new Date(T0)).map(iso)).toEqual(a.nextFireTimes(3, new Date(T0)).map(iso));
    expect(b.nextFireTimes(3, new Date(T0)).map(iso)).toEqual(['2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z', '2024-01-01T00:10:00Z'].map(utc));
  });

  it('the DST mode follows the hour field', () => {
    expect(CronTrigger.fromCrontab('0 9 * * *').dstMode).toBe('fixed');
    expect(CronTrigger.fromCrontab('0 9-17 * * *').dstMode).toBe('fixed');
    expect(CronTrigger.fromCrontab('@daily').dstMode).toBe('fixed');
    expect(CronTrigger.fromCrontab('*/5 * * * *').dstMode).toBe('elapsed');
    expect(CronTrigger.fromCrontab('0 */2 * * *').dstMode).toBe('elapsed');
    expect(CronTrigger.fromCrontab('@hourly').dstMode).toBe('elapsed');
  });

  // SPEC §3.3: "Weekday numbers, both forms: ... Wrapping ranges (`fri-mon`) are allowed."
  it('wrapping weekday ranges are allowed in crontab strings too (SPEC: "both forms")', () => {
    expect(cron('0 0 * * fri-mon', 4)).toEqual(['2024-01-01', '2024-01-05', '2024-01-06', '2024-01-07'].map((d) => utc(`${d}T00:00:00Z`)));
    expect(cron('0 0 * * 5-1', 4)).toEqual(['2024-01-01', '2024-01-05', '2024-01-06', '2024-01-07'].map((d) => utc(`${d}T00:00:00Z`)));
    expect(cron('0 0 * * mon-sun', 2)).toEqual(['2024-01-01', '2024-01-02'].map((d) => utc(`${d}T00:00:00Z`)));
  });
});

describe('validation: ERR_INVALID_TRIGGER naming the field', () => {
  it.each<[string, unknown, string]>([
    // out of range
    ['hour 24', { hour: 24 }, 'cron.hour'],
    ['hour -1', { hour: -1 }, 'cron.hour'],
    ['hour "-1"', { hour: '-1' }, 'cron.hour'],
    ['minute 60', { minute: 60 }, 'cron.minute'],
    ['minute "0-60"', { minute: '0-60' }, 'cron.minute'],
    ['second 60', { second: 60 }, 'cron.second'],
    ['day 0', { day: 0 }, 'cron.day'],
    ['day 32', { day: 32 }, 'cron.day'],
    ['day "0-5"', { day: '0-5' }, 'cron.day'],
    ['month 0', { month: 0 }, 'cron.month'],
    ['month 13', { month: 13 }, 'cron.month'],
    ['week 0', { week: 0 }, 'cron.week'],
    ['week 54', { week: 54 }, 'cron.week'],
    ['dayOfWeek 8', { dayOfWeek: 8 }, 'cron.dayOfWeek'],
    ['year 1969', { year: 1969 }, 'cron.year'],
    ['year 10000', { year: 10000 }, 'cron.year'],
    // bad steps
    ['*/0', { hour: '*/0' }, 'cron.hour'],
    ['5/0', { minute: '5/0' }, 'cron.minute'],
    ['*/x', { minute: '*/x' }, 'cron.minute'],
    ['*/-1', { minute: '*/-1' }, 'cron.minute'],
    ['/5', { minute: '/5' }, 'cron.minute'],
    // malformed
    ['1-2-3', { minute: '1-2-3' }, 'cron.minute'],
    ['5-', { minute: '5-' }, 'cron.minute'],
    ['1,,2', { minute: '1,,2' }, 'cron.minute'],
    ['trailing comma', { hour: '9,' }, 'cron.hour'],
    ['1.5 string', { hour: '1.5' }, 'cron.hour'],
    ['1 - 5', { hour: '1 - 5' }, 'cron.hour'],
    ['abc', { second: 'abc' }, 'cron.second'],
    // unknown names
    ['month foo', { month: 'foo' }, 'cron.month'],
    ['month janu', { month: 'janu' }, 'cron.month'],
    ['month name in hour', { hour: 'jan' }, 'cron.hour'],
    ['weekday funday', { dayOfWeek: 'funday' }, 'cron.dayOfWeek'],
    ['weekday monday', { dayOfWeek: 'monday' }, 'cron.dayOfWeek'],
    ['weekday name in month', { month: 'mon' }, 'cron.month'],
    ['last funday', { day: 'last funday' }, 'cron.day'],
    ['6th fri', { day: '6th fri' }, 'cron.day'],
    ['1st without weekday', { day: '1st' }, 'cron.day'],
    ['first fri', { day: 'first fri' }, 'cron.day'],
    ['lastday', { day: 'lastday' }, 'cron.day'],
    ['last in hour', { hour: 'last' }, 'cron.hour'],
    // backwards ranges (only weekdays wrap)
    ['hour 22-2', { hour: '22-2' }, 'cron.hour'],
    ['day 20-10', { day: '20-10' }, 'cron.day'],
    ['month dec-jan', { month: 'dec-jan' }, 'cron.month'],
    ['year 2024-2020', { year: '2024-2020' }, 'cron.year'],
    // wrong types
    ['hour 1.5', { hour: 1.5 }, 'cron.hour'],
    ['hour NaN', { hour: Number.NaN }, 'cron.hour'],
    ['hour Infinity', { hour: Number.POSITIVE_INFINITY }, 'cron.hour'],
    ['hour true', { hour: true }, 'cron.hour'],
    ['hour []', { hour: [1, 2] }, 'cron.hour'],
    ['hour {}', { hour: {} }, 'cron.hour'],
    ['hour ""', { hour: '' }, 'cron.hour'],
    ['hour "  "', { hour: '  ' }, 'cron.hour'],
    // unknown option keys
    ['hours', { hours: 5 }, 'cron.hours'],
    ['day_of_week', { day_of_week: 'mon' }, 'cron.day_of_week'],
    ['timeZone', { timeZone: 'UTC' }, 'cron.timeZone'],
    // zone, dates, jitter
    ['bad zone', { hour: 1, timezone: 'Mars/Olympus' }, 'cron.timezone'],
    ['empty zone', { hour: 1, timezone: '' }, 'cron.timezone'],
    ['zone not a string', { hour: 1, timezone: 5 }, 'cron.timezone'],
    ['bad startDate', { hour: 1, startDate: 'not a date' }, 'cron.startDate'],
    ['impossible startDate', { hour: 1, startDate: '2024-02-30' }, 'cron.startDate'],
    ['bad endDate', { hour: 1, endDate: 'soon' }, 'cron.endDate'],
    ['endDate before startDate', { hour: 1, startDate: '2024-02-01T00:00:00Z', endDate: '2024-01-01T00:00:00Z' }, 'cron.endDate'],
    ['negative jitter', { hour: 1, jitter: -1 }, 'cron.jitter'],
    ['jitter not a number', { hour: 1, jitter: '5' }, 'cron.jitter'],
    // expression next to fields, or not a string
    ['fields next to an expression', { expression: '* * * * *', hour: 1 }, 'cron.hour'],
    ['expression not a string', { expression: 5 }, 'cron.expression'],
  ])('%s', (_name, options, field) => {
    const e = thrown(() => new CronTrigger(options as CronTriggerOptions));
    expect(e.error).toBeInstanceOf(InvalidTriggerError);
    expect(e.code).toBe('ERR_INVALID_TRIGGER');
    expect(e.field).toBe(field);
    expect(e.message).toContain(field);
  });

  it.each<[string, Fields]>([
    ['feb 30', { month: 2, day: 30 }],
    ['apr 31', { month: 4, day: 31 }],
    ['feb 30-31 by name', { month: 'feb', day: '30-31' }],
    ['31 in the 30-day months', { month: '4,6,9,11', day: 31 }],
    ['feb 29 2024 on a monday (it is a thursday)', { year: 2024, month: 2, day: 29, dayOfWeek: 'mon' }],
    ['5th fri of feb 2024 (4 fridays)', { year: 2024, month: 2, day: '5th fri' }],
    ['5th mon of feb 2023', { year: 2023, month: 2, day: '5th mon' }],
    ['ISO week 1 in june', { week: 1, month: 6 }],
    ['ISO week 53 in 2022 (a 52-week year)', { week: 53, year: 2022 }],
    ['the 13th that is both a friday and a monday', { day: 13, dayOfWeek: 'fri', hour: 1, year: 2024, month: 9, week: 1 }],
  ])('never fires: %s -> rejected when built (field "cron"), never a hanging search', (_name, fields) => {
    const started = performance.now();
    const e = thrown(() => new CronTrigger({ ...fields, timezone: 'UTC' }));
    expect(e.code).toBe('ERR_INVALID_TRIGGER');
    expect(e.field).toBe('cron');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each<[string, string]>([
    ['0 0 31 2 *', 'cron.expression'], // never fires: the expression is at fault
    ['0 0 30 2 *', 'cron.expression'],
    ['* * *', 'cron.expression'],
    ['', 'cron.expression'],
    ['* * * * * * *', 'cron.expression'],
    ['60 * * * *', 'cron.expression'],
    ['* 24 * * *', 'cron.expression'],
    ['* * 0 * *', 'cron.expression'],
    ['* * * 13 *', 'cron.expression'],
    ['* * * * 8', 'cron.expression'],
    ['*/0 * * * *', 'cron.expression'],
    ['0 22-2 * * *', 'cron.expression'],
    ['@reboot', 'cron.expression'],
    ['@often', 'cron.expression'],
    ['0 0 * * funday', 'cron.expression'],
  ])('crontab %j -> %s', (expr, field) => {
    const e = thrown(() => CronTrigger.fromCrontab(expr, { timezone: 'UTC' }));
    expect(e.code).toBe('ERR_INVALID_TRIGGER');
    expect(e.field).toBe(field);
  });

  it('fromCrontab rejects field options and unknown keys', () => {
    expect(thrown(() => CronTrigger.fromCrontab('* * * * *', { hour: 1 } as never)).field).toBe('cron.hour');
    expect(thrown(() => CronTrigger.fromCrontab('* * * * *', { tz: 'UTC' } as never)).field).toBe('cron.tz');
  });

  it('fromJSON and triggerFromJSON validate the same way', () => {
    expect(thrown(() => CronTrigger.fromJSON({ type: 'cron', hour: 25 })).field).toBe('cron.hour');
    expect(thrown(() => CronTrigger.fromJSON({ type: 'interval', hours: 1 })).field).toBe('type');
    expect(thrown(() => triggerFromJSON({ type: 'cron', month: 2, day: 30 })).field).toBe('cron');
    expect(thrown(() => triggerFromJSON({ type: 'cron', dayOfWeek: 'funday' })).field).toBe('cron.dayOfWeek');
  });

  it('the error message names the field and the value', () => {
    const e = thrown(() => new CronTrigger({ hour: '22-2' }));
    expect(e.message).toContain('cron.hour');
    expect(e.message).toContain('22-2');
  });
});

describe('a step larger than the span of its range (APScheduler\'s rule)', () => {
  // APScheduler 3: "the step value (31) is higher than the total range of the expression (30)".
  // The span is last - first of the range; `*` is the field's whole range, `a/n` runs from a to
  // the field's maximum, a wrapping weekday range counts on past Saturday (fri-mon = 5..8).
  it.each<[keyof Fields, string, number, number]>([
    ['second', '*/60', 60, 59],
    ['second', '10-20/11', 11, 10],
    ['second', '50/10', 10, 9],
    ['minute', '*/60', 60, 59],
    ['minute', '4-6/3', 3, 2],
    ['minute', '5/55', 55, 54],
    ['minute', '7-7/1', 1, 0],
    ['hour', '*/24', 24, 23],
    ['hour', '9-17/9', 9, 8],
    ['hour', '23/1', 1, 0],
    ['day', '*/31', 31, 30],
    ['day', '4-6/3', 3, 2],
    ['day', '30/2', 2, 1],
    ['month', '*/12', 12, 11],
    ['month', 'jan-mar/5', 5, 2],
    ['month', '11/2', 2, 1],
    ['dayOfWeek', '*/8', 8, 7],
    ['dayOfWeek', 'mon-fri/5', 5, 4],
    ['dayOfWeek', 'fri-mon/4', 4, 3],
    ['dayOfWeek', '6/2', 2, 1],
    ['week', '*/53', 53, 52],
    ['week', '10-12/3', 3, 2],
    ['week', '52/2', 2, 1],
    ['year', '*/8030', 8030, 8029],
    ['year', '2024-2030/7', 7, 6],
    ['year', '9990/10', 10, 9],
  ])('%s %j is refused: step %i, span %i', (field, expr, step, span) => {
    for (const build of [() => new CronTrigger({ [field]: expr }), () => triggerFromJSON({ type: 'cron', [field]: expr })]) {
      const e = thrown(build);
      expect(e.error).toBeInstanceOf(InvalidTriggerError);
      expect(e.code).toBe('ERR_INVALID_TRIGGER');
      expect(e.field).toBe(`cron.${field}`);
      expect(e.value).toBe(expr);
      expect(e.message).toContain(`step ${step} is larger than ${span}, the span of`);
      // Crontab strings have no week or year field, so there is nothing to compare with.
      if (field === 'week' || field === 'year') expect(e.message).not.toContain('crontab');
      else expect(e.message).toMatch(/; crontab strings accept it and fire on \S+( \(\w+\))? only\)$/);
    }
  });

  it('names the range, and the term inside a list', () => {
    expect(thrown(() => new CronTrigger({ day: '*/31' })).message).toBe(
      'Invalid trigger cron.day: "*/31" (step 31 is larger than 30, the span of 1-31; crontab strings accept it and fire on 1 only)',
    );
    expect(thrown(() => new CronTrigger({ minute: '5/55' })).message).toContain('the span of 5-59;');
    expect(thrown(() => new CronTrigger({ dayOfWeek: 'fri-mon/4' })).message).toContain('the span of fri-mon; crontab strings accept it and fire on fri only');
    expect(thrown(() => new CronTrigger({ dayOfWeek: '*/8' })).message).toContain('fire on 0 (sun) only');
    const listed = thrown(() => new CronTrigger({ day: '1, 4-6/3, last' }));
    expect(listed.value).toBe('1,4-6/3,last');
    expect(listed.message).toContain('("4-6/3": step 3 is larger than 2, the span of 4-6;');
  });

  // A step equal to the span is APScheduler's largest allowed: the range's two ends.
  it.each<[keyof Fields, string, Partial<Record<'years' | 'months' | 'days' | 'weeks' | 'weekdays' | 'hours' | 'minutes' | 'seconds', number[]>>]>([
    ['second', '*/59', { seconds: [0, 59] }],
    ['minute', '4-6/2', { minutes: [4, 6] }],
    ['minute', '5/54', { minutes: [5, 59] }],
    ['hour', '22/1', { hours: [22, 23] }],
    ['day', '*/30', { days: [1, 31] }],
    ['month', '*/11', { months: [1, 12] }],
    ['dayOfWeek', '*/7', { weekdays: [0] }], // 0 and 7 are both Sunday
    ['dayOfWeek', 'fri-mon/3', { weekdays: [1, 5] }],
    ['week', '*/52', { weeks: [1, 53] }],
    ['year', '*/8029', { years: [1970, 9999] }],
  ])('%s %j (step = span) is accepted', (field, expr, expected) => {
    const compiled = compileFields(withDefaults({ [field]: expr }));
    const got = {
      years: compiled.years,
      months: compiled.months,
      days: compiled.dayTerms?.[0]?.kind === 'days' ? compiled.dayTerms[0].days : null,
      weeks: compiled.weeks,
      weekdays: compiled.weekdayTerms?.[0]?.kind === 'weekdays' ? compiled.weekdayTerms[0].weekdays : null,
      hours: compiled.hours,
      minutes: compiled.minutes,
      seconds: compiled.seconds,
    };
    expect(got).toMatchObject(expected);
    expect(() => new CronTrigger({ [field]: expr, timezone: 'UTC' })).not.toThrow();
  });
});

describe('repeated and long field expressions', () => {
  it('a repeated day term is compiled once (the search tests every term on every day)', () => {
    const terms = compileFields(withDefaults({ day: Array.from({ length: 50 }, () => 'last fri, 2nd mon, last').join(', ') })).dayTerms;
    expect(terms).toEqual([
      { kind: 'last-weekday', weekday: 5 },
      { kind: 'nth-weekday', weekday: 1, nth: 2 },
      { kind: 'last-day', before: 0 },
    ]);
  });

  it('lists of n and 2n distinct values compile to exactly those values', () => {
    for (const n of [40, 80]) {
      const years = Array.from({ length: n }, (_, i) => 2000 + 3 * i);
      expect(compileFields(withDefaults({ year: years.join(',') })).years).toEqual(years);
      const shuffled = [...years].reverse().map((y, i) => (i % 2 === 0 ? `${y}` : `${y}-${y}`));
      expect(compileFields(withDefaults({ year: [...shuffled, ...shuffled].join(', ') })).years).toEqual(years);
    }
    const everyYear = compileFields(withDefaults({ year: Array.from({ length: 300 }, () => '*').join(',') })).years;
    expect(everyYear).toHaveLength(8030);
    expect([everyYear?.[0], everyYear?.at(-1)]).toEqual([1970, 9999]);
  });
});

describe('toString', () => {
  it('field form: cron[<field>=\'<expr>\', ...] in field order, only the fields given', () => {
    const text = new CronTrigger({ hour: '9-17', dayOfWeek: 'mon-fri', timezone: 'Europe/Berlin' }).toString();
    expect(text).toMatch(/^cron\[.*\]$/);
    expect(text).toContain("hour='9-17'");
    // SPEC's example spells the weekday field day_of_week; the option name is dayOfWeek.
    expect(text).toMatch(/(day_of_week|dayOfWeek)='mon-fri'/);
    expect(text.search(/(day_of_week|dayOfWeek)=/)).toBeLessThan(text.indexOf('hour='));
    expect(text).toContain('timezone=Europe/Berlin');
    expect(text).not.toContain('minute');
  });

  it('shows numbers, start, end and jitter', () => {
    const text = new CronTrigger({
      hour: 9,
      startDate: '2024-01-01',
      endDate: '2025-01-01T00:00:00Z',
      timezone: 'Europe/Berlin',
      jitter: 5,
    }).toString();
    expect(text).toContain("hour='9'");
    expect(text).toContain('start=2024-01-01T00:00:00.000+01:00');
    expect(text).toContain('end=2025-01-01T01:00:00.000+01:00');
    expect(text).toContain('jitter=5s');
  });

  it('crontab form shows the normalised expression', () => {
    expect(CronTrigger.fromCrontab('*/5   * * * *', { timezone: 'UTC' }).toString()).toBe("cron['*/5 * * * *', timezone=UTC]");
  });
});

describe('getNextFireTime and nextFireTimes', () => {
  it('nextFireTimes(n, from) is the chain of getNextFireTime', () => {
    const trigger = new CronTrigger({ hour: '9,17', timezone: 'UTC' });
    const chain: string[] = [];
    let previous: Date | null = null;
    for (let i = 0; i < 5; i++) {
      previous = trigger.getNextFireTime(previous, new Date(T0));
      chain.push(iso(previous));
    }
    expect(trigger.nextFireTimes(5, new Date(T0)).map(iso)).toEqual(chain);
    expect(chain).toEqual(
      ['2024-01-01T09:00:00Z', '2024-01-01T17:00:00Z', '2024-01-02T09:00:00Z', '2024-01-02T17:00:00Z', '2024-01-03T09:00:00Z'].map(utc),
    );
    expect(trigger.nextFireTimes(0, new Date(T0))).toEqual([]);
  });

  it('nextFireTimes defaults to now', () => {
    const before = Date.now();
    const [first] = new CronTrigger({ second: '*', timezone: 'UTC' }).nextFireTimes(1);
    expect(first!.getTime()).toBeGreaterThanOrEqual(before);
    expect(first!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('the first fire time is at or after now; exactly now counts', () => {
    const trigger = new CronTrigger({ hour: 9, timezone: 'UTC' });
    expect(iso(trigger.getNextFireTime(null, new Date('2024-01-01T09:00:00Z')))).toBe(utc('2024-01-01T09:00:00Z'));
    expect(iso(trigger.getNextFireTime(null, new Date('2024-01-01T09:00:00.001Z')))).toBe(utc('2024-01-02T09:00:00Z'));
    expect(iso(trigger.getNextFireTime(null, new Date('2024-01-01T08:59:59.999Z')))).toBe(utc('2024-01-01T09:00:00Z'));
  });

  it('with a previous fire time: strictly after it, even before now (missed runs)', () => {
    const trigger = new CronTrigger({ minute: 0, timezone: 'UTC' });
    const now = new Date('2024-06-01T00:00:00Z');
    expect(iso(trigger.getNextFireTime(new Date('2024-01-01T00:00:00Z'), now))).toBe(utc('2024-01-01T01:00:00Z'));
    expect(iso(trigger.getNextFireTime(new Date('2024-01-01T00:30:00Z'), now))).toBe(utc('2024-01-01T01:00:00Z'));
  });

  it('startDate and endDate are inclusive; the trigger ends after endDate', () => {
    const trigger = new CronTrigger({
      hour: 9,
      startDate: '2024-01-02T09:00:00Z',
      endDate: '2024-01-04T09:00:00Z',
      timezone: 'UTC',
    });
    expect(trigger.nextFireTimes(10, new Date(T0)).map(iso)).toEqual(
      ['2024-01-02T09:00:00Z', '2024-01-03T09:00:00Z', '2024-01-04T09:00:00Z'].map(utc),
    );
    expect(trigger.getNextFireTime(new Date('2024-01-04T09:00:00Z'), new Date(T0))).toBeNull();
    expect(trigger.getNextFireTime(null, new Date('2024-01-04T09:00:00.001Z'))).toBeNull();
    expect(iso(trigger.startDate)).toBe(utc('2024-01-02T09:00:00Z'));
    expect(iso(trigger.endDate)).toBe(utc('2024-01-04T09:00:00Z'));
  });

  it('a date string without an offset is wall time in the trigger zone', () => {
    const at = (startDate: string) =>
      iso(new CronTrigger({ hour: 9, startDate, timezone: 'Europe/Berlin' }).getNextFireTime(null, new Date(T0)));
    expect(at('2024-06-01')).toBe(utc('2024-06-01T09:00:00+02:00'));
    expect(at('2024-06-01T09:00:00')).toBe(utc('2024-06-01T09:00:00+02:00'));
    expect(at('2024-06-01T09:00:01')).toBe(utc('2024-06-02T09:00:00+02:00'));
  });

  it('accepts luxon-free date inputs: Date, epoch ms, ISO with offset', () => {
    const ms = Date.parse('2024-03-01T00:00:00Z');
    for (const startDate of [new Date(ms), ms, '2024-03-01T01:00:00+01:00']) {
      expect(iso(new CronTrigger({ hour: 0, startDate, timezone: 'UTC' }).getNextFireTime(null, new Date(T0)))).toBe(utc('2024-03-01T00:00:00Z'));
    }
  });

  it('an invalid now or previous is an error, not a wrong answer', () => {
    const trigger = new CronTrigger({ hour: 9, timezone: 'UTC' });
    expect(thrown(() => trigger.getNextFireTime(null, new Date(Number.NaN))).code).toBe('ERR_INVALID_TRIGGER');
    expect(thrown(() => trigger.getNextFireTime(new Date(Number.NaN), new Date(T0))).code).toBe('ERR_INVALID_TRIGGER');
  });

  it('dstMode: hour * or a step is elapsed time; values, ranges, lists are fixed time', () => {
    const mode = (fields: Fields) => new CronTrigger({ ...fields, timezone: 'UTC' }).dstMode;
    expect(mode({})).toBe('elapsed');
    expect(mode({ minute: 5 })).toBe('elapsed'); // hour defaults to *
    expect(mode({ hour: '*' })).toBe('elapsed');
    expect(mode({ hour: '*/2' })).toBe('elapsed');
    expect(mode({ hour: '1/3' })).toBe('elapsed');
    expect(mode({ hour: '0-12/3' })).toBe('elapsed');
    expect(mode({ hour: 9 })).toBe('fixed');
    expect(mode({ hour: '9-17' })).toBe('fixed');
    expect(mode({ hour: '1,2' })).toBe('fixed');
    expect(mode({ day: 1 })).toBe('fixed'); // hour defaults to 0
    expect(mode({ dayOfWeek: 'mon' })).toBe('fixed');
  });

  it('toJSON -> JSON -> fromJSON / triggerFromJSON round-trips with the same results', () => {
    const trigger = new CronTrigger({
      month: 'jan-jun',
      day: 'last fri',
      hour: '9-17/4',
      minute: '5, 35',
      startDate: '2024-02-01',
      endDate: '2024-12-31T00:00:00Z',
      timezone: 'Australia/Lord_Howe',
      jitter: 2,
    });
    const json = JSON.parse(JSON.stringify(trigger.toJSON())) as Record<string, unknown>;
    expect(json.type).toBe('cron');
    expect(json.timezone).toBe('Australia/Lord_Howe');
    expect(json.jitter).toBe(2);
    // Lord Howe keeps summer time (+11) in February
    expect(new Date(json.startDate as string).getTime()).toBe(Date.parse('2024-02-01T00:00:00+11:00'));
    for (const copy of [CronTrigger.fromJSON(json), triggerFromJSON(json)]) {
      expect(copy.toJSON()).toEqual(trigger.toJSON());
      let a: Date | null = null;
      let b: Date | null = null;
      for (let i = 0; i < 12; i++) {
        a = trigger.getNextFireTime(a, new Date(T0));
        b = copy.getNextFireTime(b, new Date(T0));
        expect(iso(b)).toBe(iso(a));
      }
    }
    // fromJSON without a timezone takes the default's
    const defaulted = CronTrigger.fromJSON({ type: 'cron', hour: 9 }, { timezone: 'Asia/Kolkata' });
    expect(defaulted.timezone).toBe('Asia/Kolkata');
    expect(iso(defaulted.getNextFireTime(null, new Date(T0)))).toBe(utc('2024-01-01T09:00:00+05:30'));
  });
});
