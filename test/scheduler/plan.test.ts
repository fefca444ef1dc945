import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IntervalTrigger } from '../../src/index.js';
import { MAX_CATCH_UP, jitterDelay, nextAfter, planDueRuns } from '../../src/scheduler/plan.js';
import type { Trigger } from '../../src/index.js';

const S = 1_000;
const start = Date.parse('2026-01-05T00:00:00.000Z');
const everySecond = new IntervalTrigger({ seconds: 1, startDate: new Date(start) });

describe('planDueRuns', () => {
  it('enumerates every slot from the stored one up to now and the next slot after now', () => {
    const plan = planDueRuns(everySecond, start, start + 5 * S + 500, null, 'all');
    expect(plan.runs.map((run) => run.scheduledRunTime)).toEqual([0, 1, 2, 3, 4, 5].map((k) => start + k * S));
    expect(plan.missed).toEqual([]);
    expect(plan.nextRunTime).toBe(start + 6 * S);
  });

  it('coalesces to the latest or the earliest slot, standing for all of them', () => {
    const latest = planDueRuns(everySecond, start, start + 3 * S, null, 'latest');
    expect(latest.runs).toEqual([{ scheduledRunTime: start + 3 * S, scheduledRunTimes: [0, 1, 2, 3].map((k) => start + k * S) }]);
    const earliest = planDueRuns(everySecond, start, start + 3 * S, null, 'earliest');
    expect(earliest.runs).toEqual([{ scheduledRunTime: start, scheduledRunTimes: [0, 1, 2, 3].map((k) => start + k * S) }]);
  });

  it('marks slots later than the grace time as missed and coalesces the rest', () => {
    const plan = planDueRuns(everySecond, start, start + 5 * S, 2 * S, 'earliest');
    expect(plan.missed).toEqual([0, 1, 2].map((k) => start + k * S));
    expect(plan.runs).toEqual([{ scheduledRunTime: start + 3 * S, scheduledRunTimes: [start + 3 * S, start + 4 * S, start + 5 * S] }]);
  });

  it('runs nothing when every slot is past the grace time', () => {
    const plan = planDueRuns(everySecond, start, start + 10 * S + 600, 0.5 * S, 'latest');
    expect(plan.runs).toEqual([]);
    expect(plan.missed).toHaveLength(11);
    expect(plan.nextRunTime).toBe(start + 11 * S);
  });

  it('bounds a huge backlog and resumes after now', () => {
    const now = start + (MAX_CATCH_UP + 50_000) * S + 300;
    const plan = planDueRuns(everySecond, start, now, null, 'latest');
    expect(plan.skippedBacklog).toBe(true);
    expect(plan.runs).toHaveLength(1);
    expect(plan.nextRunTime).toBeGreaterThan(now);
    expect(plan.nextRunTime).toBe(start + (MAX_CATCH_UP + 50_001) * S);
  });

  it('rejects a trigger that does not move forward', () => {
    const stuck: Trigger = { getNextFireTime: (previous) => previous, toJSON: () => ({ type: 'stuck' }), toString: () => 'stuck' };
    expect(() => planDueRuns(stuck, start, start + S, null, 'latest')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_TRIGGER' }));
    expect(() => nextAfter(stuck, start, new Date(start))).toThrow(/later than the previous fire time/);
  });

  it('agrees with a brute-force model on random interval schedules', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 5_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
        fc.constantFrom('latest' as const, 'earliest' as const, 'all' as const),
        (interval, lateness, grace, coalesce) => {
          const trigger = new IntervalTrigger({ milliseconds: interval, startDate: new Date(start) });
          const now = start + lateness;
          const plan = planDueRuns(trigger, start, now, grace, coalesce);
          const due: number[] = [];
          for (let t = start; t <= now; t += interval) due.push(t);
          const kept = due.filter((t) => grace === null || now - t <= grace);
          expect(plan.missed).toEqual(due.filter((t) => !kept.includes(t)));
          const ran = plan.runs.map((run) => run.scheduledRunTime);
          if (kept.length === 0) expect(ran).toEqual([]);
          else if (coalesce === 'all') expect(ran).toEqual(kept);
          else expect(ran).toEqual([coalesce === 'latest' ? kept[kept.length - 1] : kept[0]]);
          expect(plan.nextRunTime).toBe((due[due.length - 1] as number) + interval);
        },
      ),
    );
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
