import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CalendarIntervalTrigger, CronTrigger, IntervalTrigger } from '../../src/index.js';
import type { Trigger } from '../../src/index.js';
import { nextAfter } from '../../src/scheduler/fire-times.js';
import {
  MAX_CATCH_UP,
  MAX_COUNTED_SLOTS,
  MAX_LISTED_SLOTS,
  jitterDelay,
  planDueRuns,
  type DuePlan,
  type SlotSpan,
} from '../../src/scheduler/plan.js';

const S = 1_000;
const HOUR = 3_600 * S;
const DAY = 24 * HOUR;
const start = Date.parse('2026-01-05T00:00:00.000Z');
const everySecond = new IntervalTrigger({ seconds: 1, startDate: new Date(start) });
const seconds = (...ks: number[]): number[] => ks.map((k) => start + k * S);

/** Counts the calls a plan makes to its trigger. */
function counted(trigger: Trigger): { trigger: Trigger; calls: () => number } {
  let calls = 0;
  const proxy = new Proxy(trigger, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== 'getNextFireTime' || typeof value !== 'function') return value;
      return (previous: Date | null, now: Date) => {
        calls++;
        return (value as Trigger['getNextFireTime']).call(target, previous, now);
      };
    },
  });
  return { trigger: proxy, calls: () => calls };
}

/** A custom trigger that counts from its previous fire time (no fixed set): every `ms`. */
const countingEvery = (ms: number): Trigger => ({
  getNextFireTime: (previous, now) => new Date((previous ?? now).getTime() + ms),
  toJSON: () => ({ type: 'counting', ms }),
  toString: () => `counting[${ms}]`,
});

/** Every slot the trigger has in [first, now], by brute force, and the first one after now. */
function bruteForce(trigger: Trigger, first: number, now: number): { due: number[]; next: number | null } {
  const due = [first];
  let next = nextAfter(trigger, first, new Date(now));
  while (next !== null && next <= now) {
    due.push(next);
    next = nextAfter(trigger, next, new Date(now));
  }
  return { due, next };
}

/** What a span must say about `slots` (a non-empty, sorted list of due slots). */
function expectSpan(span: SlotSpan | null, slots: number[]): void {
  if (slots.length === 0) {
    expect(span).toBeNull();
    return;
  }
  expect(span).not.toBeNull();
  const { first, last, count, listed } = span as SlotSpan;
  expect([first, last]).toEqual([slots[0], slots[slots.length - 1]]);
  if (count !== null) expect(count).toBe(slots.length);
  // Counted exactly whenever the slots were few enough to walk.
  if (slots.length <= MAX_COUNTED_SLOTS) expect(count).toBe(slots.length);
  expect(listed).toEqual(slots.length <= MAX_LISTED_SLOTS ? slots : null);
}

/** Checks a plan against the brute-force slots; returns how many slots were due. */
function expectPlan(plan: DuePlan, trigger: Trigger, first: number, now: number, grace: number | null, coalesce: 'latest' | 'earliest' | 'all'): number {
  const { due, next } = bruteForce(trigger, first, now);
  const kept = due.filter((t) => grace === null || now - t <= grace);
  const missed = due.filter((t) => !kept.includes(t));
  expect(plan.nextRunTime).toBe(next);
  expect(plan.failure).toBeNull();
  expectSpan(plan.missed, missed);
  if (kept.length === 0) {
    expect([plan.run, plan.series]).toEqual([null, null]);
  } else if (kept.length === 1) {
    expect(plan.run).toEqual({ scheduledRunTime: kept[0], span: null });
    expect(plan.series).toBeNull();
  } else if (coalesce === 'all') {
    expect(plan.run).toBeNull();
    expectSpan(plan.series, kept);
  } else {
    expect(plan.series).toBeNull();
    expect(plan.run?.scheduledRunTime).toBe(coalesce === 'latest' ? kept[kept.length - 1] : kept[0]);
    expectSpan(plan.run?.span ?? null, kept);
  }
  return due.length;
}

describe('planDueRuns', () => {
  it('plans one due slot without a span', () => {
    const plan = planDueRuns(everySecond, start, start + 500, null, 'latest');
    expect(plan).toMatchObject({ run: { scheduledRunTime: start, span: null }, series: null, missed: null, nextRunTime: start + S });
  });

  it('lists a short backlog: every slot from the stored one up to now, and the next slot after now', () => {
    const plan = planDueRuns(everySecond, start, start + 5 * S + 500, null, 'all');
    expect(plan.series).toEqual({ first: start, last: start + 5 * S, count: 6, listed: seconds(0, 1, 2, 3, 4, 5) });
    expect(plan.missed).toBeNull();
    expect(plan.nextRunTime).toBe(start + 6 * S);
  });

  it('coalesces to the latest or the earliest slot, standing for all of them', () => {
    const span = { first: start, last: start + 3 * S, count: 4, listed: seconds(0, 1, 2, 3) };
    expect(planDueRuns(everySecond, start, start + 3 * S, null, 'latest').run).toEqual({ scheduledRunTime: start + 3 * S, span });
    expect(planDueRuns(everySecond, start, start + 3 * S, null, 'earliest').run).toEqual({ scheduledRunTime: start, span });
  });

  it('marks slots later than the grace time as missed and coalesces the rest', () => {
    const plan = planDueRuns(everySecond, start, start + 5 * S, 2 * S, 'earliest');
    expect(plan.missed).toEqual({ first: start, last: start + 2 * S, count: 3, listed: seconds(0, 1, 2) });
    expect(plan.run).toEqual({ scheduledRunTime: start + 3 * S, span: { first: start + 3 * S, last: start + 5 * S, count: 3, listed: seconds(3, 4, 5) } });
  });

  it('runs nothing when every slot is past the grace time', () => {
    const plan = planDueRuns(everySecond, start, start + 10 * S + 600, 0.5 * S, 'latest');
    expect([plan.run, plan.series]).toEqual([null, null]);
    expect(plan.missed?.count).toBe(11);
    expect(plan.nextRunTime).toBe(start + 11 * S);
  });

  it('describes a long backlog by its ends: no list of thousands of instants', () => {
    const now = start + DAY + 300;
    const plan = planDueRuns(everySecond, start, now, 60 * S, 'latest');
    // Grace ends 59.7 s before now: slots up to DAY - 60 s are missed, the last 60 are kept.
    expect(plan.missed).toEqual({ first: start, last: start + DAY - 60 * S, count: 86_341, listed: null });
    expect(plan.run?.scheduledRunTime).toBe(start + DAY);
    expect(plan.run?.span).toEqual({ first: start + DAY - 59 * S, last: start + DAY, count: 60, listed: seconds(...Array.from({ length: 60 }, (_, k) => 86_341 + k)) });
    expect(plan.nextRunTime).toBe(start + DAY + S);
  });

  it.each([
    ['an interval on a grid', new IntervalTrigger({ seconds: 1, startDate: new Date(start) })],
    ['an interval counting from its previous fire time', new IntervalTrigger({ seconds: 1 })],
    ['an every-second cron', CronTrigger.fromCrontab('* * * * * *', { timezone: 'America/New_York' })],
    ['a cron of the field form', new CronTrigger({ second: '*/2', timezone: 'Europe/Berlin' })],
  ])('costs the same number of trigger calls after an hour, a day or a year of outage: %s', (_, trigger) => {
    const costs = [HOUR, DAY, 365 * DAY].map((outage) => {
      const { trigger: probe, calls } = counted(trigger);
      const first = trigger.getNextFireTime(null, new Date(start))?.getTime() as number;
      const plan = planDueRuns(probe, first, first + outage, 30 * S, 'latest');
      expect(plan.run).not.toBeNull();
      expect(plan.missed?.first).toBe(first);
      return calls();
    });
    // The walk stops at MAX_COUNTED_SLOTS, then a few binary searches: never the whole outage.
    for (const cost of costs) expect(cost).toBeLessThanOrEqual(MAX_COUNTED_SLOTS + 250);
    expect(Math.max(...costs) - Math.min(...costs)).toBeLessThanOrEqual(150);
  });

  it('walks a trigger it cannot jump over slot by slot, up to MAX_CATCH_UP, then resumes after now', () => {
    const now = start + (MAX_CATCH_UP + 50_000) * S + 300;
    const plan = planDueRuns(countingEvery(S), start, now, null, 'latest');
    expect(plan.skippedBacklog).toBe(true);
    expect(plan.run?.scheduledRunTime).toBe(start + (MAX_CATCH_UP - 1) * S);
    expect(plan.run?.span?.count).toBe(MAX_CATCH_UP);
    expect(plan.nextRunTime).toBeGreaterThan(now);
  });

  it('counts the kept slots exactly when the walk reached the grace time just before it jumped', () => {
    // 1,001 slots every 5 s, grace 5 s: the walk stops at slot 999, already kept; slot 1,000 is
    // jumped to and must still be counted, as a span of two.
    const cron = CronTrigger.fromCrontab('*/5 * * * * *', { timezone: 'America/New_York' });
    const first = cron.getNextFireTime(null, new Date(start))?.getTime() as number;
    const now = first + 5_000 * S;
    for (const coalesce of ['latest', 'earliest', 'all'] as const) {
      const plan = planDueRuns(cron, first, now, 5 * S, coalesce);
      expect(expectPlan(plan, cron, first, now, 5 * S, coalesce)).toBe(1_001);
      expect((plan.run?.span ?? plan.series)?.count).toBe(2);
    }
  });

  it('agrees with a brute-force walk on random schedules, outages, grace times and policies', () => {
    const triggers: [string, Trigger][] = [
      ['interval grid 7s', new IntervalTrigger({ seconds: 7, startDate: new Date(start) })],
      ['interval from previous 3s', new IntervalTrigger({ seconds: 3 })],
      ['interval with an end', new IntervalTrigger({ seconds: 2, startDate: new Date(start), endDate: new Date(start + 2_500 * S) })],
      ['cron */5 New York', CronTrigger.fromCrontab('*/5 * * * * *', { timezone: 'America/New_York' })],
      ['cron 2:30 daily Berlin', new CronTrigger({ hour: 2, minute: 30, timezone: 'Europe/Berlin' })],
      ['cron */10 hour * Sydney', CronTrigger.fromCrontab('0 */10 * * * *', { timezone: 'Australia/Sydney' })],
      ['calendar daily from start', new CalendarIntervalTrigger({ days: 1, hour: 0, minute: 30, startDate: new Date(start), timezone: 'America/Santiago' })],
      ['custom counting 4s', countingEvery(4 * S)],
    ];
    let long = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...triggers),
        fc.integer({ min: 0, max: 20_000 }),
        fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
        fc.constantFrom('latest' as const, 'earliest' as const, 'all' as const),
        fc.integer({ min: 0, max: 400 }),
        ([, trigger], lateness, grace, coalesce, startDays) => {
          const from = start + startDays * DAY;
          const first = trigger.getNextFireTime(null, new Date(from))?.getTime();
          if (first === undefined) return; // a trigger that ended before `from`
          // Mostly hours of outage; some days, where the plan jumps and the model still walks.
          const now = first + lateness * (lateness > 15_000 ? 5 * S : S);
          const graceMs = grace === null ? null : grace * S;
          const due = expectPlan(planDueRuns(trigger, first, now, graceMs, coalesce), trigger, first, now, graceMs, coalesce);
          if (due > MAX_COUNTED_SLOTS) long++;
        },
      ),
      { numRuns: 200 },
    );
    // The jump path (backlogs longer than the walk) must be exercised, not just short ones.
    expect(long).toBeGreaterThan(10);
  }, 60_000);

  it('runs the due slot and reports the failure when the trigger cannot give the following one', () => {
    const failing: Trigger = {
      getNextFireTime: (previous, now) => {
        if (previous !== null) throw new RangeError('no time after this one');
        return now;
      },
      toJSON: () => ({ type: 'failing' }),
      toString: () => 'failing',
    };
    const plan = planDueRuns(failing, start, start + S, null, 'latest');
    expect(plan.run).toEqual({ scheduledRunTime: start, span: null });
    expect(plan.nextRunTime).toBeNull();
    expect(plan.failure).toMatchObject({ code: 'ERR_INVALID_TRIGGER', cause: expect.any(RangeError) });
  });

  it('keeps the due slots found before a trigger fails in a backlog', () => {
    let calls = 0;
    const flaky: Trigger = {
      getNextFireTime: (previous, now) => {
        if (previous === null) return now;
        if (++calls > 3) throw new Error('broken');
        return new Date(previous.getTime() + S);
      },
      toJSON: () => ({ type: 'flaky' }),
      toString: () => 'flaky',
    };
    const plan = planDueRuns(flaky, start, start + 10 * S, null, 'all');
    expect(plan.series).toEqual({ first: start, last: start + 3 * S, count: 4, listed: seconds(0, 1, 2, 3) });
    expect(plan.failure).toMatchObject({ code: 'ERR_INVALID_TRIGGER' });
  });

  it('rejects a trigger that does not move forward', () => {
    const stuck: Trigger = { getNextFireTime: (previous) => previous, toJSON: () => ({ type: 'stuck' }), toString: () => 'stuck' };
    expect(planDueRuns(stuck, start, start + S, null, 'latest').failure).toMatchObject({ code: 'ERR_INVALID_TRIGGER' });
    expect(() => nextAfter(stuck, start, new Date(start))).toThrow(/later than the previous fire time/);
  });
});

describe('jitterDelay', () => {
  it('stays within [0, jitter], before the next slot and not after the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: null }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (jitter, untilNext, untilEnd, random) => {
          const now = start;
          const next = untilNext === null ? null : now + untilNext;
          const end = untilEnd === null ? null : now + untilEnd;
          const delay = jitterDelay(jitter, now, next, end, () => random);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(jitter);
          if (next !== null) expect(now + delay).toBeLessThan(Math.max(next, now + 1));
          if (end !== null) expect(now + delay).toBeLessThanOrEqual(end);
        },
      ),
    );
  });

  it('can reach both ends of its range', () => {
    expect(jitterDelay(10_000, start, null, null, () => 0)).toBe(0);
    expect(jitterDelay(10_000, start, null, null, () => 0.999999999)).toBe(10_000);
  });
});
