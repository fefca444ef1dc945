import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compileCrontab } from '../../src/triggers/cron/crontab.js';
import { CronSchedule } from '../../src/triggers/cron/schedule.js';
import { CronTrigger } from '../../src/triggers/cron/cron-trigger.js';
import { triggerFromJSON } from '../../src/triggers/registry.js';
import { InvalidTriggerError } from '../../src/errors.js';
import { thrown } from '../helpers/thrown.js';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const range = (from: number, to: number, step = 1): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
};

// ---------------------------------------------------------------------------------------------
// An independent reference: the meaning of a crontab string written from the Vixie cron rules
// (plus cron-parser's L, nL, n#k), matched against civil times from JS Date in UTC. It shares no
// code with src/ — no cron-parser, no calendar.ts.
// ---------------------------------------------------------------------------------------------

const REF_NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DOW_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface RefSpec {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  domDays: Set<number>;
  domLast: boolean;
  domStar: boolean;
  dowDays: Set<number>;
  dowLast: Set<number>;
  dowNth: Array<[number, number]>;
  dowStar: boolean;
  /** The hour field text (for the DST mode). */
  hourText: string;
}

/** `*`, `?`, `a`, `a-b`, each with an optional `/n` (`a/n` = `a-max/n`), names replaced. */
function refItem(item: string, min: number, max: number, names: string[] | null, base: number): number[] {
  let text = item.toLowerCase();
  if (names) text = text.replace(/[a-z]{3}/g, (name) => String(names.indexOf(name) + base));
  const match = /^(\*|\?|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(text);
  if (!match) throw new Error(`reference cannot read ${item}`);
  const [, a = '', b, step] = match;
  const [lo, hi] = a === '*' || a === '?' ? [min, max] : [Number(a), b !== undefined ? Number(b) : step !== undefined ? max : Number(a)];
  return range(lo, hi, step === undefined ? 1 : Number(step));
}

function refNumbers(text: string, min: number, max: number, names: string[] | null = null, base = 0): Set<number> {
  return new Set(text.split(',').flatMap((item) => refItem(item, min, max, names, base)));
}

function refParse(expression: string): RefSpec {
  let text = expression.trim().split(/\s+/).join(' ');
  text = REF_NICKNAMES[text] ?? text;
  const atoms = text.split(' ');
  if (atoms.length === 5) atoms.unshift('0');
  const [sec = '', min = '', hour = '', dom = '', mon = '', dow = ''] = atoms;
  const spec: RefSpec = {
    seconds: refNumbers(sec, 0, 59),
    minutes: refNumbers(min, 0, 59),
    hours: refNumbers(hour, 0, 23),
    months: refNumbers(mon, 1, 12, MONTH_NAMES, 1),
    domDays: new Set(),
    domLast: false,
    domStar: dom.startsWith('*') || dom.startsWith('?'),
    dowDays: new Set(),
    dowLast: new Set(),
    dowNth: [],
    dowStar: dow.startsWith('*') || dow.startsWith('?'),
    hourText: hour,
  };
  for (const item of dom.split(',')) {
    if (item === 'L') spec.domLast = true;
    else for (const d of refItem(item, 1, 31, null, 0)) spec.domDays.add(d);
  }
  for (const item of dow.toLowerCase().split(',')) {
    const named = item.replace(/[a-z]{3}/g, (name) => String(DOW_NAMES.indexOf(name)));
    const last = /^(\d)l$/.exec(named);
    const nth = /^(\d)#(\d)$/.exec(named);
    if (last) spec.dowLast.add(Number(last[1]) % 7);
    else if (nth) spec.dowNth.push([Number(nth[1]) % 7, Number(nth[2])]);
    else for (const w of refItem(item, 0, 7, DOW_NAMES, 0)) spec.dowDays.add(w % 7); // 7 is Sunday too
  }
  return spec;
}

function refDayMatches(spec: RefSpec, year: number, month: number, day: number): boolean {
  if (!spec.months.has(month)) return false;
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const wd = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const domOk = spec.domDays.has(day) || (spec.domLast && day === dim);
  const dowOk =
    spec.dowDays.has(wd) ||
    (spec.dowLast.has(wd) && day + 7 > dim) ||
    spec.dowNth.some(([w, k]) => w === wd && Math.floor((day - 1) / 7) + 1 === k);
  // Vixie cron, cron.c: a day field whose text starts with `*` makes the two sides an AND.
  return spec.domStar || spec.dowStar ? domOk && dowOk : domOk || dowOk;
}

/**
 * The first matching wall time at or after `start` (rounded up to a second), walking wall days
 * one by one and, in a matching day, its seconds in order; `null` if none within `limitDays`.
 */
function refFirstMatch(spec: RefSpec, start: number, limitDays: number): number | null {
  const from = Math.ceil(start / S) * S;
  const firstDay = Math.floor(from / D);
  for (let dayIndex = firstDay; dayIndex <= firstDay + limitDays; dayIndex++) {
    const date = new Date(dayIndex * D);
    if (!refDayMatches(spec, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) continue;
    for (let h = 0; h < 24; h++) {
      if (!spec.hours.has(h)) continue;
      for (let mi = 0; mi < 60; mi++) {
        if (!spec.minutes.has(mi)) continue;
        for (let s = 0; s < 60; s++) {
          const wall = dayIndex * D + h * H + mi * M + s * S;
          if (spec.seconds.has(s) && wall >= from) return wall;
        }
      }
    }
  }
  return null;
}

/** SPEC §3.3: hour `*` or a single step term follows elapsed time. */
function refMode(hourText: string): 'fixed' | 'elapsed' {
  return /^[*?]$|^([*?]|\d+(-\d+)?)\/\d+$/.test(hourText) ? 'elapsed' : 'fixed';
}

const LIMIT_DAYS = 400;

/** Compares firstMatch with the reference from `start`; false when the reference gave up. */
function checkFrom(expression: string, start: number): boolean {
  const schedule = new CronSchedule(compileCrontab(expression).fields);
  const expected = refFirstMatch(refParse(expression), start, LIMIT_DAYS);
  const actual = schedule.firstMatch(start);
  if (expected === null) {
    // Nothing in the window: the code must not find anything in it either.
    const windowEnd = (Math.floor(Math.ceil(start / S) * S / D) + LIMIT_DAYS + 1) * D;
    if (actual !== null) expect(actual, `${expression} from ${new Date(start).toISOString()}`).toBeGreaterThanOrEqual(windowEnd);
    return false;
  }
  expect(actual === null ? null : new Date(actual).toISOString(), `${expression} from ${new Date(start).toISOString()}`).toBe(
    new Date(expected).toISOString(),
  );
  return true;
}

/** Follows `count` consecutive matches from `start`, comparing each with the reference. */
function checkSequence(expression: string, start: number, count: number): void {
  const schedule = new CronSchedule(compileCrontab(expression).fields);
  const spec = refParse(expression);
  let from = start;
  for (let i = 0; i < count; i++) {
    const expected = refFirstMatch(spec, from, LIMIT_DAYS);
    if (expected === null) return;
    const actual = schedule.firstMatch(from);
    expect(actual === null ? null : new Date(actual).toISOString(), `${expression} #${i} from ${new Date(from).toISOString()}`).toBe(
      new Date(expected).toISOString(),
    );
    from = expected + S;
  }
}

const STARTS = [
  Date.UTC(1970, 0, 1),
  Date.UTC(1999, 11, 31, 23, 59, 59, 500),
  Date.UTC(2000, 1, 28, 12),
  Date.UTC(2024, 1, 29, 0, 0, 0, 1),
  Date.UTC(2026, 0, 1),
  Date.UTC(2026, 11, 31, 23, 59, 30),
  Date.UTC(2100, 1, 27, 6, 30),
];

// ---------------------------------------------------------------------------------------------

describe('compileCrontab: compiled fields', () => {
  const base = { years: null, weeks: null, months: ALL_MONTHS, seconds: [0], dayTerms: null, weekdayTerms: null, dayCombine: 'or' };
  const cases: Array<[string, Record<string, unknown>, 'fixed' | 'elapsed']> = [
    ['0 0 L * *', { hours: [0], minutes: [0], dayTerms: [{ kind: 'last-day', before: 0 }] }, 'fixed'],
    ['0 0 1,L * *', { dayTerms: [{ kind: 'days', days: [1] }, { kind: 'last-day', before: 0 }] }, 'fixed'],
    ['0 0 * * 5L', { weekdayTerms: [{ kind: 'last-weekday', weekday: 5 }] }, 'fixed'],
    ['0 0 * * 7L', { weekdayTerms: [{ kind: 'last-weekday', weekday: 0 }] }, 'fixed'],
    ['0 0 * * 1-3,5L', { weekdayTerms: [{ kind: 'weekdays', weekdays: [1, 2, 3] }, { kind: 'last-weekday', weekday: 5 }] }, 'fixed'],
    ['0 0 * * 1#2', { weekdayTerms: [{ kind: 'nth-weekday', weekday: 1, nth: 2 }] }, 'fixed'],
    ['0 0 * * 7#1', { weekdayTerms: [{ kind: 'nth-weekday', weekday: 0, nth: 1 }] }, 'fixed'],
    ['0 0 * * MON#2', { weekdayTerms: [{ kind: 'nth-weekday', weekday: 1, nth: 2 }] }, 'fixed'],
    [
      '0 0 * * 1#2,3,5#5',
      {
        weekdayTerms: [
          { kind: 'weekdays', weekdays: [3] },
          { kind: 'nth-weekday', weekday: 1, nth: 2 },
          { kind: 'nth-weekday', weekday: 5, nth: 5 },
        ],
      },
      'fixed',
    ],
    ['0 0 13 * 5', { dayTerms: [{ kind: 'days', days: [13] }], weekdayTerms: [{ kind: 'weekdays', weekdays: [5] }], dayCombine: 'or' }, 'fixed'],
    ['0 9 * * 1-5', { hours: [9], minutes: [0], weekdayTerms: [{ kind: 'weekdays', weekdays: [1, 2, 3, 4, 5] }] }, 'fixed'],
    ['*/15 * * * *', { minutes: [0, 15, 30, 45], hours: range(0, 23) }, 'elapsed'],
    ['0 0 1 1 *', { months: [1], dayTerms: [{ kind: 'days', days: [1] }], hours: [0], minutes: [0] }, 'fixed'],
    ['0 0 * jan-mar mon-fri', { months: [1, 2, 3], weekdayTerms: [{ kind: 'weekdays', weekdays: [1, 2, 3, 4, 5] }] }, 'fixed'],
    ['0 0 * JAN,Dec *', { months: [1, 12] }, 'fixed'],
    ['0 0 * * sun', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0] }] }, 'fixed'],
    ['0 0 * * SUN', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0] }] }, 'fixed'],
    ['0 0 * * 0', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0] }] }, 'fixed'],
    ['0 0 * * 7', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0] }] }, 'fixed'],
    ['0 0 * * 0,7', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0] }] }, 'fixed'],
    ['0 0 * * 5-7', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0, 5, 6] }] }, 'fixed'],
    ['0 0 * * fri-7', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0, 5, 6] }] }, 'fixed'],
    ['0 0 * * */2', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0, 2, 4, 6] }], dayCombine: 'and' }, 'fixed'],
    ['0 0 * * 1/2', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0, 1, 3, 5] }] }, 'fixed'],
    ['1-5,3 * * * *', { minutes: [1, 2, 3, 4, 5] }, 'elapsed'],
    // Vixie cron: a day field starting with `*` makes the day rule an AND.
    ['0 0 */2 * 1', { dayTerms: [{ kind: 'days', days: range(1, 31, 2) }], weekdayTerms: [{ kind: 'weekdays', weekdays: [1] }], dayCombine: 'and' }, 'fixed'],
    ['0 0 1-31/2 * 1', { dayTerms: [{ kind: 'days', days: range(1, 31, 2) }], weekdayTerms: [{ kind: 'weekdays', weekdays: [1] }], dayCombine: 'or' }, 'fixed'],
    ['0 0 1-31 * 1', { dayTerms: [{ kind: 'days', days: range(1, 31) }], weekdayTerms: [{ kind: 'weekdays', weekdays: [1] }], dayCombine: 'or' }, 'fixed'],
    ['0 0 13 * */1', { dayTerms: [{ kind: 'days', days: [13] }], weekdayTerms: [{ kind: 'weekdays', weekdays: range(0, 6) }], dayCombine: 'and' }, 'fixed'],
    ['0 0 ? * 1', { dayTerms: null, weekdayTerms: [{ kind: 'weekdays', weekdays: [1] }] }, 'fixed'],
    ['0 0 15 * ?', { dayTerms: [{ kind: 'days', days: [15] }], weekdayTerms: null }, 'fixed'],
    ['0 0 31 2 *', { months: [2], dayTerms: [{ kind: 'days', days: [31] }] }, 'fixed'],
    ['30 */10 * * * *', { seconds: [30], minutes: range(0, 50, 10), hours: range(0, 23) }, 'elapsed'],
    ['*/20 0 12 * * *', { seconds: [0, 20, 40], minutes: [0], hours: [12] }, 'fixed'],
    ['@yearly', { months: [1], dayTerms: [{ kind: 'days', days: [1] }], hours: [0], minutes: [0] }, 'fixed'],
    ['@annually', { months: [1], dayTerms: [{ kind: 'days', days: [1] }], hours: [0], minutes: [0] }, 'fixed'],
    ['@monthly', { dayTerms: [{ kind: 'days', days: [1] }], hours: [0], minutes: [0] }, 'fixed'],
    ['@weekly', { weekdayTerms: [{ kind: 'weekdays', weekdays: [0] }], hours: [0], minutes: [0] }, 'fixed'],
    ['@daily', { hours: [0], minutes: [0] }, 'fixed'],
    ['@hourly', { hours: range(0, 23), minutes: [0] }, 'elapsed'],
    // The hour field decides the DST mode.
    ['0 * * * *', {}, 'elapsed'],
    ['0 ? * * *', {}, 'elapsed'],
    ['0 */2 * * *', { hours: range(0, 22, 2) }, 'elapsed'],
    ['0 */1 * * *', {}, 'elapsed'],
    ['0 1/6 * * *', { hours: [1, 7, 13, 19] }, 'elapsed'],
    ['0 1-10/3 * * *', { hours: [1, 4, 7, 10] }, 'elapsed'],
    ['0 1-5 * * *', {}, 'fixed'],
    ['0 0-23 * * *', {}, 'fixed'],
    ['0 1,13 * * *', {}, 'fixed'],
    ['0 */2,5 * * *', {}, 'fixed'],
  ];

  it.each(cases)('%s', (expression, fields, mode) => {
    const compiled = compileCrontab(expression);
    expect(compiled.fields).toMatchObject({ ...base, ...fields });
    expect(Object.keys(compiled.fields).sort()).toEqual(
      ['dayCombine', 'dayTerms', 'hours', 'minutes', 'months', 'seconds', 'weekdayTerms', 'weeks', 'years'],
    );
    expect(compiled.mode).toBe(mode);
    expect(compiled.normalized).toBe(expression);
    // Every value is a plain sorted array of whole numbers, weekdays in 0-6.
    for (const name of ['months', 'hours', 'minutes', 'seconds'] as const) {
      const values = compiled.fields[name];
      expect([...values].sort((a, b) => a - b)).toEqual(values);
    }
  });

  it.each(cases.map(([expression]) => expression))('%s: firstMatch agrees with the reference', (expression) => {
    for (const start of STARTS) checkSequence(expression, start, 12);
  });
});

describe('compileCrontab: matching', () => {
  const iso = (wall: number | null): string | null => (wall === null ? null : new Date(wall).toISOString().slice(0, 19));
  const follow = (expression: string, start: number, count: number): Array<string | null> => {
    const schedule = new CronSchedule(compileCrontab(expression).fields);
    const out: Array<string | null> = [];
    let from = start;
    for (let i = 0; i < count; i++) {
      const next = schedule.firstMatch(from);
      out.push(iso(next));
      if (next === null) break;
      from = next + S;
    }
    return out;
  };

  it('0 0 13 * 5 fires on every 13th and on every Friday (OR)', () => {
    // 2026-01-01 is a Thursday; 2026-02-13 is a Friday the 13th (fires once).
    expect(follow('0 0 13 * 5', Date.UTC(2026, 0, 1), 10)).toEqual([
      '2026-01-02T00:00:00', '2026-01-09T00:00:00', '2026-01-13T00:00:00', '2026-01-16T00:00:00', '2026-01-23T00:00:00',
      '2026-01-30T00:00:00', '2026-02-06T00:00:00', '2026-02-13T00:00:00', '2026-02-20T00:00:00', '2026-02-27T00:00:00',
    ]);
  });

  it('0 0 */2 * 1 is odd-numbered Mondays (AND); 0 0 1-31/2 * 1 is odd days or Mondays', () => {
    expect(follow('0 0 */2 * 1', Date.UTC(2026, 0, 1), 4)).toEqual([
      '2026-01-05T00:00:00', '2026-01-19T00:00:00', '2026-02-09T00:00:00', '2026-02-23T00:00:00',
    ]);
    expect(follow('0 0 1-31/2 * 1', Date.UTC(2026, 0, 1), 5)).toEqual([
      '2026-01-01T00:00:00', '2026-01-03T00:00:00', '2026-01-05T00:00:00', '2026-01-07T00:00:00', '2026-01-09T00:00:00',
    ]);
  });

  it('L, nL and n#k', () => {
    expect(follow('0 0 L * *', Date.UTC(2024, 0, 15), 3)).toEqual(['2024-01-31T00:00:00', '2024-02-29T00:00:00', '2024-03-31T00:00:00']);
    expect(follow('0 0 * * 5L', Date.UTC(2026, 0, 1), 3)).toEqual(['2026-01-30T00:00:00', '2026-02-27T00:00:00', '2026-03-27T00:00:00']);
    expect(follow('0 0 * * 1#2', Date.UTC(2026, 0, 1), 3)).toEqual(['2026-01-12T00:00:00', '2026-02-09T00:00:00', '2026-03-09T00:00:00']);
    expect(follow('0 0 * * 5#5', Date.UTC(2026, 0, 1), 2)).toEqual(['2026-01-30T00:00:00', '2026-05-29T00:00:00']);
  });

  it('seconds, rounding up to a whole second, and nicknames', () => {
    expect(follow('*/20 * * * * *', Date.UTC(2026, 0, 1, 0, 0, 0, 1), 3)).toEqual(['2026-01-01T00:00:20', '2026-01-01T00:00:40', '2026-01-01T00:01:00']);
    expect(follow('@hourly', Date.UTC(2026, 0, 1, 0, 0, 0, 1), 2)).toEqual(['2026-01-01T01:00:00', '2026-01-01T02:00:00']);
    expect(follow('@weekly', Date.UTC(2026, 0, 1), 2)).toEqual(['2026-01-04T00:00:00', '2026-01-11T00:00:00']);
    expect(follow('@yearly', Date.UTC(2026, 0, 1), 2)).toEqual(['2026-01-01T00:00:00', '2027-01-01T00:00:00']);
  });

  it('0 0 31 2 * compiles (the trigger rejects never-firing expressions) and never matches', () => {
    const compiled = compileCrontab('0 0 31 2 *');
    expect(new CronSchedule(compiled.fields).firstMatch(Date.UTC(1970, 0, 1))).toBeNull();
    expect(new CronSchedule(compileCrontab('0 0 30 2 *').fields).firstMatch(Date.UTC(1970, 0, 1))).toBeNull();
    // With the weekday side restricted, OR rescues it: every Monday of February.
    expect(follow('0 0 31 2 1', Date.UTC(2026, 0, 1), 2)).toEqual(['2026-02-02T00:00:00', '2026-02-09T00:00:00']);
  });

  it('normalizes whitespace and round-trips', () => {
    const compiled = compileCrontab('  0   9\t* *\n 1-5  ');
    expect(compiled.normalized).toBe('0 9 * * 1-5');
    expect(compileCrontab(compiled.normalized)).toEqual(compiled);
    expect(compileCrontab(' @daily ').normalized).toBe('@daily');
  });
});

describe('a step larger than the span of its range: crontab accepts it, the field form refuses it', () => {
  // Vixie cron sets the bits `for (i = low; i <= high; i += step)`, and cron-parser expands
  // `a-b/n` the same way, so a step past the range's end leaves its start alone. APScheduler,
  // and so the field form, refuses the term instead. Each row: the field-form field, the term,
  // where it goes in a crontab string, the crontab values, and the start the error names.
  type Side = 'seconds' | 'minutes' | 'hours' | 'days' | 'months' | 'weekdays';
  const rows: Array<[string, string, (term: string) => string, Side, number, string]> = [
    ['second', '*/60', (t) => `${t} * * * * *`, 'seconds', 0, '0'],
    ['second', '10-20/11', (t) => `${t} * * * * *`, 'seconds', 10, '10'],
    ['second', '50/10', (t) => `${t} * * * * *`, 'seconds', 50, '50'],
    ['minute', '*/60', (t) => `${t} * * * *`, 'minutes', 0, '0'],
    ['minute', '*/100', (t) => `${t} * * * *`, 'minutes', 0, '0'],
    ['minute', '4-6/3', (t) => `${t} * * * *`, 'minutes', 4, '4'],
    ['minute', '5/55', (t) => `${t} * * * *`, 'minutes', 5, '5'],
    ['hour', '*/24', (t) => `0 ${t} * * *`, 'hours', 0, '0'],
    ['hour', '9-17/9', (t) => `0 ${t} * * *`, 'hours', 9, '9'],
    ['hour', '23/1', (t) => `0 ${t} * * *`, 'hours', 23, '23'],
    ['day', '*/31', (t) => `0 0 ${t} * *`, 'days', 1, '1'],
    ['day', '4-6/3', (t) => `0 0 ${t} * *`, 'days', 4, '4'],
    ['day', '30/2', (t) => `0 0 ${t} * *`, 'days', 30, '30'],
    ['month', '*/12', (t) => `0 0 1 ${t} *`, 'months', 1, '1'],
    ['month', 'jan-mar/5', (t) => `0 0 1 ${t} *`, 'months', 1, 'jan'],
    ['month', '11/2', (t) => `0 0 1 ${t} *`, 'months', 11, '11'],
    ['dayOfWeek', '*/8', (t) => `0 0 * * ${t}`, 'weekdays', 0, '0 (sun)'],
    ['dayOfWeek', 'mon-fri/5', (t) => `0 0 * * ${t}`, 'weekdays', 1, 'mon'],
    ['dayOfWeek', 'fri-mon/4', (t) => `0 0 * * ${t}`, 'weekdays', 5, 'fri'],
    ['dayOfWeek', '6/2', (t) => `0 0 * * ${t}`, 'weekdays', 6, '6 (sat)'],
  ];

  const valuesOf = (expression: string, side: Side): readonly number[] | undefined => {
    const { fields } = compileCrontab(expression);
    if (side === 'days') return fields.dayTerms?.[0]?.kind === 'days' ? fields.dayTerms[0].days : undefined;
    if (side === 'weekdays') return fields.weekdayTerms?.[0]?.kind === 'weekdays' ? fields.weekdayTerms[0].weekdays : undefined;
    return fields[side];
  };

  it.each(rows)('%s %j', (field, term, place, side, start, named) => {
    const expression = place(term);
    // Crontab: accepted, and only the range start is left.
    expect(valuesOf(expression, side)).toEqual([start]);
    expect(() => CronTrigger.fromCrontab(expression, { timezone: 'UTC' })).not.toThrow();
    expect(() => triggerFromJSON({ type: 'cron', expression, timezone: 'UTC' })).not.toThrow();
    // Field form: refused, naming the field, and telling what the crontab string does.
    const e = thrown(() => new CronTrigger({ [field]: term, timezone: 'UTC' }));
    expect(e.error).toBeInstanceOf(InvalidTriggerError);
    expect(e.field).toBe(`cron.${field}`);
    expect(e.value).toBe(term);
    expect(e.message).toContain(`; crontab strings accept it and fire on ${named} only`);
  });

  it('the same schedule written with a step the range can hold is the same in both forms', () => {
    const from = new Date('2024-01-01T00:00:00Z');
    const crontab = CronTrigger.fromCrontab('0 0 4-6/3 * *', { timezone: 'UTC' }).nextFireTimes(3, from).map((d) => d.toISOString());
    const fields = new CronTrigger({ day: '4', timezone: 'UTC' }).nextFireTimes(3, from).map((d) => d.toISOString());
    expect(crontab).toEqual(['2024-01-04T00:00:00.000Z', '2024-02-04T00:00:00.000Z', '2024-03-04T00:00:00.000Z']);
    expect(fields).toEqual(crontab);
  });
});

describe('compileCrontab: invalid input', () => {
  const invalid: unknown[] = [
    '', '   ', '\t\n',
    '@reboot', '@minutely', '@secondly', '@weekdays', '@weekends', '@DAILY', '@daily 5', '@', '@midnight',
    '*', '* * * *', '* * * * * * *', '0 0 1 1 * 2030', '0 0 0 1 1 * 2030 x',
    '0 1-2, 4-7 * * *', '0 1-2 ,4-7 * * *', '0 1-2 , 4-7 * * *',
    'H * * * *', 'H(0-5) * * * *', 'H/5 * * * *', '0 0 * * H', '0 0 * H *', '0 0 H * *',
    '0 0 * * *#2', '0 0 * * ?#2', '0 0 * * 1#6', '0 0 * * 1#0', '0 0 * * #1', '0 0 * * 1#', '0 0 * * 1#2#3', '0 0 * * 1-2#2',
    '60 * * * *', '* 24 * * *', '0 0 0 * *', '0 0 32 * *', '0 0 * 0 *', '0 0 * 13 *', '0 0 * * 8', '60 * * * * *', '-1 * * * *',
    '0 0 L-2 * *', '0 0 LW * *', '0 0 15W * *', '0 0 2L * *', '0 0 L/2 * *', '0 0 * * L', '0 0 * * 5L-6', '0 0 * * 8L', '0 0 l * *',
    '1,,2 * * * *', ',1 * * * *', '1, * * * *', '1 ,* * * *',
    '5-1 * * * *', '*/0 * * * *', '1/0 * * * *', '1-2-3 * * * *', '1/2/3 * * * *', '*-5 * * * *',
    'a * * * *', '0 0 * foo *', '0 0 JAN * *', '0 0 * * funday', '0 0 * * 1.5', '0 0 * * +1', '0 0 * * mon-fr',
    undefined, null, 5, true, {}, [], ['0 0 * * *'], new Date(0),
  ];

  it.each(invalid.map((value) => [JSON.stringify(value) ?? String(value), value]))('%s', (_label, value) => {
    const error = thrown(() => compileCrontab(value as string));
    expect(error.error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_INVALID_TRIGGER');
    expect(error.field).toBe('cron.expression');
    expect(error.value).toBe(value);
    expect(error.message).toMatch(/^Invalid trigger cron\.expression: /);
  });

  it('gives readable reasons', () => {
    expect(thrown(() => compileCrontab('0 1-2, 4-7 * * *')).message).toContain('"0 1-2,4-7 * * *"');
    expect(thrown(() => compileCrontab('* * * * * * *')).message).toContain('year');
    expect(thrown(() => compileCrontab('@reboot')).message).toContain('@daily');
    expect(thrown(() => compileCrontab('60 * * * *')).message).toContain('minute "60"');
    expect(thrown(() => compileCrontab('0 0 * * 8')).message).toContain('day-of-week "8"');
    expect(thrown(() => compileCrontab('H * * * *')).message).toContain('random');
    expect(thrown(() => compileCrontab('')).message).toContain('empty');
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random expressions and random wall starts against the reference.
// ---------------------------------------------------------------------------------------------

/** Terms of a numeric field: values, ranges, steps, `a/n`, `*`. `name` renders values (month/day names). */
function termArb(min: number, max: number, name: (v: number) => fc.Arbitrary<string> = (v) => fc.constant(String(v))): fc.Arbitrary<string> {
  const value = fc.integer({ min, max });
  const pair = fc.tuple(value, value).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const step = fc.integer({ min: 1, max: max - min + 2 });
  return fc.oneof(
    { weight: 3, arbitrary: value.chain(name) },
    { weight: 2, arbitrary: pair.chain(([a, b]) => fc.tuple(name(a), name(b)).map(([x, y]) => `${x}-${y}`)) },
    { weight: 2, arbitrary: fc.constant('*') },
    { weight: 2, arbitrary: step.map((n) => `*/${n}`) },
    { weight: 1, arbitrary: fc.tuple(pair, step).map(([[a, b], n]) => `${a}-${b}/${n}`) },
    { weight: 1, arbitrary: fc.tuple(value, step).map(([a, n]) => `${a}/${n}`) },
  );
}

function fieldArb(term: fc.Arbitrary<string>, whole: string[] = []): fc.Arbitrary<string> {
  const list = fc.array(term, { minLength: 1, maxLength: 3 }).map((items) => items.join(','));
  return fc.oneof({ weight: 4, arbitrary: list }, { weight: 1, arbitrary: fc.constantFrom('*', ...whole) });
}

const casedName = (names: string[], base: number) => (v: number): fc.Arbitrary<string> =>
  v - base < names.length
    ? fc.oneof(fc.constant(String(v)), fc.constantFrom(names[v - base] as string, (names[v - base] as string).toUpperCase()))
    : fc.constant(String(v));

const secondField = fieldArb(termArb(0, 59));
const minuteField = fieldArb(termArb(0, 59));
const hourField = fieldArb(termArb(0, 23), ['?']);
const monthField = fieldArb(termArb(1, 12, casedName(MONTH_NAMES, 1)));
const domField = fieldArb(fc.oneof({ weight: 5, arbitrary: termArb(1, 31) }, { weight: 1, arbitrary: fc.constant('L') }), ['?']);
const dowField = fieldArb(
  fc.oneof(
    { weight: 5, arbitrary: termArb(0, 7, casedName(DOW_NAMES, 0)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }).map((n) => `${n}L`) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 5 })).map(([n, k]) => `${n}#${k}`) },
  ),
  ['?'],
);
const expressionArb = fc
  .tuple(
    fc.option(secondField, { nil: undefined }),
    minuteField,
    hourField,
    domField,
    monthField,
    dowField,
    fc.array(fc.constantFrom(' ', '  ', '\t'), { minLength: 6, maxLength: 6 }),
  )
  .map(([second, ...rest]) => {
    const [minute, hour, dom, month, dow, gaps] = rest as [string, string, string, string, string, string[]];
    const fields = second === undefined ? [minute, hour, dom, month, dow] : [second, minute, hour, dom, month, dow];
    return fields.map((f, i) => `${gaps[i]}${f}`).join('');
  });
const startArb = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 11, 31, 23, 59, 59, 999) });

describe('compileCrontab: property', () => {
  it('firstMatch equals a brute-force search over random expressions and starts', () => {
    let checked = 0;
    let skipped = 0;
    fc.assert(
      fc.property(expressionArb, startArb, (expression, start) => {
        const compiled = compileCrontab(expression);
        expect(compiled.normalized).toBe(expression.trim().split(/\s+/).join(' '));
        expect(compileCrontab(compiled.normalized)).toEqual(compiled);
        const spec = refParse(expression);
        expect(compiled.mode).toBe(refMode(spec.hourText));
        if (checkFrom(expression, start)) checked++;
        else skipped++;
      }),
      { numRuns: 600 },
    );
    // The property only means something if most cases found a match within the window.
    expect(checked).toBeGreaterThan(400);
    expect(skipped).toBeLessThan(200);
  });

  it('consecutive matches agree with the reference', () => {
    fc.assert(
      fc.property(expressionArb, startArb, (expression, start) => {
        checkSequence(expression, start, 5);
      }),
      { numRuns: 150 },
    );
  });
});

describe('crontab errors in the library\'s words', () => {
  it.each<[string, string]>([
    ['61 * * * *', 'minute "61": 61 is outside 0-59'],
    ['* * 32 * *', 'day-of-month "32": 32 is outside 1-31'],
    ['*/0 * * * *', 'minute "*/0": a step of 0 never repeats'],
    ['0 0 * * funday', '"fun" is not a month or weekday name'],
    ['x * * * *', 'not a value this field takes'],
    ['0 0 * * mon#6', 'the number after # must be 1 to 5'],
    ['0 0 * * L', 'L needs a weekday before it'],
  ])('%j: %s, never a dependency\'s wording', (expression, words) => {
    const e = thrown(() => CronTrigger.fromCrontab(expression));
    expect(e.error).toBeInstanceOf(InvalidTriggerError);
    expect(e.field).toBe('cron.expression');
    expect(e.message).toContain(words);
    expect(e.message).not.toMatch(/Constraint error|Validation error|got value|Invalid characters|Invalid range|Invalid step/);
  });

  it('points a crontab string given to the constructor to CronTrigger.fromCrontab', () => {
    const e = thrown(() => new CronTrigger('30 9 * * 1-5' as never));
    expect([e.code, e.field]).toEqual(['ERR_INVALID_TRIGGER', 'cron']);
    expect(e.message).toContain('CronTrigger.fromCrontab(expression)');
  });
});
