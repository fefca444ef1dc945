import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { IntervalTrigger, type IntervalTriggerOptions } from '../../src/triggers/interval.js';
import { InvalidTriggerError } from '../../src/errors.js';
import { hostTimezone } from '../../src/triggers/dates.js';
import { triggerContract } from '../contracts/trigger.contract.js';
import { thrown } from '../helpers/thrown.js';
import { nextFireTimes } from '../../src/triggers/preview.js';
import type { Trigger } from '../../src/triggers/trigger.js';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const T0 = Date.UTC(2026, 2, 1, 9); // 2026-03-01T09:00Z

/** Fire times in ms: the first at or after `now`, then each strictly after the previous one. */
function follow(trigger: Trigger, now: number, count: number): number[] {
  return nextFireTimes(trigger, count, new Date(now)).map((time) => time.getTime());
}

describe('IntervalTrigger', () => {
  it('adds up its units into whole milliseconds', () => {
    expect(new IntervalTrigger({ hours: 1, minutes: 30 }).intervalMs).toBe(H + 30 * M);
    expect(new IntervalTrigger({ weeks: 1, days: 2, seconds: 3, milliseconds: 4 }).intervalMs).toBe(9 * D + 3 * S + 4);
    expect(new IntervalTrigger({ hours: 1.5 }).intervalMs).toBe(90 * M);
    expect(new IntervalTrigger({ hours: 0.1 }).intervalMs).toBe(6 * M); // 0.1 * 3.6e6 is not exact in floats
    expect(new IntervalTrigger({ seconds: 0, milliseconds: 1 }).intervalMs).toBe(1);
  });

  it('without startDate, first fires one interval after now, then every interval', () => {
    const trigger = new IntervalTrigger({ minutes: 5 });
    expect(follow(trigger, T0, 3)).toEqual([T0 + 5 * M, T0 + 10 * M, T0 + 15 * M]);
    expect(trigger.getNextFireTime(null, new Date(T0 + 1))?.getTime()).toBe(T0 + 1 + 5 * M);
    expect(trigger.startDate).toBeNull();
  });

  it('with a future startDate, first fires at startDate', () => {
    const trigger = new IntervalTrigger({ hours: 2, startDate: T0 });
    expect(follow(trigger, T0 - 7 * D, 3)).toEqual([T0, T0 + 2 * H, T0 + 4 * H]);
    expect(trigger.getNextFireTime(null, new Date(T0))?.getTime()).toBe(T0); // equal to now counts
  });

  it('with a past startDate, first fires at the next grid point at or after now', () => {
    const trigger = new IntervalTrigger({ hours: 2, startDate: T0 });
    expect(trigger.getNextFireTime(null, new Date(T0 + 1))?.getTime()).toBe(T0 + 2 * H);
    expect(trigger.getNextFireTime(null, new Date(T0 + 2 * H))?.getTime()).toBe(T0 + 2 * H);
    expect(trigger.getNextFireTime(null, new Date(T0 + 2 * H + 1))?.getTime()).toBe(T0 + 4 * H);
    expect(trigger.getNextFireTime(null, new Date(T0 + 1000 * D + 5))?.getTime()).toBe(T0 + 1000 * D + 2 * H);
  });

  it('lands on the grid for any startDate, interval and now', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -4e12, max: 4e12 }),
        fc.integer({ min: 1, max: 40 * D }),
        fc.integer({ min: -4e12, max: 4e12 }),
        (start, interval, now) => {
          const next = new IntervalTrigger({ milliseconds: interval, startDate: start }).getNextFireTime(null, new Date(now));
          const t = next!.getTime();
          expect(t).toBeGreaterThanOrEqual(now);
          expect(t).toBeGreaterThanOrEqual(start);
          expect((t - start) % interval).toBe(0);
          if (t > start) expect(t - interval).toBeLessThan(now);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays on the grid for dates hundreds of thousands of years apart', () => {
    const start = -8.64e15; // the first instant a Date can hold
    const trigger = new IntervalTrigger({ days: 7, startDate: start });
    const next = trigger.getNextFireTime(null, new Date(T0))!.getTime();
    const expected = BigInt(start) + ((BigInt(T0) - BigInt(start) + BigInt(7 * D) - 1n) / BigInt(7 * D)) * BigInt(7 * D);
    expect(BigInt(next)).toBe(expected);
  });

  it('with a previous fire time returns previous + interval, even before now', () => {
    const trigger = new IntervalTrigger({ minutes: 10, startDate: T0 });
    expect(trigger.getNextFireTime(new Date(T0), new Date(T0 + 5 * H))?.getTime()).toBe(T0 + 10 * M);
    expect(trigger.getNextFireTime(new Date(T0 + 3), new Date(T0))?.getTime()).toBe(T0 + 3 + 10 * M);
  });

  it('treats endDate as inclusive and then finishes', () => {
    const trigger = new IntervalTrigger({ hours: 1, startDate: T0, endDate: T0 + 2 * H });
    expect(follow(trigger, T0 - H, 10)).toEqual([T0, T0 + H, T0 + 2 * H]);
    expect(trigger.getNextFireTime(null, new Date(T0 + 2 * H + 1))).toBeNull();
    const unanchored = new IntervalTrigger({ hours: 1, endDate: T0 });
    expect(unanchored.getNextFireTime(null, new Date(T0 - H))?.getTime()).toBe(T0);
    expect(unanchored.getNextFireTime(null, new Date(T0 - H + 1))).toBeNull();
    expect(new IntervalTrigger({ hours: 1, startDate: T0, endDate: T0 }).getNextFireTime(null, new Date(0))?.getTime()).toBe(T0);
  });

  it('finishes rather than return a time a Date cannot hold', () => {
    const trigger = new IntervalTrigger({ weeks: 1 });
    expect(trigger.getNextFireTime(new Date(8.64e15 - D), new Date(T0))).toBeNull();
    expect(trigger.getNextFireTime(null, new Date(8.64e15 - D))).toBeNull();
  });

  it('throws on an invalid previous fire time or now instead of returning Invalid Date', () => {
    const trigger = new IntervalTrigger({ hours: 1 });
    expect(() => trigger.getNextFireTime(new Date(Number.NaN), new Date(T0))).toThrow(/previousFireTime/);
    expect(() => trigger.getNextFireTime(null, new Date(Number.NaN))).toThrow(/now/);
  });

  it('reads strings without offset in its timezone, or in the host zone', () => {
    const berlin = new IntervalTrigger({ hours: 1, startDate: '2026-03-01T10:00', timezone: 'Europe/Berlin' });
    expect(berlin.startDate?.getTime()).toBe(T0); // 10:00 CET = 09:00Z
    const host = new IntervalTrigger({ hours: 1, startDate: '2026-03-01T10:00', endDate: '2026-03-02' });
    expect(host.startDate?.getTime()).toBe(new Date(2026, 2, 1, 10).getTime());
    expect(host.endDate?.getTime()).toBe(new Date(2026, 2, 2).getTime());
  });

  it('exposes jitter but never applies it', () => {
    const trigger = new IntervalTrigger({ minutes: 1, startDate: T0, jitter: 30 });
    expect(trigger.jitter).toBe(30);
    expect(follow(trigger, T0, 3)).toEqual([T0, T0 + M, T0 + 2 * M]);
    expect(new IntervalTrigger({ minutes: 1 }).jitter).toBeNull();
    expect(new IntervalTrigger({ minutes: 1, jitter: null }).jitter).toBeNull();
  });

  it('serializes the units as given plus the options that are set', () => {
    expect(new IntervalTrigger({ hours: 1.5, minutes: 0 }).toJSON()).toStrictEqual({ type: 'interval', hours: 1.5 });
    const full = new IntervalTrigger({
      weeks: 1,
      seconds: 30,
      startDate: '2026-03-01T10:00',
      endDate: new Date(T0 + 30 * D),
      timezone: 'Europe/Berlin',
      jitter: 2.5,
    });
    expect(full.toJSON()).toStrictEqual({
      type: 'interval',
      weeks: 1,
      seconds: 30,
      startDate: '2026-03-01T09:00:00.000Z',
      endDate: '2026-03-31T09:00:00.000Z',
      timezone: 'Europe/Berlin',
      jitter: 2.5,
    });
  });

  it('describes itself', () => {
    expect(String(new IntervalTrigger({ minutes: 90 }))).toBe('interval[every 1h 30m]');
    expect(String(new IntervalTrigger({ days: 8, milliseconds: 1 }))).toBe('interval[every 1w 1d 1ms]');
    expect(String(new IntervalTrigger({ hours: 1, startDate: T0, timezone: 'Europe/Berlin', jitter: 5 }))).toBe(
      'interval[every 1h, start=2026-03-01T10:00:00.000+01:00, timezone=Europe/Berlin, jitter=5s]',
    );
    expect(String(new IntervalTrigger({ seconds: 5, startDate: T0, endDate: T0 + H }))).toBe(
      'interval[every 5s, start=2026-03-01T09:00:00.000Z, end=2026-03-01T10:00:00.000Z]',
    );
  });

  it('rebuilds from JSON, taking the default zone only when the spec names none', () => {
    const spec = { type: 'interval', hours: 1, startDate: '2026-03-01T18:00' };
    const tokyo = IntervalTrigger.fromJSON(spec, { timezone: 'Asia/Tokyo' });
    expect(tokyo.startDate?.getTime()).toBe(T0); // 18:00 JST = 09:00Z
    expect(tokyo.toJSON()).toStrictEqual({ ...spec, startDate: '2026-03-01T09:00:00.000Z', timezone: 'Asia/Tokyo' });
    const own = IntervalTrigger.fromJSON({ ...spec, timezone: 'UTC' }, { timezone: 'Asia/Tokyo' });
    expect(own.startDate?.getTime()).toBe(Date.UTC(2026, 2, 1, 18));
  });

  describe('rejects bad input with InvalidTriggerError naming the field', () => {
    const cases: [string, unknown, string][] = [
      ['no options', undefined, 'interval'],
      ['empty options', {}, 'interval'],
      ['zero interval', { seconds: 0 }, 'interval'],
      ['all units zero', { weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, milliseconds: 0 }, 'interval'],
      ['rounds to zero ms', { milliseconds: 0.4 }, 'interval'],
      ['negative unit', { hours: -1 }, 'interval.hours'],
      ['negative among positive', { hours: 2, minutes: -30 }, 'interval.minutes'],
      ['NaN', { minutes: Number.NaN }, 'interval.minutes'],
      ['Infinity', { seconds: Number.POSITIVE_INFINITY }, 'interval.seconds'],
      ['finite units, infinite total', { weeks: 1e300 }, 'interval'],
      ['beyond the Date range', { weeks: 2e10 }, 'interval'],
      ['string unit', { hours: '1' }, 'interval.hours'],
      ['null unit', { days: null }, 'interval.days'],
      ['unknown key', { hours: 1, foo: 1 }, 'interval.foo'],
      ['singular unit name', { hour: 1 }, 'interval.hour'],
      ['endDate before startDate', { hours: 1, startDate: '2026-03-02', endDate: '2026-03-01' }, 'interval.endDate'],
      ['bad zone', { hours: 1, timezone: 'Mars/Base' }, 'interval.timezone'],
      ['null zone', { hours: 1, timezone: null }, 'interval.timezone'],
      ['impossible startDate', { hours: 1, startDate: '2024-02-30' }, 'interval.startDate'],
      ['garbage endDate', { hours: 1, endDate: 'soon' }, 'interval.endDate'],
      ['invalid Date', { hours: 1, startDate: new Date(Number.NaN) }, 'interval.startDate'],
      ['startDate of the wrong type', { hours: 1, startDate: {} }, 'interval.startDate'],
      ['endDate of the wrong type', { hours: 1, endDate: true }, 'interval.endDate'],
      ['negative jitter', { hours: 1, jitter: -1 }, 'interval.jitter'],
      ['NaN jitter', { hours: 1, jitter: Number.NaN }, 'interval.jitter'],
      ['string jitter', { hours: 1, jitter: '5' }, 'interval.jitter'],
      ['options a number', 5, 'interval'],
      ['options a string', 'hourly', 'interval'],
      ['options an array', [1], 'interval'],
      ['options null', null, 'interval'],
    ];
    for (const [name, options, field] of cases) {
      it(name, () => {
        const error = thrown(() => new IntervalTrigger(options as IntervalTriggerOptions));
        expect(error.error).toBeInstanceOf(InvalidTriggerError);
        expect(error.code).toBe('ERR_INVALID_TRIGGER');
        expect(error.field).toBe(field);
      });
    }
    it('in specs too', () => {
      const error = thrown(() => IntervalTrigger.fromJSON({ type: 'interval', hours: 1, every: 2 }));
      expect(error.code).toBe('ERR_INVALID_TRIGGER');
      expect(error.field).toBe('interval.every');
    });
  });
});

/**
 * DST transitions of 2026, written out from the tz rules (not computed by the code under test):
 * the UTC instant of the change and the UTC offsets (minutes) before and after it.
 */
const TRANSITIONS = [
  { zone: 'America/New_York', kind: 'spring', at: Date.UTC(2026, 2, 8, 7), before: -300, after: -240 },
  { zone: 'America/New_York', kind: 'fall', at: Date.UTC(2026, 10, 1, 6), before: -240, after: -300 },
  { zone: 'Europe/Berlin', kind: 'spring', at: Date.UTC(2026, 2, 29, 1), before: 60, after: 120 },
  { zone: 'Europe/Berlin', kind: 'fall', at: Date.UTC(2026, 9, 25, 1), before: 120, after: 60 },
  { zone: 'Australia/Sydney', kind: 'fall', at: Date.UTC(2026, 3, 4, 16), before: 660, after: 600 },
  { zone: 'Australia/Sydney', kind: 'spring', at: Date.UTC(2026, 9, 3, 16), before: 600, after: 660 },
  { zone: 'America/Santiago', kind: 'fall', at: Date.UTC(2026, 3, 5, 3), before: -180, after: -240 },
  { zone: 'America/Santiago', kind: 'spring', at: Date.UTC(2026, 8, 6, 4), before: -240, after: -180 },
] as const;

const localLabel = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');

describe('IntervalTrigger across DST', () => {
  for (const { zone, kind, at, before, after } of TRANSITIONS) {
    describe(`${zone}, ${kind} ${new Date(at).toISOString().slice(0, 10)}`, () => {
      it('the tz data agrees with the hand-written transition', () => {
        expect(DateTime.fromMillis(at - 1, { zone }).offset).toBe(before);
        expect(DateTime.fromMillis(at, { zone }).offset).toBe(after);
      });

      it('hours: 24 stays exactly 86,400,000 ms apart and its local time shifts by the DST change', () => {
        // Local noon three days before the change, written as wall time in the zone.
        const startWall = DateTime.fromMillis(at - 3 * D, { zone: 'utc' }).plus({ minutes: before }).toISODate()!;
        const start = Date.UTC(
          Number(startWall.slice(0, 4)),
          Number(startWall.slice(5, 7)) - 1,
          Number(startWall.slice(8, 10)),
          12,
        ) - before * M;
        const trigger = new IntervalTrigger({ hours: 24, startDate: `${startWall}T12:00`, timezone: zone });
        const times = follow(trigger, start - D, 7);
        expect(times[0]).toBe(start);
        times.forEach((t, i) => expect(t).toBe(start + i * D));
        const shiftedMinutes = 12 * 60 + after - before;
        const shifted = `${String(Math.floor(shiftedMinutes / 60)).padStart(2, '0')}:${String(shiftedMinutes % 60).padStart(2, '0')}`;
        for (const t of times) expect(localLabel(t, zone)).toBe(t < at ? '12:00' : shifted);
        expect(times.some((t) => t > at)).toBe(true);
      });

      it('hours: 1 neither duplicates nor skips a real instant', () => {
        const trigger = new IntervalTrigger({ hours: 1, startDate: at - 6 * H, timezone: zone });
        const times = follow(trigger, at - 6 * H, 12);
        expect(times).toEqual(Array.from({ length: 12 }, (_, i) => at + (i - 6) * H));
        expect(new Set(times).size).toBe(12);
        // The wall clock meanwhile repeats an hour (fall) or jumps one (spring).
        const labels = times.map((t) => localLabel(t, zone));
        expect(new Set(labels).size).toBe(kind === 'fall' ? 11 : 12);
      });
    });
  }
});

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago', 'Asia/Kolkata'];
const unit = (max: number) => fc.option(fc.integer({ min: 0, max }).map((n) => n / 4), { nil: undefined });
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });

/** Any valid interval trigger, its dates given in every accepted form. */
const intervalArb = fc
  .record({
    units: fc.record({
      weeks: unit(8),
      days: unit(40),
      hours: unit(100),
      minutes: unit(200),
      seconds: unit(1000),
      milliseconds: unit(5000),
    }),
    start: fc.option(instant, { nil: undefined }),
    endAfter: fc.option(fc.integer({ min: 0, max: 400 * D }), { nil: undefined }),
    timezone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
    jitter: fc.option(fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 120 }).map((n) => n / 2)), { nil: undefined }),
    form: fc.constantFrom('date', 'ms', 'iso', 'local', 'luxon'),
  })
  .filter(({ units }) => {
    const factors = { weeks: 7 * D, days: D, hours: H, minutes: M, seconds: S, milliseconds: 1 };
    const total = Object.entries(units).reduce((sum, [k, v]) => sum + (v ?? 0) * factors[k as keyof typeof factors], 0);
    return Math.round(total) >= 1;
  })
  .map(({ units, start, endAfter, timezone, jitter, form }) => {
    const zone = timezone ?? hostTimezone(); // where strings without offset are read
    const asInput = (ms: number) =>
      form === 'date'
        ? new Date(ms)
        : form === 'ms'
          ? ms
          : form === 'iso'
            ? new Date(ms).toISOString()
            : form === 'luxon'
              ? DateTime.fromMillis(ms, { zone })
              : DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(units)) if (value !== undefined) options[key] = value;
    if (start !== undefined) options.startDate = asInput(start);
    if (endAfter !== undefined) options.endDate = (start ?? Date.UTC(2000, 0, 1)) + endAfter;
    if (timezone !== undefined) options.timezone = timezone;
    if (jitter !== undefined) options.jitter = jitter;
    return { trigger: new IntervalTrigger(options as IntervalTriggerOptions) };
  });

triggerContract('IntervalTrigger', intervalArb, {
  now: fc.date({ min: new Date('1999-06-01T00:00:00Z'), max: new Date('2041-01-01T00:00:00Z'), noInvalidDate: true }),
});
