import { describe, expect, it } from 'vitest';
import { DateTrigger, IntervalTrigger } from '../../src/index.js';
import type { Clock, JobContext } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { T0, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';
import { Scheduler } from '../../src/index.js';

const S = 1_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(T0 + ms);

/**
 * Wraps a clock and records every delay the scheduler arms; `early` makes each timer fire that
 * fraction of its delay too soon (as when the wall clock runs fast against the monotonic one).
 */
function spyingClock(inner: VirtualClock, early = 0): Clock & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    now: () => inner.now(),
    setTimeout: (callback, delayMs) => {
      delays.push(delayMs);
      return inner.setTimeout(callback, delayMs === 0 ? 0 : Math.max(1, Math.floor(delayMs * (1 - early))));
    },
    clearTimeout: (timer) => inner.clearTimeout(timer),
  };
}

describe('the timing loop', () => {
  it('never arms a timer beyond the wait cap, and re-reads the clock on each wake', async () => {
    const { clock, scheduler } = makeScheduler();
    await scheduler.addJob(() => 1, new DateTrigger(at(400 * DAY)));
    await scheduler.start();
    await clock.advance(0);
    expect(clock.nextTimerDelay()).toBe(60_000);
    await clock.advance(60_000);
    expect(clock.nextTimerDelay()).toBe(60_000);
    await scheduler.shutdown();
  });

  it('runs a job due in 400 days exactly once, with no timer over 2^31-1 ms', async () => {
    const inner = new VirtualClock(T0);
    const clock = spyingClock(inner);
    const scheduler = new Scheduler({ clock, timezone: 'UTC', maxWait: 2_147_483.647 }); // the largest cap: 2^31-1 ms
    const runs: number[] = [];
    await scheduler.addJob(() => void runs.push(inner.now()), new DateTrigger(at(400 * DAY)), { id: 'far' });
    await scheduler.start();
    await inner.advance(401 * DAY);
    expect(runs).toEqual([T0 + 400 * DAY]);
    expect(await scheduler.getJobs()).toEqual([]);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(Math.min(...clock.delays)).toBeGreaterThanOrEqual(0);
    await scheduler.shutdown();
  });

  it('does not run a slot twice when the wall clock jumps backwards', async () => {
    const { clock, scheduler } = makeScheduler();
    const slots: string[] = [];
    await scheduler.addJob(
      (ctx: JobContext) => void slots.push(ctx.scheduledRunTime.toISOString()),
      new IntervalTrigger({ seconds: 10, startDate: at(10 * S) }),
    );
    await scheduler.start();
    await clock.advance(25 * S); // runs at 10 s and 20 s
    clock.jump(-60 * S); // NTP steps the clock back a minute
    await clock.advance(120 * S);
    const expected = [10, 20, 30, 40, 50, 60, 70, 80].map((k) => at(k * S).toISOString());
    expect(slots).toEqual(expected);
    expect(new Set(slots).size).toBe(slots.length);
    await scheduler.shutdown();
  });

  it('never runs early or twice when timers wake before their time', async () => {
    const inner = new VirtualClock(T0);
    const scheduler = new Scheduler({ clock: spyingClock(inner, 0.01), timezone: 'UTC' }); // every timer 1% early
    const runs: Array<{ slot: number; at: number }> = [];
    await scheduler.addJob(
      (ctx: JobContext) => void runs.push({ slot: ctx.scheduledRunTime.getTime(), at: inner.now() }),
      new IntervalTrigger({ seconds: 1, startDate: at(S) }),
    );
    await scheduler.start();
    await inner.advance(30 * S);
    expect(runs.map((run) => run.slot)).toEqual(Array.from({ length: 30 }, (_, k) => T0 + (k + 1) * S));
    for (const run of runs) expect(run.at).toBeGreaterThanOrEqual(run.slot);
    await scheduler.shutdown();
  });

  it('fires 10,000 one-off jobs once each and ends with an empty store', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    const fired = new Map<string, number>();
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    await scheduler.start();
    for (let k = 0; k < 10_000; k++) {
      await scheduler.addJob(
        (ctx: JobContext) => void fired.set(ctx.job.id, (fired.get(ctx.job.id) ?? 0) + 1),
        new DateTrigger(at(Math.floor(random() * 3_600 * S))),
        { id: `once-${k}` },
      );
    }
    await clock.advance(3_601 * S);
    expect(fired.size).toBe(10_000);
    expect([...fired.values()].every((count) => count === 1)).toBe(true);
    expect(await scheduler.getJobs()).toEqual([]);
    expect(ofType(events, 'job:removed').filter((event) => event.reason === 'finished')).toHaveLength(10_000);
    await scheduler.shutdown();
    expect(clock.pendingTimers).toBe(0);
  });

  it('runs a one-off job added with a past date at once, unless it is past the grace time', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    await scheduler.start();
    await clock.advance(60 * S);
    await scheduler.addJob(() => 'late but run', new DateTrigger(at(0)));
    await scheduler.addJob(() => 'too late', new DateTrigger(at(0)), { misfireGraceTime: 30 });
    await clock.advance(0);
    expect(ofType(events, 'job:executed').map((event) => event.returnValue)).toEqual(['late but run']);
    expect(ofType(events, 'job:missed')).toHaveLength(1);
    expect(await scheduler.getJobs()).toEqual([]);
    await scheduler.shutdown();
  });

  it('wakes up for a job added with an earlier time than the armed timer', async () => {
    const { clock, scheduler } = makeScheduler();
    const runs: number[] = [];
    await scheduler.start();
    await scheduler.addJob(() => 1, new DateTrigger(at(50 * S)));
    await clock.advance(S);
    await scheduler.addJob(() => void runs.push(clock.now()), new DateTrigger(at(3 * S)));
    await clock.advance(3 * S);
    expect(runs).toEqual([T0 + 3 * S]);
    await scheduler.shutdown();
  });
});
