import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AndTrigger, OrTrigger } from '../../src/triggers/combining.js';
import { IntervalTrigger, type IntervalTriggerOptions } from '../../src/triggers/interval.js';
import { DateTrigger } from '../../src/triggers/date.js';
import { CalendarIntervalTrigger } from '../../src/triggers/calendar-interval.js';
import { CronTrigger } from '../../src/triggers/cron/cron-trigger.js';
import { FIXED_SET } from '../../src/triggers/sequence.js';
import { TriggerRegistry } from '../../src/triggers/registry.js';
import { MaxIterationsError } from '../../src/errors.js';
import type { AnyTriggerSpec } from '../../src/triggers/specs.js';
import type { Trigger } from '../../src/triggers/trigger.js';
import { triggerContract } from '../contracts/trigger.contract.js';
import { thrown } from '../helpers/thrown.js';
import { nextFireTimes } from '../../src/triggers/preview.js';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const S = Date.UTC(2026, 0, 1, 9); // 2026-01-01T09:00Z, the start of most grids below

/** Fire times in ms: the first at or after `now`, then each strictly after the previous one. */
function follow(trigger: Trigger, now: number, count: number): number[] {
  return nextFireTimes(trigger, count, new Date(now)).map((time) => time.getTime());
}

/** Every `seconds` seconds on the grid from `start` (default S). */
const every = (seconds: number, options: IntervalTriggerOptions = {}): IntervalTrigger =>
  new IntervalTrigger({ seconds, startDate: S, ...options });

/** The sorted points `start + k * periodMs` in [from, to]. */
function grid(start: number, periodMs: number, from: number, to: number): number[] {
  const points: number[] = [];
  for (let t = start; t <= to; t += periodMs) if (t >= from) points.push(t);
  return points;
}

/** A hand-written trigger with a fixed set of times: every hour at `minute`. */
function everyHourAt(minute: number): Trigger {
  return {
    getNextFireTime(previous, now) {
      const from = previous ? previous.getTime() + 1 : now.getTime();
      let t = Math.floor(from / HOUR) * HOUR + minute * MIN;
      if (t < from) t += HOUR;
      return new Date(t);
    },
    toJSON: () => ({ type: 'hourly-at', minute }),
    toString: () => `hourly-at[${minute}]`,
  };
}

/** A hand-written trigger that counts from its previous fire time: first at `now`, then every `seconds`. */
function countdown(seconds: number): Trigger {
  return {
    getNextFireTime: (previous, now) => new Date(previous === null ? now.getTime() : previous.getTime() + seconds * SEC),
    toJSON: () => ({ type: 'countdown', seconds }),
    toString: () => `countdown[${seconds}s]`,
  };
}

/** A registry that also knows `and`, `or` and the two hand-written types (whether or not it has and/or built in). */
function fullRegistry(): TriggerRegistry {
  const registry = new TriggerRegistry();
  const combined = [
    ['and', AndTrigger.fromJSON],
    ['or', OrTrigger.fromJSON],
  ] as const;
  for (const [type, fromJSON] of combined) {
    if (!registry.has(type)) registry.register(type, (spec) => fromJSON(spec, (child) => registry.fromJSON(child)));
  }
  registry.register('hourly-at', (spec) => everyHourAt(spec.minute as number));
  registry.register('countdown', (spec) => countdown(spec.seconds as number));
  return registry;
}

/** The rebuild function a registry passes to fromJSON, written out by hand. */
function rebuild(spec: AnyTriggerSpec): Trigger {
  if (spec?.type === 'and') return AndTrigger.fromJSON(spec, rebuild);
  if (spec?.type === 'or') return OrTrigger.fromJSON(spec, rebuild);
  return plain.fromJSON(spec);
}
const plain = new TriggerRegistry();
plain.register('hourly-at', (spec) => everyHourAt(spec.minute as number));

describe('AndTrigger', () => {
  it('fires where two interval grids from the same start meet: every 6 s and every 10 s -> every 30 s', () => {
    const expected = grid(S, 6 * SEC, S, S + 200 * SEC).filter((t) => (t - S) % (10 * SEC) === 0);
    expect(expected.slice(0, 3)).toEqual([S, S + 30 * SEC, S + 60 * SEC]);
    for (const threshold of [0, 1]) {
      const trigger = new AndTrigger([every(6), every(10)], { threshold });
      expect(follow(trigger, S - HOUR, expected.length)).toEqual(expected);
      expect(trigger.getNextFireTime(null, new Date(S + 31 * SEC))?.getTime()).toBe(S + 60 * SEC);
      expect(trigger.getNextFireTime(null, new Date(S + 60 * SEC))?.getTime()).toBe(S + 60 * SEC); // at now counts
    }
  });

  it('counts intervals without startDate from the previous fire time', () => {
    const trigger = new AndTrigger([new IntervalTrigger({ seconds: 6 }), new IntervalTrigger({ seconds: 10 })]);
    const now = S + 123;
    expect(follow(trigger, now, 3)).toEqual([now + 30 * SEC, now + 60 * SEC, now + 90 * SEC]);
  });

  it('skips children with a fixed set of times ahead in one call, not one fire time at a time', () => {
    // Every second and every hour at :30: stepping the first child would take 1800 rounds.
    // (Threshold 0: with the default 1 s they would already agree at :29:59, the earliest time.)
    const trigger = new AndTrigger([every(1), everyHourAt(30)], { threshold: 0, maxIterations: 3 });
    expect(follow(trigger, S, 3)).toEqual([S + 30 * MIN, S + HOUR + 30 * MIN, S + 2 * HOUR + 30 * MIN]);
  });

  it('agrees within threshold and fires at the earliest of the agreeing times', () => {
    const trigger = new AndTrigger([every(10), every(10, { startDate: S + 600 })]);
    expect(follow(trigger, S, 3)).toEqual([S, S + 10 * SEC, S + 20 * SEC]);
    // From a previous fire time, also one loaded after a restart (a fresh instance): the next agreement.
    const fresh = new AndTrigger([every(10), every(10, { startDate: S + 600 })]);
    expect(fresh.getNextFireTime(new Date(S + 10 * SEC), new Date(S + HOUR))?.getTime()).toBe(S + 20 * SEC);
    const strict = new AndTrigger([every(10), every(10, { startDate: S + 600 })], { threshold: 0.5, maxIterations: 100 });
    expect(thrown(() => strict.getNextFireTime(null, new Date(S))).code).toBe('ERR_MAX_ITERATIONS');
  });

  it('finds, with a threshold, the earliest agreement of grids that never meet exactly', () => {
    // Every 6 s from S and every 10 s from S + 1.5 s, threshold 2 s. Brute force: the smallest
    // time e at or after `from` whose first times at or after e, one per child, are all within
    // 2 s of e; the next search starts after the latest of them.
    const a = grid(S, 6 * SEC, S, S + 400 * SEC);
    const b = grid(S + 1500, 10 * SEC, S, S + 400 * SEC);
    const firstAtOrAfter = (times: number[], t: number): number => times.find((x) => x >= t) ?? Infinity;
    const expected: number[] = [];
    for (let from = S; expected.length < 8; ) {
      const e = [...a, ...b].sort((x, y) => x - y).find((t) => {
        const own = [firstAtOrAfter(a, t), firstAtOrAfter(b, t)];
        return t >= from && Math.min(...own) === t && Math.max(...own) <= t + 2 * SEC;
      })!;
      expected.push(e);
      from = Math.max(firstAtOrAfter(a, e), firstAtOrAfter(b, e)) + 1;
    }
    expect(expected.slice(0, 4)).toEqual([S, S + 11_500, S + 30 * SEC, S + 41_500]);
    const trigger = new AndTrigger([every(6), every(10, { startDate: S + 1500 })], { threshold: 2 });
    expect(follow(trigger, S, expected.length)).toEqual(expected);
  });

  it('throws MaxIterationsError for children that never agree, within the iteration cap', () => {
    let calls = 0;
    const counted = (inner: Trigger): Trigger => ({
      getNextFireTime: (previous, now) => (calls++, inner.getNextFireTime(previous, now)),
      toJSON: () => inner.toJSON(),
      toString: () => inner.toString(),
    });
    const never = new AndTrigger([counted(every(2)), counted(every(2, { startDate: S + SEC }))], { threshold: 0, maxIterations: 500 });
    const error = thrown(() => never.getNextFireTime(null, new Date(S)));
    expect(error.error).toBeInstanceOf(MaxIterationsError);
    expect(error.maxIterations).toBe(500);
    expect(error.message).toContain('500 iterations');
    expect(calls).toBeLessThanOrEqual(2 + 2 * 500 + 4); // one call per child and round, plus the probes
    // The default cap (10,000 rounds) also ends, and so does a broken child that never moves on.
    const stuck: Trigger = { getNextFireTime: () => new Date(S - HOUR), toJSON: () => ({ type: 'stuck' }), toString: () => 'stuck' };
    expect(thrown(() => new AndTrigger([every(2), every(2, { startDate: S + SEC })], { threshold: 0 }).getNextFireTime(null, new Date(S))).code).toBe('ERR_MAX_ITERATIONS');
    expect(thrown(() => new AndTrigger([stuck, every(60)]).getNextFireTime(null, new Date(S))).code).toBe('ERR_MAX_ITERATIONS');
  });

  it('is finished when a child is finished, and never fires after the earliest child endDate', () => {
    expect(follow(new AndTrigger([new DateTrigger(S + 20 * SEC), every(10)]), S, 5)).toEqual([S + 20 * SEC]);
    expect(follow(new AndTrigger([new DateTrigger(S + 25 * SEC), every(10)], { threshold: 0 }), S, 5)).toEqual([]);
    const ending = new AndTrigger([every(6, { endDate: S + 50 * SEC }), every(10)]);
    expect(ending.endDate?.getTime()).toBe(S + 50 * SEC);
    expect(follow(ending, S, 5)).toEqual([S, S + 30 * SEC]);
    // The agreement at S + 20 s is the last: the next one would be after the first child's endDate.
    const late = new AndTrigger([every(10, { endDate: S + 20 * SEC }), every(10, { startDate: S + 600 })]);
    expect(follow(late, S, 5)).toEqual([S, S + 10 * SEC, S + 20 * SEC]);
    expect(new AndTrigger([new DateTrigger(S), everyHourAt(5)]).endDate).toBeNull();
  });

  it('enumerates missed times from a previous fire time before now', () => {
    const trigger = new AndTrigger([every(6), every(10)]);
    const now = new Date(S + HOUR);
    expect(trigger.getNextFireTime(new Date(S), now)?.getTime()).toBe(S + 30 * SEC);
    expect(trigger.getNextFireTime(new Date(S + 31 * SEC), now)?.getTime()).toBe(S + 60 * SEC);
    expect(trigger.nextFireTimes(3, new Date(S + 1)).map((d) => d.getTime())).toEqual([S + 30 * SEC, S + 60 * SEC, S + 90 * SEC]);
  });

  it('moves every child past its own time in an agreement: one child time never serves two fire times', () => {
    // Child a fires at S and S + 1 s, child b at S + 1.5 s. They agree at S (b 1.5 s later): it
    // fires at S. Agreeing again at S + 1 s would reuse b's S + 1.5 s: it is finished instead.
    const dates = (...offsets: number[]) => new OrTrigger(offsets.map((offset) => new DateTrigger(S + offset)));
    const trigger = new AndTrigger([dates(0, SEC), dates(1500)], { threshold: 2 });
    expect(follow(trigger, S - HOUR, 5)).toEqual([S]);
    // b fires again at S + 3 s: a's S + 1 s and b's S + 3 s agree, but a's S + 1 s comes before
    // b's S + 1.5 s, which the agreement at S used, so the next agreement is a's and b's S + 3 s.
    const again = new AndTrigger([dates(0, SEC, 3 * SEC), dates(1500, 3 * SEC)], { threshold: 2 });
    expect(follow(again, S - HOUR, 5)).toEqual([S, S + 3 * SEC]);
    expect(again.getNextFireTime(new Date(S), new Date(S + HOUR))?.getTime()).toBe(S + 3 * SEC);
    // A previous fire time that was no agreement: the first agreement strictly after it.
    expect(again.getNextFireTime(new Date(S + 500), new Date(S + HOUR))?.getTime()).toBe(S + SEC);
  });

  it('is stateless: any previous fire time gives the same answer from a fresh instance', () => {
    const build = () => new AndTrigger([every(6), every(10, { startDate: S + 1500 }), everyHourAt(0)], { threshold: 2 });
    const used = build();
    const times = follow(used, S - HOUR, 6);
    expect(times.slice(0, 2)).toEqual([S, S + HOUR]);
    for (const [i, time] of times.slice(0, -1).entries()) {
      const previous = new Date(time);
      expect(build().getNextFireTime(previous, new Date(S))?.getTime()).toBe(times[i + 1]);
      expect(used.getNextFireTime(previous, new Date(S))?.getTime()).toBe(times[i + 1]);
    }
  });

  it('steps a calendar interval without startDate from its own fire times, keeping its spacing', () => {
    // Every 2 weeks at 09:00 from the day it starts (Wednesday 2026-01-07), and daily at 09:00
    // from 10 days later. Restarting the two-week sequence at the cron's first time (as a fixed
    // set would be) fires on days 10, 24, 38; its own sequence meets the cron on days 14, 28, 42.
    const day = 86_400_000;
    const start = Date.UTC(2026, 0, 7, 8);
    const biweekly = new CalendarIntervalTrigger({ weeks: 2, hour: 9, timezone: 'UTC' });
    expect(biweekly[FIXED_SET]).toBe(false);
    const daily = new CronTrigger({ hour: 9, minute: 0, second: 0, startDate: start + 10 * day, timezone: 'UTC' });
    const expected = [14, 28, 42].map((days) => start + days * day + HOUR);
    expect(follow(new AndTrigger([biweekly, daily]), start, 3)).toEqual(expected);
    expect(follow(new AndTrigger([daily, biweekly], { threshold: 0 }), start, 3)).toEqual(expected);
    // The same inside an or inside an and: the or counts as well, and is stepped.
    expect(follow(new AndTrigger([new OrTrigger([biweekly]), daily]), start, 3)).toEqual(expected);
  });

  it('declares whether its times form a fixed set', () => {
    expect(new AndTrigger([every(6), every(10)], { threshold: 0 })[FIXED_SET]).toBe(true);
    expect(new AndTrigger([every(6), new IntervalTrigger({ seconds: 10 })], { threshold: 0 })[FIXED_SET]).toBe(false);
    expect(new AndTrigger([every(6), everyHourAt(5)], { threshold: 0 })[FIXED_SET]).toBeUndefined(); // probed
    // With a threshold the times depend on where the search started (agreements that overlap
    // the one before are skipped), so a parent steps it rather than jumping into it.
    expect(new AndTrigger([every(6), every(10)])[FIXED_SET]).toBe(false);
    expect(new OrTrigger([every(6), new DateTrigger(S)])[FIXED_SET]).toBe(true);
    expect(new OrTrigger([every(6), new AndTrigger([every(6)])])[FIXED_SET]).toBe(false);
  });
});

describe('OrTrigger', () => {
  it('merges the children, firing a time several children produce once', () => {
    const to = S + 100 * SEC;
    const expected = [...new Set([...grid(S, 6 * SEC, S, to), ...grid(S, 10 * SEC, S, to)])].sort((x, y) => x - y);
    expect(expected.filter((t) => t === S + 30 * SEC)).toHaveLength(1);
    const trigger = new OrTrigger([every(6), every(10)]);
    expect(follow(trigger, S, expected.length)).toEqual(expected);
    expect(trigger.nextFireTimes(3, new Date(S + 1)).map((d) => d.getTime())).toEqual([S + 6 * SEC, S + 10 * SEC, S + 12 * SEC]);
  });

  it('keeps children on their own grid after another child fired', () => {
    // After the 6 s child fired at S + 6 s, the 10 s child still fires at S + 10 s, not S + 16 s.
    const trigger = new OrTrigger([every(6), every(10)]);
    expect(trigger.getNextFireTime(new Date(S + 6 * SEC), new Date(S))?.getTime()).toBe(S + 10 * SEC);
    // The next 7 s grid point after S + 29:59.999 is S + 30:06; the custom child's own time comes first.
    const custom = new OrTrigger([every(7), everyHourAt(30)]);
    expect(custom.getNextFireTime(new Date(S + 30 * MIN - 1), new Date(S))?.getTime()).toBe(S + 30 * MIN);
    expect(custom.getNextFireTime(new Date(S + 30 * MIN), new Date(S))?.getTime()).toBe(S + 30 * MIN + 6 * SEC);
  });

  it('steps children that count from the previous fire time from the combined one', () => {
    // Simulated: each run, the countdown is due 7 s after the previous run; the grid at its next point.
    const expected = [S];
    while (expected.length < 10) {
      const previous = expected.at(-1)!;
      expected.push(Math.min(previous + 7 * SEC, S + (Math.floor((previous - S) / (10 * SEC)) + 1) * 10 * SEC));
    }
    expect(follow(new OrTrigger([countdown(7), every(10)]), S, 10)).toEqual(expected);
    const unanchored = new OrTrigger([new IntervalTrigger({ seconds: 7 }), every(10)]);
    expect(follow(unanchored, S - 1, 10)).toEqual(expected);
    // Also in its last step before its endDate, where stepping on would end it anyway.
    const ending = new OrTrigger([new IntervalTrigger({ seconds: 10, endDate: S + 25 * SEC }), every(60)]);
    expect(ending.getNextFireTime(new Date(S + 14 * SEC), new Date(S))?.getTime()).toBe(S + 24 * SEC);
  });

  it('goes on while any child goes on, and is finished when all are', () => {
    const trigger = new OrTrigger([new DateTrigger(S + 15 * SEC), every(10, { endDate: S + 30 * SEC })]);
    expect(follow(trigger, S, 10)).toEqual([S, S + 10 * SEC, S + 15 * SEC, S + 20 * SEC, S + 30 * SEC]);
    expect(trigger.getNextFireTime(new Date(S + 30 * SEC), new Date(S))).toBeNull();
    expect(trigger.endDate).toBeNull(); // the date child has no endDate
    const bounded = new OrTrigger([every(10, { endDate: S + 30 * SEC }), every(6, { endDate: S + 50 * SEC })]);
    expect(bounded.endDate?.getTime()).toBe(S + 50 * SEC);
    // A past date is the first fire time (misfire rules decide) only when no child has a later one,
    // as for the date alone: "first at or after now" stays the first time at or after now.
    expect(follow(new OrTrigger([new DateTrigger(S - HOUR), new DateTrigger(S - 2 * HOUR)]), S, 3)).toEqual([S - 2 * HOUR, S - HOUR]);
    expect(follow(new OrTrigger([new DateTrigger(S - HOUR), every(10)]), S, 2)).toEqual([S, S + 10 * SEC]);
  });

  it('enumerates missed times from a previous fire time before now', () => {
    const trigger = new OrTrigger([every(6), every(10)]);
    const now = new Date(S + HOUR);
    expect(trigger.getNextFireTime(new Date(S + 6 * SEC), now)?.getTime()).toBe(S + 10 * SEC);
    expect(trigger.getNextFireTime(new Date(S + 10 * SEC), now)?.getTime()).toBe(S + 12 * SEC);
  });
});

describe('nested and JSON', () => {
  it('nests and inside or, and or inside and', () => {
    const orOfAnd = new OrTrigger([new AndTrigger([every(6), every(10)]), new DateTrigger(S + 7 * SEC)]);
    expect(follow(orOfAnd, S, 4)).toEqual([S, S + 7 * SEC, S + 30 * SEC, S + 60 * SEC]);
    // (every 4 s or every 10 s) and every 6 s: multiples of 12 s or of 30 s.
    const expected = grid(S, SEC, S, S + 120 * SEC).filter((t) => (t - S) % (12 * SEC) === 0 || (t - S) % (30 * SEC) === 0);
    const andOfOr = new AndTrigger([new OrTrigger([every(4), every(10)]), every(6)]);
    expect(follow(andOfOr, S, expected.length)).toEqual(expected);
  });

  it('round-trips through JSON with a rebuild function, keeping options and custom children', () => {
    const trigger = new OrTrigger(
      [
        new AndTrigger([every(6), new IntervalTrigger({ seconds: 10, startDate: S, timezone: 'Europe/Berlin' })], { threshold: 0, maxIterations: 50, jitter: 2 }),
        everyHourAt(7),
        new DateTrigger(S + 7 * SEC),
      ],
      { jitter: 3 },
    );
    const spec = trigger.toJSON();
    expect(spec).toEqual({
      type: 'or',
      jitter: 3,
      triggers: [
        { type: 'and', threshold: 0, maxIterations: 50, jitter: 2, triggers: [every(6).toJSON(), expect.objectContaining({ timezone: 'Europe/Berlin' })] },
        { type: 'hourly-at', minute: 7 },
        { type: 'date', runDate: '2026-01-01T09:00:07.000Z' },
      ],
    });
    const copy = OrTrigger.fromJSON(JSON.parse(JSON.stringify(spec)), rebuild);
    expect(copy.toJSON()).toStrictEqual(spec);
    expect(follow(copy, S, 12)).toEqual(follow(trigger, S, 12));
    expect(copy.jitter).toBe(3);
    expect((copy.triggers[0] as AndTrigger).maxIterations).toBe(50);
    expect(new AndTrigger([every(6)]).toJSON()).toStrictEqual({ type: 'and', triggers: [every(6).toJSON()] });
    expect(String(trigger)).toMatch(/^or\[and\[interval\[every 6s, .*\], interval\[every 10s, .*\], threshold=0s, maxIterations=50, jitter=2s\], hourly-at\[7\], date\[.*\], jitter=3s\]$/);
    expect(fullRegistry().fromJSON(spec).toJSON()).toStrictEqual(spec);
  });

  it('keeps its own copy of the children', () => {
    const children = [every(6), every(10)];
    const trigger = new AndTrigger(children);
    children.pop();
    expect(trigger.triggers).toHaveLength(2);
    expect(Object.isFrozen(trigger.triggers)).toBe(true);
  });

  it('rejects bad input with InvalidTriggerError naming the path', () => {
    const cases: [() => unknown, string][] = [
      [() => new AndTrigger([]), 'and.triggers'],
      [() => new OrTrigger('x' as never), 'or.triggers'],
      [() => new AndTrigger([every(6), { getNextFireTime: () => null } as never]), 'and.triggers[1]'],
      [() => new AndTrigger([every(6)], { threshold: -1 }), 'and.threshold'],
      [() => new AndTrigger([every(6)], { threshold: Number.NaN }), 'and.threshold'],
      [() => new AndTrigger([every(6)], { threshold: '1' as never }), 'and.threshold'],
      [() => new AndTrigger([every(6)], { maxIterations: 0 }), 'and.maxIterations'],
      [() => new AndTrigger([every(6)], { maxIterations: 1.5 }), 'and.maxIterations'],
      [() => new AndTrigger([every(6)], { jitter: -1 }), 'and.jitter'],
      [() => new OrTrigger([every(6)], { threshold: 1 } as never), 'or.threshold'],
      [() => new AndTrigger([every(6)], { foo: 1 } as never), 'and.foo'],
      [() => AndTrigger.fromJSON({ type: 'and', triggers: [{ type: 'interval', seconds: 1 }, { type: 'interval', hours: -1 }] }, rebuild), 'and.triggers[1].hours'],
      [() => OrTrigger.fromJSON({ type: 'or', triggers: [{ type: 'and', triggers: [{ type: 'interval', seconds: 1 }, { type: 'interval', hours: 'x' }] }] }, rebuild), 'or.triggers[0].triggers[1].hours'],
      [() => OrTrigger.fromJSON({ type: 'or', triggers: [{ type: 'nope' }] }, rebuild), 'or.triggers[0].type'],
      [() => OrTrigger.fromJSON({ type: 'or', triggers: [42] }, rebuild), 'or.triggers[0]'],
      [() => OrTrigger.fromJSON({ type: 'or', triggers: [{ type: 'interval' }] }, rebuild), 'or.triggers[0]'],
      [() => OrTrigger.fromJSON({ type: 'or', triggers: [] }, rebuild), 'or.triggers'],
      [() => OrTrigger.fromJSON({ type: 'or' }, rebuild), 'or.triggers'],
      [() => AndTrigger.fromJSON({ type: 'and', triggers: [{ type: 'interval', seconds: 1 }], threshold: -2 }, rebuild), 'and.threshold'],
      [() => AndTrigger.fromJSON({ type: 'and', triggers: [], extra: 1 }, rebuild), 'and.extra'],
      [() => AndTrigger.fromJSON({ type: 'or', triggers: [] }, rebuild), 'type'],
      [() => AndTrigger.fromJSON(null, rebuild), 'trigger'],
      [() => fullRegistry().fromJSON({ type: 'and', triggers: [{ type: 'date', runDate: 'soon' }] }), 'and.triggers[0].runDate'],
    ];
    for (const [build, field] of cases) {
      const error = thrown(build);
      expect([error.code, error.field], error.message).toEqual(['ERR_INVALID_TRIGGER', field]);
    }
    const nested = thrown(cases[11]![0]);
    expect(nested.message).toBe('Invalid trigger and.triggers[1].hours: -1 (expected a finite number >= 0)');
    const trigger = new OrTrigger([every(6)]);
    expect(thrown(() => trigger.getNextFireTime(new Date(Number.NaN), new Date(S))).field).toBe('previousFireTime');
    expect(thrown(() => new AndTrigger([every(6)]).getNextFireTime(null, 'now' as never)).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

const startArb = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) });
const jitterArb = fc.option(fc.constantFrom(1, 2.5), { nil: undefined });

/** An interval child: seconds in [1 s, 2 days], anchored or not, maybe with an endDate. */
const intervalArb = fc
  .record({
    seconds: fc.integer({ min: 1, max: 172_800 }),
    start: fc.option(startArb, { nil: null }),
    length: fc.option(fc.integer({ min: 0, max: 400 * 86_400_000 }), { nil: null }),
  })
  .map(({ seconds, start, length }) => {
    const options: IntervalTriggerOptions = { seconds };
    if (start !== null) options.startDate = start;
    if (length !== null) options.endDate = (start ?? Date.UTC(2100, 0, 1)) + length;
    return new IntervalTrigger(options);
  });

triggerContract(
  'OrTrigger of intervals',
  fc
    .record({ children: fc.array(intervalArb, { minLength: 1, maxLength: 4 }), jitter: jitterArb })
    .map(({ children, jitter }) => ({ trigger: new OrTrigger(children, jitter === undefined ? {} : { jitter }), registry: fullRegistry() })),
);

/**
 * Intervals of k × unit (k in 1..10), all without startDate, or on grids from one start shifted by
 * i × offset, where the shifts (at most 400 ms) fit in the threshold: they always meet.
 */
const andArb = fc
  .record({
    unit: fc.constantFrom(SEC, 7 * SEC, MIN, HOUR),
    ks: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 3 }),
    start: fc.option(startArb, { nil: null }),
    shifted: fc.boolean(),
    end: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    threshold: fc.option(fc.constantFrom(0, 0.5, 1, 5), { nil: undefined }),
    jitter: jitterArb,
  })
  .map(({ unit, ks, start, shifted, end, threshold, jitter }) => {
    const offset = shifted && threshold !== 0 ? 200 : 0;
    const children = ks.map((k, i) => {
      const options: IntervalTriggerOptions = { milliseconds: k * unit };
      if (start !== null) options.startDate = start + i * offset;
      if (end !== null && i === end) options.endDate = (start ?? Date.UTC(2100, 0, 1)) + 3000 * unit;
      return new IntervalTrigger(options);
    });
    const options = { ...(threshold === undefined ? {} : { threshold }), ...(jitter === undefined ? {} : { jitter }) };
    return { trigger: new AndTrigger(children, options), registry: fullRegistry() };
  });

triggerContract('AndTrigger of commensurate intervals', andArb);

triggerContract(
  'nested OrTrigger of AndTriggers',
  fc.array(andArb, { minLength: 1, maxLength: 2 }).map((cases) => ({
    trigger: new OrTrigger(cases.map((c) => c.trigger)),
    registry: fullRegistry(),
  })),
  { numRuns: 60, steps: 15 },
);
