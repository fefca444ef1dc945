/**
 * Pins the shortcuts of the cron search against the brute-force reference of
 * `test/helpers/cron-reference.ts`: per-kind masks of allowed days (leap days across century
 * years, `L`, day of month with day of week), searches that cross years, zone tables read one
 * cell at a time (a schedule that fires every four years), and the cheap path through a day
 * without a transition, next to zones whose DST gap is at midnight.
 */
import { describe, it, expect } from 'vitest';
import { CronTrigger, type CronTriggerOptions } from '../../src/triggers/cron/cron-trigger.js';
import { refCompile, referenceNext, refTransitions, type RefSpec } from '../helpers/cron-reference.js';

const DAY = 86_400_000;
const YEAR = 366 * DAY;
const ZONES = ['UTC', 'America/New_York', 'America/Santiago', 'America/Havana', 'Australia/Sydney', 'Europe/Berlin'] as const;

const iso = (t: number | null | undefined): string => (t === null || t === undefined ? String(t) : new Date(t).toISOString());

/** The reference's first `count` fire times from `from` (searching up to `bound` past each). */
function reference(spec: RefSpec, zone: string, from: number, count: number, bound: number, dayOr = false): string[] {
  const compiled = refCompile(spec, { dayOr });
  const out: string[] = [];
  let previous: number | null = null;
  for (let i = 0; i < count; i++) {
    const next = referenceNext(compiled, zone, from, { previous, boundMs: bound });
    if (next === null || next === undefined) break;
    out.push(iso(next));
    previous = next;
  }
  return out;
}

/** The trigger's first `count` fire times from `from`, one `getNextFireTime` after the other. */
function fires(trigger: CronTrigger, from: number, count: number): string[] {
  const out: string[] = [];
  let previous: Date | null = null;
  for (let i = 0; i < count; i++) {
    const next = trigger.getNextFireTime(previous, new Date(from));
    if (next === null) break;
    out.push(next.toISOString());
    previous = next;
  }
  return out;
}

interface Case {
  spec: RefSpec;
  /** The same schedule as a crontab string; `dayOr` when both day fields restrict (Vixie cron). */
  crontab?: string;
  dayOr?: boolean;
  from: string;
  count: number;
  /** How far the reference searches past each fire time. */
  bound: number;
}

/** One `it` per zone: the field form, the crontab form and the reference agree. */
function agree(title: string, cases: Case[], zones: readonly string[] = ZONES): void {
  describe(title, () => {
    it.each(zones.map((zone) => [zone]))('%s', (zone) => {
      for (const c of cases) {
        const from = Date.parse(c.from);
        const want = reference(c.spec, zone, from, c.count, c.bound, c.dayOr);
        const where = `${JSON.stringify(c.spec)} from ${c.from} in ${zone}`;
        expect(want.length, `${where}: the reference finds them all`).toBe(c.count);
        if (c.dayOr !== true) expect(fires(new CronTrigger({ ...(c.spec as CronTriggerOptions), timezone: zone }), from, c.count), where).toEqual(want);
        if (c.crontab !== undefined) expect(fires(CronTrigger.fromCrontab(c.crontab, { timezone: zone }), from, c.count), `${c.crontab}: ${where}`).toEqual(want);
      }
    });
  });
}

const leapDay: RefSpec = { month: 2, day: 29, hour: 0, minute: 0, second: 0 };

agree('29 February: straight to the next leap year, 2100 skipped and 2400 kept', [
  { spec: leapDay, crontab: '0 0 0 29 2 *', from: '2090-06-01T00:00:00Z', count: 5, bound: 9 * YEAR },
  { spec: leapDay, crontab: '0 0 0 29 2 *', from: '2392-03-01T00:00:00Z', count: 3, bound: 5 * YEAR },
  { spec: { ...leapDay, hour: 12, minute: 30 }, crontab: '30 12 29 2 *', from: '1995-01-01T00:00:00Z', count: 3, bound: 5 * YEAR },
  // Field form: a Monday 29 February (every 28 years or so, except across 2100).
  { spec: { ...leapDay, dayOfWeek: 'mon' }, from: '2030-01-01T00:00:00Z', count: 3, bound: 41 * YEAR },
  // Crontab: 29 February OR any Monday in February (Vixie cron).
  { spec: { ...leapDay, dayOfWeek: 'mon' }, crontab: '0 0 29 2 1', dayOr: true, from: '2099-02-20T00:00:00Z', count: 6, bound: 2 * YEAR },
  // Elapsed time (an hour step): a search that jumps over years of segments.
  { spec: { month: 2, day: 29, hour: '*/8', minute: 0, second: 0 }, crontab: '0 */8 29 2 *', from: '2095-01-01T00:00:00Z', count: 7, bound: 9 * YEAR },
]);

describe('29 February at the end of the range', () => {
  it('fires in 9996 last, then never', () => {
    const trigger = CronTrigger.fromCrontab('0 0 0 29 2 *', { timezone: 'America/New_York' });
    expect(trigger.nextFireTimes(3, new Date('9990-01-01T00:00:00Z')).map((d) => d.toISOString())).toEqual([
      '9992-02-29T05:00:00.000Z',
      '9996-02-29T05:00:00.000Z',
    ]);
  });
});

agree('the last day of the month (L, last, last fri)', [
  { spec: { day: 'last', hour: 10, minute: 15, second: 0 }, crontab: '0 15 10 L * *', from: '2099-10-15T00:00:00Z', count: 8, bound: YEAR },
  { spec: { month: 2, day: 'last', hour: 0, minute: 0, second: 0 }, crontab: '0 0 L 2 *', from: '2097-01-01T00:00:00Z', count: 5, bound: 2 * YEAR },
  { spec: { day: 'last fri', hour: 23, minute: 59, second: 59 }, crontab: '59 59 23 * * 5L', from: '2024-11-01T00:00:00Z', count: 6, bound: YEAR },
  { spec: { day: '30,last', hour: 0, minute: 30, second: 0 }, crontab: '30 0 30,L * *', from: '2024-01-15T00:00:00Z', count: 6, bound: YEAR },
]);

agree('day of month with day of week (AND in the field form, OR in crontab unless starred)', [
  { spec: { day: 13, dayOfWeek: 'fri', hour: 9, minute: 0, second: 0 }, from: '2024-01-01T00:00:00Z', count: 4, bound: 2 * YEAR },
  { spec: { day: 13, dayOfWeek: 'fri', hour: 9, minute: 0, second: 0 }, crontab: '0 9 13 * 5', dayOr: true, from: '2024-01-01T00:00:00Z', count: 10, bound: YEAR },
  { spec: { day: '*/2', dayOfWeek: 'mon', hour: 9, minute: 0, second: 0 }, crontab: '0 9 */2 * 1', from: '2024-01-01T00:00:00Z', count: 6, bound: YEAR },
  { spec: { day: '1-7', dayOfWeek: 'sun', hour: 1, minute: 30, second: 0 }, from: '2024-01-01T00:00:00Z', count: 12, bound: YEAR },
  { spec: { day: '1-7', dayOfWeek: 'sun', hour: 1, minute: 30, second: 0 }, crontab: '30 1 1-7 * 0', dayOr: true, from: '2024-02-25T00:00:00Z', count: 12, bound: YEAR },
  { spec: { day: '2nd sat, last sun', hour: 12, minute: 0, second: 0 }, from: '2024-01-01T00:00:00Z', count: 6, bound: YEAR },
]);

agree('ranges, steps, weeks and years across year boundaries', [
  { spec: { month: 12, day: 31, hour: 23, minute: 59, second: 59 }, crontab: '59 59 23 31 12 *', from: '2099-06-01T00:00:00Z', count: 3, bound: 2 * YEAR },
  { spec: { month: '11-12,1', day: '*/10', hour: 0, minute: 0, second: 0 }, crontab: '0 0 */10 11-12,1 *', from: '2024-12-15T00:00:00Z', count: 8, bound: YEAR },
  { spec: { month: 1, day: 1, hour: '0-1', minute: '*/20', second: 0 }, crontab: '*/20 0-1 1 1 *', from: '2099-12-31T12:00:00Z', count: 8, bound: 2 * YEAR },
  { spec: { week: '1,52,53', dayOfWeek: 'mon', hour: 12, minute: 0, second: 0 }, from: '2025-12-01T00:00:00Z', count: 6, bound: 2 * YEAR },
  { spec: { year: '2096,2100,2104', month: 2, day: 29, hour: 0, minute: 0, second: 0 }, from: '2090-01-01T00:00:00Z', count: 2, bound: 15 * YEAR },
  { spec: { year: '*/3', month: 12, day: 'last', hour: 6, minute: 0, second: 0 }, from: '2024-01-01T00:00:00Z', count: 4, bound: 4 * YEAR },
]);

describe('midnight and early-morning schedules around DST transitions (gap at midnight in Santiago and Havana)', () => {
  const zones = ['America/Santiago', 'America/Havana', 'America/Asuncion', 'Australia/Sydney', 'Europe/Berlin', 'America/New_York'];
  const specs: [RefSpec, string][] = [
    [{ hour: 0, minute: 0, second: 0 }, '0 0 0 * * *'],
    [{ hour: 0, minute: 30, second: 0 }, '30 0 * * *'],
    [{ hour: '0,2', minute: 30, second: 0 }, '30 0,2 * * *'],
    [{ day: 'last', hour: 0, minute: 0, second: 0 }, '0 0 L * *'],
    [{ hour: '*', minute: '*/30', second: 0 }, '*/30 * * * *'],
  ];
  it.each(zones.map((zone) => [zone]))('%s: 2024 and 2062, from before each transition', (zone) => {
    for (const year of [2024, 2062]) {
      for (const transition of refTransitions(zone, year)) {
        for (const [spec, crontab] of specs) {
          // Daily ones from three days before (the cheap path, then the transition), the
          // half-hourly one from six hours before.
          const elapsed = spec.hour === '*';
          const from = transition - (elapsed ? DAY / 4 : 3 * DAY);
          const count = elapsed ? 24 : 8;
          const want = reference(spec, zone, from, count, 2 * YEAR);
          const where = `${crontab} in ${zone} from ${iso(from)}`;
          expect(fires(new CronTrigger({ ...(spec as CronTriggerOptions), timezone: zone }), from, count), where).toEqual(want);
          expect(fires(CronTrigger.fromCrontab(crontab, { timezone: zone }), from, count), where).toEqual(want);
        }
      }
    }
  });
});
