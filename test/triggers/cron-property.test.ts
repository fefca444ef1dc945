/**
 * Property tests: the cron trigger (field form) against the brute-force reference of
 * `test/helpers/cron-reference.ts`, on random field sets, random zones with odd DST rules and
 * random start instants biased towards DST transitions.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CronTrigger, type CronTriggerOptions } from '../../src/triggers/cron/cron-trigger.js';
import {
  REF_FIELDS,
  naiveFires,
  refCompile,
  referenceNext,
  cachedTransitions,
  type RefField,
  type RefSpec,
} from '../helpers/cron-reference.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far the reference walks before giving up. */
const BOUND = 2 * 366 * DAY;
const STEPS = 20;

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kolkata',
  'Pacific/Chatham',
] as const;

const iso = (t: number | null | undefined | Date): string =>
  t === null ? 'null' : t === undefined ? 'undefined' : new Date(t instanceof Date ? t.getTime() : t).toISOString();

const transitions = cachedTransitions();

// ---------------------------------------------------------------------------------------------
// Start instants: 1990-2090, most of them within 3 h of a DST transition of the chosen zone.

interface Start {
  zone: string;
  now: number;
}

const startArb: fc.Arbitrary<Start> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    year: fc.integer({ min: 1990, max: 2090 }),
    nearTransition: fc.integer({ min: 0, max: 9 }).map((n) => n < 7),
    pick: fc.nat(),
    offset: fc.integer({ min: -3 * HOUR, max: 3 * HOUR }),
    fraction: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    align: fc.constantFrom('ms', 'second', 'minute', 'quarter'),
  })
  .map(({ zone, year, nearTransition, pick, offset, fraction, align }) => {
    const trs = transitions(zone, year);
    let now =
      nearTransition && trs.length > 0
        ? (trs[pick % trs.length] as number) + offset
        : Date.UTC(year, 0, 1) + Math.floor(fraction * (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)));
    const unit = { ms: 1, second: SECOND, minute: MINUTE, quarter: 15 * MINUTE }[align];
    now = Math.floor(now / unit) * unit;
    return { zone, now };
  });

// ---------------------------------------------------------------------------------------------
// Field terms: values, ranges, steps, lists, names.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** One term of a numeric field in [min, max]; `name` renders a value as a name sometimes. */
function numericTerm(min: number, max: number, name?: (v: number) => string, wraps = false): fc.Arbitrary<string> {
  const value = fc.integer({ min, max });
  const render = (v: number, asName: boolean) => (asName && name ? name(v) : String(v));
  const asName = fc.boolean();
  const span = max - min;
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(value, asName).map(([v, n]) => render(v, n)) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(value, value, asName)
        .map(([a, b, n]) => (wraps || a <= b ? `${render(a, n)}-${render(b, n)}` : `${render(b, n)}-${render(a, n)}`)),
    },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: Math.max(1, Math.ceil(span / 2)) }).map((k) => `*/${k}`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(value, value, fc.integer({ min: 1, max: Math.max(1, Math.ceil(span / 3)) }))
        // The field form refuses a step larger than the range's span (APScheduler's rule): keep k <= b - a.
        .filter(([a, b, k]) => k <= Math.abs(a - b))
        .map(([a, b, k]) => `${Math.min(a, b)}-${Math.max(a, b)}/${k}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min, max: min + Math.floor(span / 2) }), fc.integer({ min: 1, max: Math.max(1, Math.ceil(span / 3)) }))
        .map(([a, k]) => `${a}/${k}`),
    },
  );
}

/** A list of 1-3 terms, sometimes with a space after the comma. */
function list(term: fc.Arbitrary<string>, maxLength = 3): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(term, { minLength: 1, maxLength }), fc.boolean())
    .map(([terms, spaced]) => terms.join(spaced ? ', ' : ','));
}

const secondArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 59 }).map(String) },
  { weight: 1, arbitrary: fc.constant('*') },
  { weight: 2, arbitrary: list(numericTerm(0, 59)) },
);
const minuteArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 59 }).map(String) },
  { weight: 1, arbitrary: fc.constant('*') },
  { weight: 3, arbitrary: list(numericTerm(0, 59)) },
);
const hourArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 23 }).map(String) },
  { weight: 2, arbitrary: fc.constant('*') },
  { weight: 3, arbitrary: numericTerm(0, 23) }, // a single step term: elapsed-time mode
  { weight: 2, arbitrary: list(numericTerm(0, 23)) },
  // hours that touch the usual transition times (00:00-03:00)
  { weight: 3, arbitrary: list(fc.integer({ min: 0, max: 3 }).map(String), 2) },
);
const dayArb = fc.oneof(
  { weight: 4, arbitrary: list(numericTerm(1, 28)) },
  { weight: 1, arbitrary: fc.integer({ min: 29, max: 31 }).map(String) },
  { weight: 1, arbitrary: fc.constant('last') },
  { weight: 1, arbitrary: fc.constantFrom(...WEEKDAYS).map((w) => `last ${w}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('1st', '2nd', '3rd', '4th', '5th'), fc.constantFrom(...WEEKDAYS))
      .map(([n, w]) => `${n} ${w}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 28 }), fc.constantFrom('last', 'last sun', '1st mon', '5th fri'))
      .map(([d, s]) => `${d}, ${s}`),
  },
);
const monthArb = list(numericTerm(1, 12, (v) => MONTHS[v - 1] as string), 2);
const weekArb = fc.oneof(
  fc.integer({ min: 1, max: 53 }).map(String),
  fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 5, max: 23 })).map(([a, n]) => `${a}-${a + n}`),
  fc.integer({ min: 2, max: 4 }).map((k) => `*/${k}`),
);
const dayOfWeekArb = list(numericTerm(0, 7, (v) => WEEKDAYS[v % 7] as string, true), 2);

/** A year term that fires near `startYear`. */
function yearArb(startYear: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.integer({ min: 0, max: 1 }).map((d) => String(startYear + d)),
    fc.integer({ min: 0, max: 1 }).map((d) => `${startYear - 3}-${startYear + d}`),
    fc.constant('*/2'),
    fc.constant(`${startYear}/3`),
  );
}

function maybe<T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(undefined) }, { weight: percent, arbitrary: arb });
}

interface Case {
  zone: string;
  now: number;
  spec: RefSpec;
  startDate: number | null;
  endDate: number | null;
}

const caseArb: fc.Arbitrary<Case> = startArb.chain(({ zone, now }) => {
  const startYear = new Date(now).getUTCFullYear();
  return fc
    .record({
      year: maybe(yearArb(startYear), 5),
      month: maybe(monthArb, 20),
      day: maybe(dayArb, 25),
      week: maybe(weekArb, 6),
      dayOfWeek: maybe(dayOfWeekArb, 25),
      hour: maybe(hourArb, 55),
      minute: maybe(minuteArb, 50),
      second: maybe(secondArb, 35),
      numbers: fc.boolean(),
      startShift: maybe(fc.integer({ min: -30 * DAY, max: 30 * DAY }), 15),
      endShift: maybe(fc.integer({ min: 0, max: 120 * DAY }), 20),
    })
    .map(({ numbers, startShift, endShift, ...fields }) => {
      const spec: RefSpec = {};
      for (const name of REF_FIELDS) {
        const v = fields[name as RefField];
        if (v === undefined) continue;
        spec[name] = numbers && /^\d+$/.test(v) ? Number(v) : v;
      }
      const startDate = startShift === undefined ? null : now + startShift;
      const endDate = endShift === undefined ? null : Math.max(now, startDate ?? now) + endShift;
      return { zone, now, spec, startDate, endDate };
    });
});

function build(c: Case): CronTrigger {
  const options: CronTriggerOptions = { ...c.spec, timezone: c.zone };
  if (c.startDate !== null) options.startDate = new Date(c.startDate);
  if (c.endDate !== null) options.endDate = new Date(c.endDate);
  return new CronTrigger(options);
}

function describeCase(c: Case): string {
  return `new CronTrigger(${JSON.stringify({
    ...c.spec,
    timezone: c.zone,
    ...(c.startDate !== null ? { startDate: iso(c.startDate) } : {}),
    ...(c.endDate !== null ? { endDate: iso(c.endDate) } : {}),
  })}) from now=${iso(c.now)}`;
}

/** Follows the implementation and the reference side by side; returns the implementation's times. */
function checkAgainstReference(c: Case): number[] {
  const trigger = build(c);
  const compiled = refCompile(c.spec);
  expect(trigger.dstMode, describeCase(c)).toBe(compiled.elapsed ? 'elapsed' : 'fixed');
  const times: number[] = [];
  let previous: number | null = null;
  const nowDate = new Date(c.now);
  for (let i = 0; i <= STEPS; i++) {
    const got = trigger.getNextFireTime(previous === null ? null : new Date(previous), nowDate);
    const want = referenceNext(compiled, c.zone, c.now, { previous, startDate: c.startDate, endDate: c.endDate, boundMs: BOUND });
    const where = `${describeCase(c)}, call ${i} (previous=${iso(previous)})`;
    if (want === undefined) {
      // The reference gave up after BOUND: the implementation must not have found anything in it.
      const searchStart = Math.max(previous === null ? c.now : previous + 1, c.startDate ?? -Infinity);
      if (got !== null) expect(got.getTime(), `${where}: reference found nothing within the bound`).toBeGreaterThan(searchStart + BOUND);
      break;
    }
    expect(iso(got), where).toBe(iso(want));
    if (got === null) break;
    const t = got.getTime();
    if (previous === null) expect(t, `${where}: first fire before now`).toBeGreaterThanOrEqual(c.now);
    else expect(t, `${where}: not strictly increasing`).toBeGreaterThan(previous);
    if (c.endDate !== null) expect(t, `${where}: after endDate`).toBeLessThanOrEqual(c.endDate);
    if (c.startDate !== null) expect(t, `${where}: before startDate`).toBeGreaterThanOrEqual(c.startDate);
    times.push(t);
    previous = t;
  }
  return times;
}

// ---------------------------------------------------------------------------------------------
// Crontab strings, translated to the field form for the reference (Vixie's OR rule added).

const noSpaces = (term: fc.Arbitrary<string>, maxLength = 3) =>
  fc.array(term, { minLength: 1, maxLength }).map((terms) => terms.join(','));
const star = fc.constant('*');

interface CrontabCase {
  zone: string;
  now: number;
  expression: string;
  spec: RefSpec;
  dayOr: boolean;
}

const crontabArb: fc.Arbitrary<CrontabCase> = startArb.chain(({ zone, now }) =>
  fc
    .record({
      second: fc.option(fc.oneof(fc.integer({ min: 0, max: 59 }).map(String), star, noSpaces(numericTerm(0, 59), 2)), { nil: undefined }),
      minute: fc.oneof(fc.integer({ min: 0, max: 59 }).map(String), star, noSpaces(numericTerm(0, 59))),
      hour: fc.oneof(
        fc.integer({ min: 0, max: 23 }).map(String),
        star,
        numericTerm(0, 23),
        noSpaces(numericTerm(0, 23)),
        noSpaces(fc.integer({ min: 0, max: 3 }).map(String), 2),
      ),
      dom: fc.oneof({ weight: 4, arbitrary: star }, { weight: 3, arbitrary: noSpaces(numericTerm(1, 28), 2) }, { weight: 1, arbitrary: fc.constant('L') }),
      month: fc.oneof({ weight: 4, arbitrary: star }, { weight: 2, arbitrary: noSpaces(numericTerm(1, 12, (v) => MONTHS[v - 1] as string), 2) }),
      // No wrapping ranges here (`mon-sun` reads as 1-0): see cron-fields.test.ts for those.
      dow: fc.oneof({ weight: 3, arbitrary: star }, { weight: 2, arbitrary: noSpaces(numericTerm(0, 7, (v) => (v === 7 ? '7' : (WEEKDAYS[v] as string))), 2) }),
    })
    .map(({ second, minute, hour, dom, month, dow }) => {
      const expression = [...(second === undefined ? [] : [second]), minute, hour, dom, month, dow].join(' ');
      const spec: RefSpec = {
        second: second ?? '0',
        minute,
        hour,
        day: dom === 'L' ? 'last' : dom,
        month,
        dayOfWeek: dow,
      };
      // Vixie cron: OR only when neither day field starts with `*`.
      return { zone, now, expression, spec, dayOr: !dom.startsWith('*') && !dow.startsWith('*') };
    }),
);

/** Sub-hourly specs over 3-hour windows that contain a transition: where the DST rule acts. */
const windowArb = fc.record({
  zone: fc.constantFrom(...ZONES.filter((z) => z !== 'UTC' && z !== 'Asia/Kolkata')),
  year: fc.integer({ min: 1990, max: 2090 }),
  pick: fc.nat(),
  lead: fc.integer({ min: 0, max: 150 }).map((m) => m * MINUTE),
  spec: fc.record({
    hour: fc.constantFrom('*', '*/2', '1', '2', '0-3', '1,2', '23,0', '3'),
    minute: fc.constantFrom('*/15', '0,30', '*/7', '59', '*', '45'),
    second: fc.constantFrom('0', '*/20', '59'),
  }),
});

describe('the reference itself', () => {
  it('its skipping walk equals the plain second-by-second rule (3-hour windows around transitions)', () => {
    const windowMs = 3 * HOUR;
    fc.assert(
      fc.property(windowArb, ({ zone, year, pick, lead, spec }) => {
        const trs = transitions(zone, year);
        fc.pre(trs.length > 0);
        const now = (trs[pick % trs.length] as number) - lead;
        const compiled = refCompile(spec);
        const walked: number[] = [];
        let previous: number | null = null;
        for (;;) {
          const next = referenceNext(compiled, zone, now, { previous, boundMs: windowMs });
          if (next === null || next === undefined || next >= now + windowMs) break;
          walked.push(next);
          previous = next;
        }
        const naive = naiveFires(spec, zone, now, now + windowMs);
        expect(walked.map(iso), `${JSON.stringify(spec)} in ${zone} from ${iso(now)}`).toEqual(naive.map(iso));
      }),
      { numRuns: 12 },
    );
  });
});

describe('CronTrigger against the brute-force reference (fast-check)', () => {
  it('getNextFireTime agrees with the reference for the first and 20 successive fire times', () => {
    let rejected = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        try {
          build(c);
        } catch (error) {
          // Only never-matching field sets may be refused, and then the reference finds nothing.
          const e = error as { code?: string; field?: string };
          expect(e.code, describeCase(c)).toBe('ERR_INVALID_TRIGGER');
          expect(e.field, describeCase(c)).toBe('cron');
          expect(referenceNext(c.spec, c.zone, c.now, { boundMs: BOUND }), describeCase(c)).toBeUndefined();
          rejected++;
          return;
        }
        checkAgainstReference(c);
      }),
      { numRuns: 260 },
    );
    // The generator must mostly build triggers that fire.
    expect(rejected).toBeLessThan(60);
  });

  it('toJSON -> CronTrigger.fromJSON gives a trigger with identical results', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        let trigger: CronTrigger;
        try {
          trigger = build(c);
        } catch {
          return;
        }
        const json = JSON.parse(JSON.stringify(trigger.toJSON())) as unknown;
        const copy = CronTrigger.fromJSON(json);
        expect(copy.toJSON()).toEqual(trigger.toJSON());
        expect(copy.toString()).toBe(trigger.toString());
        expect(copy.dstMode).toBe(trigger.dstMode);
        const now = new Date(c.now);
        expect(copy.nextFireTimes(STEPS, now).map(iso), describeCase(c)).toEqual(trigger.nextFireTimes(STEPS, now).map(iso));
      }),
      { numRuns: 150 },
    );
  });

  it('the same expression asked from every instant around a transition gives consistent answers', () => {
    // For fire times f1 < f2 of a trigger and any now in (f1, f2], getNextFireTime(null, now) = f2.
    fc.assert(
      fc.property(caseArb, (c) => {
        let trigger: CronTrigger;
        try {
          trigger = new CronTrigger({ ...c.spec, timezone: c.zone });
        } catch {
          return;
        }
        const [f1, f2] = trigger.nextFireTimes(2, new Date(c.now)).map((d) => d.getTime());
        if (f1 === undefined || f2 === undefined) return;
        for (const now of [f1 + 1, f1 + SECOND, Math.floor((f1 + f2) / 2), f2 - 1, f2]) {
          if (now <= f1 || now > f2) continue;
          expect(iso(trigger.getNextFireTime(null, new Date(now))), `${describeCase(c)} asked at ${iso(now)}`).toBe(iso(f2));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('crontab strings agree with the reference (OR of day of month and day of week when both are restricted)', () => {
    fc.assert(
      fc.property(crontabArb, (c) => {
        const where = `CronTrigger.fromCrontab(${JSON.stringify(c.expression)}, { timezone: '${c.zone}' }) from now=${iso(c.now)}`;
        let trigger: CronTrigger;
        try {
          trigger = CronTrigger.fromCrontab(c.expression, { timezone: c.zone });
        } catch (error) {
          const e = error as { code?: string; field?: string; message?: string };
          expect(e.code, `${where}: ${e.message}`).toBe('ERR_INVALID_TRIGGER');
          expect(e.field, `${where}: ${e.message}`).toBe('cron');
          return;
        }
        const compiled = refCompile(c.spec, { dayOr: c.dayOr });
        expect(trigger.dstMode, where).toBe(compiled.elapsed ? 'elapsed' : 'fixed');
        let previous: number | null = null;
        for (let i = 0; i <= 10; i++) {
          const got = trigger.getNextFireTime(previous === null ? null : new Date(previous), new Date(c.now));
          const want = referenceNext(compiled, c.zone, c.now, { previous, boundMs: BOUND });
          if (want === undefined) {
            if (got !== null) expect(got.getTime(), where).toBeGreaterThan((previous ?? c.now) + BOUND);
            break;
          }
          expect(iso(got), `${where}, call ${i}`).toBe(iso(want));
          if (want === null) break;
          previous = want;
        }
        const copy = CronTrigger.fromJSON(JSON.parse(JSON.stringify(trigger.toJSON())));
        expect(copy.nextFireTimes(5, new Date(c.now)).map(iso), where).toEqual(trigger.nextFireTimes(5, new Date(c.now)).map(iso));
      }),
      { numRuns: 150 },
    );
  });
});
