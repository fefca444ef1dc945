import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { CalendarIntervalTrigger, type CalendarIntervalTriggerOptions } from '../../src/triggers/calendar-interval.js';
import { TriggerRegistry } from '../../src/triggers/registry.js';
import { TriggerCache } from '../../src/triggers/trigger-cache.js';
import { hostTimezone } from '../../src/triggers/dates.js';
import { triggerContract } from '../contracts/trigger.contract.js';
import { thrown } from '../helpers/thrown.js';

// Every expectation below names its zone explicitly, so the file passes under any host TZ.

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const SYDNEY = 'Australia/Sydney';

/** The instant of an existing, unambiguous local time (luxon, not the code under test). */
function local(zone: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const dt = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone });
  expect(dt.isValid).toBe(true);
  return dt.toMillis();
}

/** `count` fire times from `now`. */
function follow(trigger: CalendarIntervalTrigger, now: number | string, count: number): number[] {
  return trigger.nextFireTimes(count, new Date(now)).map((time) => time.getTime());
}

const iso = (ms: number[]): string[] => ms.map((t) => new Date(t).toISOString());

describe('CalendarIntervalTrigger: calendar steps', () => {
  it('fires monthly on the 31st, skipping the months without one', () => {
    const trigger = new CalendarIntervalTrigger({ months: 1, hour: 9, startDate: '2026-01-31', timezone: BERLIN });
    const months = [[2026, 1], [2026, 3], [2026, 5], [2026, 7], [2026, 8], [2026, 10], [2026, 12], [2027, 1], [2027, 3]];
    expect(follow(trigger, '2025-12-01T00:00Z', 9)).toEqual(months.map(([y, m]) => local(BERLIN, y!, m!, 31, 9)));
  });

  it('keeps the day of month for every start day, skipping exactly the months that lack it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1995, max: 2090 }), (day, step, year) => {
        const startDate = DateTime.fromObject({ year, month: 1, day }, { zone: 'UTC' }).toISODate()!;
        const trigger = new CalendarIntervalTrigger({ months: step, hour: 12, startDate, timezone: 'UTC' });
        const expected: number[] = [];
        for (let k = 0; expected.length < 12; k++) {
          const first = DateTime.utc(year, 1, 1).plus({ months: k * step });
          if (first.daysInMonth! >= day) expected.push(first.set({ day, hour: 12 }).toMillis());
        }
        expect(follow(trigger, Date.UTC(year - 1, 0, 1), 12)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('fires yearly on Feb 29 in leap years only', () => {
    const trigger = new CalendarIntervalTrigger({ years: 1, startDate: '2096-02-29T08:00', hour: 8, timezone: 'UTC' });
    const years = [2096, 2104, 2108, 2112];
    expect(follow(trigger, '2090-01-01T00:00Z', 4)).toEqual(years.map((y) => Date.UTC(y, 1, 29, 8)));
    const everyFour = new CalendarIntervalTrigger({ years: 4, startDate: '2020-02-29', timezone: SYDNEY });
    expect(follow(everyFour, '2021-01-01T00:00Z', 2)).toEqual([local(SYDNEY, 2024, 2, 29), local(SYDNEY, 2028, 2, 29)]);
  });

  it('fires every 2 weeks at the same local time across DST', () => {
    const trigger = new CalendarIntervalTrigger({ weeks: 2, hour: 8, minute: 15, startDate: '2026-03-02', timezone: BERLIN });
    const expected = [0, 1, 2, 3, 4].map((i) => DateTime.fromObject({ year: 2026, month: 3, day: 2, hour: 8, minute: 15 }, { zone: BERLIN }).plus({ days: 14 * i }));
    expect(follow(trigger, '2026-01-01T00:00Z', 5)).toEqual(expected.map((dt) => dt.toMillis()));
    expect(expected.map((dt) => dt.weekday)).toEqual([1, 1, 1, 1, 1]);
  });

  it('adds months first, then days: slot k is D0 + k months + k days', () => {
    const trigger = new CalendarIntervalTrigger({ months: 1, days: 1, startDate: '2026-01-30', timezone: 'UTC' });
    // Jan 30; Feb 30 does not exist; Mar 30 + 2 days; Apr 30 + 3 days; May 30 + 4 days.
    expect(iso(follow(trigger, '2026-01-01T00:00Z', 4))).toEqual([
      '2026-01-30T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
      '2026-05-03T00:00:00.000Z',
      '2026-06-03T00:00:00.000Z',
    ]);
  });

  it('finds slots decades after the start arithmetically', () => {
    const daily = new CalendarIntervalTrigger({ days: 1, hour: 9, startDate: '1990-01-01', timezone: NY });
    expect(daily.getNextFireTime(null, new Date(local(NY, 2099, 7, 4, 9, 0, 1)))?.getTime()).toBe(local(NY, 2099, 7, 5, 9));
    const feb29 = new CalendarIntervalTrigger({ years: 1, startDate: '1992-02-29', timezone: 'UTC' });
    expect(feb29.getNextFireTime(null, new Date('2097-01-01T00:00Z'))?.getTime()).toBe(Date.UTC(2104, 1, 29));
    const rare = new CalendarIntervalTrigger({ years: 25, startDate: '2000-02-29', timezone: 'UTC' });
    expect(rare.getNextFireTime(null, new Date('2000-03-01T00:00Z'))?.getTime()).toBe(Date.UTC(2400, 1, 29));
    // Nothing after year 9999 (the next Feb 29 would be in 10000): the trigger is finished.
    // A fresh trigger: its zone table then starts near 9600 instead of growing from 2000.
    const late = new CalendarIntervalTrigger({ years: 25, startDate: '2000-02-29', timezone: 'UTC' });
    expect(late.getNextFireTime(null, new Date('9600-03-01T00:00Z'))).toBeNull();
    expect(late.getNextFireTime(null, new Date('9600-02-28T00:00Z'))?.getTime()).toBe(Date.UTC(9600, 1, 29));
  });
});

describe('CalendarIntervalTrigger: daylight saving time', () => {
  it.each([NY, BERLIN, SYDNEY])('stays at 09:00 local every day for 400 days in %s', (zone) => {
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 9, startDate: '2026-01-01', timezone: zone });
    const start = DateTime.fromObject({ year: 2026, month: 1, day: 1, hour: 9 }, { zone });
    const expected = Array.from({ length: 400 }, (_, i) => start.plus({ days: i }).toMillis());
    expect(follow(trigger, '2025-06-01T00:00Z', 400)).toEqual(expected);
    const offsets = new Set(expected.map((t) => DateTime.fromMillis(t, { zone }).offset));
    expect(offsets.size).toBe(2); // really crossed DST
  });

  it('fires a time inside the spring-forward gap at the first instant after it', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 2, minute: 30, timezone: NY });
    expect(iso(follow(trigger, '2026-03-07T00:00:00-05:00', 3))).toEqual(
      iso([Date.parse('2026-03-07T02:30:00-05:00'), Date.parse('2026-03-08T03:00:00-04:00'), Date.parse('2026-03-09T02:30:00-04:00')]),
    );
  });

  it('fires a time inside the fall-back overlap once, at its first occurrence', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 1, minute: 30, timezone: NY });
    const first = Date.parse('2026-11-01T01:30:00-04:00');
    const nextDay = Date.parse('2026-11-02T01:30:00-05:00');
    expect(follow(trigger, '2026-10-31T12:00:00-04:00', 2)).toEqual([first, nextDay]);
    // Created in the first pass of the repeated hour: still the first occurrence.
    expect(trigger.getNextFireTime(null, new Date('2026-11-01T01:10:00-04:00'))?.getTime()).toBe(first);
    // Created in the second pass: 01:30 already happened today.
    expect(trigger.getNextFireTime(null, new Date('2026-11-01T01:10:00-05:00'))?.getTime()).toBe(nextDay);
    expect(trigger.getNextFireTime(new Date(first), new Date(first))?.getTime()).toBe(nextDay);
  });

  it('fires at midnight once on the day America/Santiago skips midnight (at 01:00 -03)', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 0, startDate: '2026-09-05', timezone: 'America/Santiago' });
    expect(iso(follow(trigger, '2026-01-01T00:00Z', 3))).toEqual(
      iso([Date.parse('2026-09-05T00:00:00-04:00'), Date.parse('2026-09-06T01:00:00-03:00'), Date.parse('2026-09-07T00:00:00-03:00')]),
    );
    // Fall back: Apr 4 23:00-24:00 repeats; midnight of Apr 5 exists once, at -04.
    const april = new CalendarIntervalTrigger({ days: 1, startDate: '2026-04-04', timezone: 'America/Santiago' });
    expect(iso(follow(april, '2026-01-01T00:00Z', 3))).toEqual(
      iso([Date.parse('2026-04-04T00:00:00-03:00'), Date.parse('2026-04-05T00:00:00-04:00'), Date.parse('2026-04-06T00:00:00-04:00')]),
    );
  });

  it('handles the 30-minute shifts of Australia/Lord_Howe', () => {
    const zone = 'Australia/Lord_Howe';
    const spring = new CalendarIntervalTrigger({ days: 1, hour: 2, minute: 15, startDate: '2026-10-03', timezone: zone });
    expect(iso(follow(spring, '2026-01-01T00:00Z', 3))).toEqual(
      iso([Date.parse('2026-10-03T02:15:00+10:30'), Date.parse('2026-10-04T02:30:00+11:00'), Date.parse('2026-10-05T02:15:00+11:00')]),
    );
    const autumn = new CalendarIntervalTrigger({ days: 1, hour: 1, minute: 45, startDate: '2026-04-04', timezone: zone });
    expect(iso(follow(autumn, '2026-01-01T00:00Z', 3))).toEqual(
      iso([Date.parse('2026-04-04T01:45:00+11:00'), Date.parse('2026-04-05T01:45:00+11:00'), Date.parse('2026-04-06T01:45:00+10:30')]),
    );
  });

  it('fires once when a whole local day is skipped (Pacific/Apia, 2011-12-30)', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 9, startDate: '2011-12-29', timezone: 'Pacific/Apia' });
    expect(iso(follow(trigger, '2011-01-01T00:00Z', 3))).toEqual(
      iso([Date.parse('2011-12-29T09:00:00-10:00'), Date.parse('2011-12-31T00:00:00+14:00'), Date.parse('2011-12-31T09:00:00+14:00')]),
    );
    const midnight = new CalendarIntervalTrigger({ days: 1, startDate: '2011-12-29', timezone: 'Pacific/Apia' });
    expect(iso(follow(midnight, '2011-01-01T00:00Z', 3))).toEqual(
      iso([Date.parse('2011-12-29T00:00:00-10:00'), Date.parse('2011-12-31T00:00:00+14:00'), Date.parse('2012-01-01T00:00:00+14:00')]),
    );
  });

  it('gives the same answers whatever the host time zone', () => {
    const build = () => new CalendarIntervalTrigger({ months: 1, hour: 2, minute: 30, startDate: '2026-01-08', timezone: NY });
    const saved = process.env.TZ;
    const results: string[][] = [];
    try {
      for (const tz of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Lord_Howe']) {
        process.env.TZ = tz;
        results.push(iso(follow(build(), '2026-01-01T00:00Z', 12)));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]![2]).toBe(new Date(Date.parse('2026-03-08T03:00:00-04:00')).toISOString());
  });
});

describe('CalendarIntervalTrigger: first fire, previous fire times and bounds', () => {
  it('without startDate, anchors the grid at the local date of now', () => {
    const monthly = new CalendarIntervalTrigger({ months: 1, hour: 9, timezone: BERLIN });
    expect(follow(monthly, local(BERLIN, 2026, 1, 31, 8), 3)).toEqual([local(BERLIN, 2026, 1, 31, 9), local(BERLIN, 2026, 3, 31, 9), local(BERLIN, 2026, 5, 31, 9)]);
    // 09:00 already passed today: the next slot (Feb 31 does not exist, so Mar 31).
    expect(follow(monthly, local(BERLIN, 2026, 1, 31, 10), 2)).toEqual([local(BERLIN, 2026, 3, 31, 9), local(BERLIN, 2026, 5, 31, 9)]);
    const weekly = new CalendarIntervalTrigger({ weeks: 1, hour: 9, timezone: NY });
    expect(follow(weekly, local(NY, 2026, 3, 4, 9), 2)).toEqual([local(NY, 2026, 3, 4, 9), local(NY, 2026, 3, 11, 9)]);
    expect(follow(weekly, local(NY, 2026, 3, 4, 9, 0, 1), 1)).toEqual([local(NY, 2026, 3, 11, 9)]);
    expect(monthly.startDate).toBeNull();
  });

  it('with a previous fire time before now, enumerates the missed slots', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 9, startDate: '2026-03-01', timezone: BERLIN });
    const now = new Date(local(BERLIN, 2026, 3, 5, 12));
    let previous = new Date(local(BERLIN, 2026, 3, 1, 9));
    const missed: number[] = [];
    for (let i = 0; i < 5; i++) {
      previous = trigger.getNextFireTime(previous, now)!;
      missed.push(previous.getTime());
    }
    expect(missed).toEqual([2, 3, 4, 5, 6].map((day) => local(BERLIN, 2026, 3, day, 9)));
    // The same without startDate: the grid continues from the previous fire's date.
    const unanchored = new CalendarIntervalTrigger({ months: 1, hour: 9, timezone: BERLIN });
    const jan31 = new Date(local(BERLIN, 2026, 1, 31, 9));
    expect(unanchored.getNextFireTime(jan31, new Date(local(BERLIN, 2026, 6, 1)))?.getTime()).toBe(local(BERLIN, 2026, 3, 31, 9));
  });

  it('continues from a gap-shifted fire time without losing the day', () => {
    const trigger = new CalendarIntervalTrigger({ weeks: 1, hour: 9, timezone: 'Pacific/Apia' });
    const shifted = new Date('2011-12-31T00:00:00+14:00'); // the 09:00 slot of the skipped Friday Dec 30
    expect(trigger.getNextFireTime(shifted, shifted)?.toISOString()).toBe(new Date('2012-01-06T09:00:00+14:00').toISOString());
  });

  it('never fires before startDate: a slot earlier on the start date is skipped', () => {
    const late = new CalendarIntervalTrigger({ days: 2, hour: 9, startDate: '2026-03-01T10:00', timezone: BERLIN });
    expect(follow(late, '2026-01-01T00:00Z', 2)).toEqual([local(BERLIN, 2026, 3, 3, 9), local(BERLIN, 2026, 3, 5, 9)]);
    const early = new CalendarIntervalTrigger({ days: 2, hour: 9, startDate: '2026-03-01T08:00', timezone: BERLIN });
    expect(follow(early, '2026-01-01T00:00Z', 1)).toEqual([local(BERLIN, 2026, 3, 1, 9)]);
    // A previous fire time before the start does not pull the sequence earlier.
    expect(late.getNextFireTime(new Date('2020-01-01T00:00Z'), new Date('2020-01-01T00:00Z'))?.getTime()).toBe(local(BERLIN, 2026, 3, 3, 9));
    // With a past start, the first slot at or after now.
    expect(follow(late, local(BERLIN, 2026, 4, 10, 9, 0, 1), 1)).toEqual([local(BERLIN, 2026, 4, 12, 9)]);
  });

  it('treats endDate as inclusive, then returns null', () => {
    const end = local(BERLIN, 2026, 3, 3, 9);
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 9, startDate: '2026-03-01', endDate: end, timezone: BERLIN });
    expect(follow(trigger, '2026-01-01T00:00Z', 10)).toEqual([1, 2, 3].map((day) => local(BERLIN, 2026, 3, day, 9)));
    expect(trigger.getNextFireTime(null, new Date(end + 1))).toBeNull();
    expect(trigger.getNextFireTime(new Date(end), new Date(0))).toBeNull();
    expect(trigger.endDate?.getTime()).toBe(end);
    const shorter = new CalendarIntervalTrigger({ days: 1, hour: 9, startDate: '2026-03-01', endDate: end - 1, timezone: BERLIN });
    expect(follow(shorter, '2026-01-01T00:00Z', 10)).toHaveLength(2);
  });

  it('uses the host zone without a timezone', () => {
    const zone = hostTimezone();
    const trigger = new CalendarIntervalTrigger({ days: 1, hour: 9, minute: 5 });
    const next = trigger.getNextFireTime(null, new Date('2026-06-15T12:00:00Z'))!;
    const shown = DateTime.fromMillis(next.getTime(), { zone });
    expect([shown.hour, shown.minute]).toEqual([9, 5]);
    expect(trigger.timezone).toBeUndefined();
  });
});

describe('CalendarIntervalTrigger: JSON and text', () => {
  it('writes the non-zero units, the given time fields and the options, and round-trips', () => {
    const trigger = new CalendarIntervalTrigger({
      years: 0,
      months: 1,
      days: 2,
      hour: 9,
      minute: 30,
      startDate: '2026-01-31',
      endDate: '2027-01-31T12:00:00+01:00',
      timezone: BERLIN,
      jitter: 5,
    });
    const spec = trigger.toJSON();
    expect(spec).toStrictEqual({
      type: 'calendarinterval',
      months: 1,
      days: 2,
      hour: 9,
      minute: 30,
      startDate: '2026-01-30T23:00:00.000Z',
      endDate: '2027-01-31T11:00:00.000Z',
      timezone: BERLIN,
      jitter: 5,
    });
    const rebuilt = CalendarIntervalTrigger.fromJSON(JSON.parse(JSON.stringify(spec)));
    expect(rebuilt.toJSON()).toStrictEqual(spec);
    expect(follow(rebuilt, '2026-01-01T00:00Z', 12)).toEqual(follow(trigger, '2026-01-01T00:00Z', 12));
    expect(rebuilt.jitter).toBe(5);
    expect(rebuilt.startDate?.toISOString()).toBe('2026-01-30T23:00:00.000Z');
    expect(new CalendarIntervalTrigger({ weeks: 2, timezone: 'UTC' }).toJSON()).toStrictEqual({ type: 'calendarinterval', weeks: 2, timezone: 'UTC' });
    expect(new CalendarIntervalTrigger({ days: 1, hour: 0 }).toJSON()).toStrictEqual({ type: 'calendarinterval', days: 1, hour: 0 });
  });

  it('takes the default zone in fromJSON only when the spec names none', () => {
    const plain = CalendarIntervalTrigger.fromJSON({ type: 'calendarinterval', days: 1, hour: 9 }, { timezone: SYDNEY });
    expect(plain.timezone).toBe(SYDNEY);
    expect(plain.getNextFireTime(null, new Date(local(SYDNEY, 2026, 7, 1, 10)))?.getTime()).toBe(local(SYDNEY, 2026, 7, 2, 9));
    const own = CalendarIntervalTrigger.fromJSON({ type: 'calendarinterval', days: 1, timezone: NY }, { timezone: SYDNEY });
    expect(own.timezone).toBe(NY);
  });

  it('describes itself', () => {
    const trigger = new CalendarIntervalTrigger({ months: 1, hour: 9, minute: 30, startDate: '2026-01-31', timezone: BERLIN });
    expect(String(trigger)).toBe('calendarinterval[every 1 month at 09:30:00, start=2026-01-31T00:00:00.000+01:00, timezone=Europe/Berlin]');
    const full = new CalendarIntervalTrigger({ years: 2, weeks: 1, days: 3, second: 5, endDate: '2030-01-01T00:00Z', timezone: 'UTC', jitter: 2 });
    expect(full.toString()).toBe('calendarinterval[every 2 years 1 week 3 days at 00:00:05, end=2030-01-01T00:00:00.000Z, timezone=UTC, jitter=2s]');
  });
});

describe('CalendarIntervalTrigger: validation', () => {
  const cases: [string, unknown, string][] = [
    ['no units', {}, 'calendarinterval'],
    ['zero units', { years: 0, months: 0, weeks: 0, days: 0 }, 'calendarinterval'],
    ['only a time of day', { hour: 9 }, 'calendarinterval'],
    ['an interval past the range of Date', { years: 1e12 }, 'calendarinterval'],
    ['negative days', { days: -1 }, 'calendarinterval.days'],
    ['fractional months', { months: 1.5 }, 'calendarinterval.months'],
    ['weeks as a string', { weeks: '2' }, 'calendarinterval.weeks'],
    ['NaN years', { years: Number.NaN }, 'calendarinterval.years'],
    ['infinite days', { days: Number.POSITIVE_INFINITY }, 'calendarinterval.days'],
    ['hour 24', { days: 1, hour: 24 }, 'calendarinterval.hour'],
    ['fractional hour', { days: 1, hour: 9.5 }, 'calendarinterval.hour'],
    ['hour as a string', { days: 1, hour: '9' }, 'calendarinterval.hour'],
    ['minute 60', { days: 1, minute: 60 }, 'calendarinterval.minute'],
    ['negative second', { days: 1, second: -1 }, 'calendarinterval.second'],
    ['an unknown key', { days: 1, foo: 1 }, 'calendarinterval.foo'],
    ['hours (an IntervalTrigger unit)', { days: 1, hours: 1 }, 'calendarinterval.hours'],
    ['an unknown zone', { days: 1, timezone: 'Mars/Olympus' }, 'calendarinterval.timezone'],
    ['a bad startDate', { days: 1, startDate: 'yesterday' }, 'calendarinterval.startDate'],
    ['an invalid endDate', { days: 1, endDate: new Date(Number.NaN) }, 'calendarinterval.endDate'],
    ['endDate before startDate', { days: 1, startDate: '2026-03-02', endDate: '2026-03-01', timezone: 'UTC' }, 'calendarinterval.endDate'],
    ['a negative jitter', { days: 1, jitter: -1 }, 'calendarinterval.jitter'],
    ['options that are not an object', 'daily', 'calendarinterval'],
    ['null options', null, 'calendarinterval'],
  ];

  it.each(cases)('rejects %s', (_name, options, field) => {
    const error = thrown(() => new CalendarIntervalTrigger(options as CalendarIntervalTriggerOptions));
    expect(error.code).toBe('ERR_INVALID_TRIGGER');
    expect(error.field).toBe(field);
  });

  it('rejects bad specs in fromJSON', () => {
    expect(thrown(() => CalendarIntervalTrigger.fromJSON({ type: 'interval', days: 1 }))).toMatchObject({ code: 'ERR_INVALID_TRIGGER', field: 'type' });
    expect(thrown(() => CalendarIntervalTrigger.fromJSON('daily'))).toMatchObject({ code: 'ERR_INVALID_TRIGGER', field: 'trigger' });
    const bogus = { type: 'calendarinterval', days: 1, bogus: true };
    expect(thrown(() => CalendarIntervalTrigger.fromJSON(bogus))).toMatchObject({ code: 'ERR_INVALID_TRIGGER', field: 'calendarinterval.bogus' });
    expect(thrown(() => CalendarIntervalTrigger.fromJSON({ type: 'calendarinterval', days: 0 }))).toMatchObject({ field: 'calendarinterval' });
  });

  it('rejects an invalid now or previous fire time', () => {
    const trigger = new CalendarIntervalTrigger({ days: 1, timezone: 'UTC' });
    expect(thrown(() => trigger.getNextFireTime(null, new Date(Number.NaN)))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'now' });
    expect(thrown(() => trigger.getNextFireTime(new Date(Number.NaN), new Date()))).toMatchObject({ field: 'previousFireTime' });
  });
});

// ---------------------------------------------------------------------------------------------
// An independent reference, built on luxon only: slot dates by luxon calendar arithmetic, and the
// DST rule by probing instants ("the earliest instant whose local wall time is at or after").
// ---------------------------------------------------------------------------------------------

const ZONES = [
  'UTC',
  NY,
  BERLIN,
  SYDNEY,
  'America/Santiago',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'Asia/Tehran',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Europe/London',
];

interface Params {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hour: number;
  minute: number;
  second: number;
  zone: string;
}

const MINUTE = 60_000;
const wallKey = (dt: DateTime): string => dt.toFormat('yyyy-MM-dd HH:mm:ss');

/** The earliest instant whose local time in `zone` is at or after the wall time `wall`. */
function refResolve(zone: string, wall: DateTime): number {
  const target = wallKey(wall);
  const guess = DateTime.fromObject(wall.toObject(), { zone }).toMillis();
  const exact: number[] = [];
  for (let d = -12; d <= 12; d++) {
    const t = guess + d * 15 * MINUTE;
    if (wallKey(DateTime.fromMillis(t, { zone })) === target) exact.push(t);
  }
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the first whole minute (transitions happen on whole minutes) showing a later time.
  for (let t = Math.floor(guess / MINUTE) * MINUTE - 3 * 60 * MINUTE; ; t += MINUTE) {
    if (wallKey(DateTime.fromMillis(t, { zone })) >= target) return t;
  }
}

/** The slot date k (a luxon date in UTC as a plain calendar), or null when its day does not exist. */
function refSlot(p: Params, d0: DateTime, k: number): DateTime | null {
  const month = DateTime.utc(d0.year, d0.month, 1).plus({ months: k * (12 * p.years + p.months) });
  if (month.daysInMonth! < d0.day) return null;
  return month.set({ day: d0.day }).plus({ days: k * (7 * p.weeks + p.days) }).set({ hour: p.hour, minute: p.minute, second: p.second });
}

/** The first `count` fire times at or after `lo` (and startDate). */
function refFollow(p: Params, start: number, lo: number, count: number): number[] {
  const d0 = DateTime.fromMillis(start, { zone: p.zone }).startOf('day');
  const d0utc = DateTime.utc(d0.year, d0.month, d0.day);
  const from = Math.max(start, lo);
  // Slot k is at most k·(31·months + days) days after D0, so slots up to this k are well before `from`.
  const behind = DateTime.fromMillis(from, { zone: p.zone }).startOf('day');
  const days = DateTime.utc(behind.year, behind.month, behind.day).diff(d0utc, 'days').days;
  let k = Math.max(0, Math.floor((days - 3) / (31 * (12 * p.years + p.months) + 7 * p.weeks + p.days)));
  const out: number[] = [];
  for (; out.length < count; k++) {
    const slot = refSlot(p, d0utc, k);
    if (slot === null) continue;
    const t = refResolve(p.zone, slot);
    if (t >= from && (out.length === 0 || t > out.at(-1)!)) out.push(t);
  }
  return out;
}

const paramsArb: fc.Arbitrary<Params> = fc
  .record({
    years: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 })),
    months: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 14 })),
    weeks: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 })),
    days: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 })),
    hour: fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 0, max: 23 })),
    minute: fc.oneof(fc.constantFrom(0, 30, 45), fc.integer({ min: 0, max: 59 })),
    second: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59 })),
    zone: fc.constantFrom(...ZONES),
  })
  .filter((p) => p.years + p.months + p.weeks + p.days > 0);

const instantArb = (min: string, max: string) => fc.integer({ min: Date.parse(min), max: Date.parse(max) });

/**
 * Zone tables shared by the property tests, as a registry shares them between its triggers
 * (building a zone's table is the slow part). Loaded from 1989 on: the table grows cheaply
 * forwards, but asking for an earlier year rebuilds it.
 */
const zones = new TriggerCache();
for (const zone of [...ZONES, 'Pacific/Apia', 'Pacific/Kiritimati']) zones.zone(zone).offsetAt(Date.UTC(1989, 0, 1));

function build(p: Params, extra: Partial<CalendarIntervalTriggerOptions> = {}): CalendarIntervalTrigger {
  const { zone, ...rest } = p;
  return new CalendarIntervalTrigger({ ...rest, timezone: zone, ...extra }, zones);
}

describe('CalendarIntervalTrigger: against the reference', () => {
  it('matches the reference from a start date, for any units, time and zone', () => {
    fc.assert(
      fc.property(paramsArb, instantArb('1990-01-01T00:00Z', '2100-01-01T00:00Z'), fc.integer({ min: -40, max: 2 }), (p, start, nowDays) => {
        const now = start + nowDays * 86_400_000;
        expect(iso(follow(build(p, { startDate: start }), now, 8))).toEqual(iso(refFollow(p, start, now, 8)));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the reference long after the start date (the arithmetic jump)', () => {
    fc.assert(
      fc.property(paramsArb, instantArb('1990-01-01T00:00Z', '2000-01-01T00:00Z'), instantArb('2000-01-01T00:00Z', '2100-01-01T00:00Z'), (p, start, now) => {
        expect(iso(follow(build(p, { startDate: start }), now, 3))).toEqual(iso(refFollow(p, start, now, 3)));
      }),
      { numRuns: 300 },
    );
  });

  it('without startDate, matches the reference anchored at the local date of now', () => {
    fc.assert(
      fc.property(paramsArb.filter((p) => p.years + p.months === 0 || p.weeks + p.days === 0), instantArb('1990-01-01T00:00Z', '2100-01-01T00:00Z'), (p, now) => {
        const midnight = refResolve(p.zone, DateTime.fromMillis(now, { zone: p.zone }).set({ hour: 0, minute: 0, second: 0, millisecond: 0 }));
        const expected = refFollow(p, Math.min(midnight, now), now, 6);
        expect(iso(follow(build(p), now, 6))).toEqual(iso(expected));
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The shared trigger contract.
// ---------------------------------------------------------------------------------------------

const registry = new TriggerRegistry();
if (!registry.has('calendarinterval')) {
  registry.register('calendarinterval', (spec, defaults) => CalendarIntervalTrigger.fromJSON(spec, defaults, zones));
}

const contractArb = fc
  .record({
    params: paramsArb,
    zone: fc.constantFrom(...ZONES, 'Pacific/Apia', 'Pacific/Kiritimati'),
    start: fc.option(instantArb('1990-01-01T00:00Z', '2100-01-01T00:00Z'), { nil: null }),
    span: fc.option(fc.integer({ min: 0, max: 20 * 365 * 86_400_000 }), { nil: null }),
    jitter: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
  })
  .map(({ params, zone, start, span, jitter }) => {
    const extra: Partial<CalendarIntervalTriggerOptions> = {};
    if (start !== null) extra.startDate = start;
    if (span !== null) extra.endDate = (start ?? Date.parse('2000-01-01T00:00Z')) + span;
    if (jitter !== null) extra.jitter = jitter;
    return { trigger: build({ ...params, zone }, extra), registry };
  });

triggerContract('CalendarIntervalTrigger', contractArb);
