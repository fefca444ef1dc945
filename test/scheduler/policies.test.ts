import { describe, expect, it } from 'vitest';
import { IntervalTrigger } from '../../src/index.js';
import type { AddJobOptions, JobContext } from '../../src/index.js';
import { T0, deferred, iso, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const S = 1_000;
const at = (ms: number) => new Date(T0 + ms);
const everySecond = () => new IntervalTrigger({ seconds: 1, startDate: at(S) });

/** An every-second job; after its first run the process stalls (or sleeps) for `stallMs`. */
async function stalled(stallMs: number, options: AddJobOptions) {
  const { clock, scheduler } = makeScheduler();
  const events = recordEvents(scheduler);
  const ran: string[] = [];
  await scheduler.addJob((ctx: JobContext) => void ran.push(ctx.scheduledRunTime.toISOString()), everySecond(), options);
  await scheduler.start();
  await clock.advance(S); // first run at T0+1s
  // The runs of T0+2s are prepared a few ms before it (and held for it).
  await clock.advance(S - 1);
  // The event loop is blocked (or the machine sleeps): the wall clock moves, no timer fires.
  clock.jump(stallMs);
  // The timer fires late, at T0+2s+stall on the wall clock: the held plans no longer hold (the
  // job's next slot has come too), and the due slots are planned again from the wake.
  await clock.advance(1);
  const job = (await scheduler.getJobs())[0];
  await scheduler.shutdown();
  return { events, ran, job, now: T0 + 2 * S + stallMs };
}

const slots = (from: number, to: number) => Array.from({ length: (to - from) / S + 1 }, (_, k) => at(from + k * S).toISOString());
/** What an event lists of `slots`: all of them up to 100, else the first and the last. */
const listed = (slots: string[]) => (slots.length <= 100 ? slots : [slots[0], slots.at(-1)]);

describe('misfire and coalescing after a stall', () => {
  for (const [label, stall] of [['a 5 s stall', 5 * S], ['a one-hour system sleep', 3_600 * S]] as const) {
    describe(label, () => {
      const due = slots(2 * S, 2 * S + stall); // every slot from the first missed one up to the wake

      it("coalesce 'latest' runs once, for the latest slot, standing for all of them", async () => {
        const { ran, events, job, now } = await stalled(stall, { coalesce: 'latest' });
        expect(ran).toEqual([at(S).toISOString(), at(2 * S + stall).toISOString()]);
        const submitted = ofType(events, 'job:submitted')[1];
        expect(iso(submitted?.scheduledRunTimes ?? [])).toEqual(listed(due));
        expect(submitted?.slotCount).toBe(due.length);
        expect(ofType(events, 'job:missed')).toEqual([]);
        expect(job?.nextRunTime?.getTime()).toBe(now + S);
      });

      it("coalesce 'earliest' runs once, for the earliest slot", async () => {
        const { ran } = await stalled(stall, { coalesce: 'earliest' });
        expect(ran).toEqual([at(S).toISOString(), at(2 * S).toISOString()]);
      });

      it("coalesce 'all' runs every slot, in order", async () => {
        const { ran, events } = await stalled(stall, { coalesce: 'all' });
        expect(ran).toEqual([at(S).toISOString(), ...due]);
        expect(ofType(events, 'job:executed')).toHaveLength(due.length + 1);
      });

      it('misfireGraceTime drops the slots that are too late (one job:missed each, or one for a span past 100) and runs the rest', async () => {
        const { ran, events } = await stalled(stall, { coalesce: 'all', misfireGraceTime: 2 });
        const kept = due.slice(-3); // wake time minus 0, 1 and 2 seconds
        expect(ran).toEqual([at(S).toISOString(), ...kept]);
        const dropped = due.slice(0, -3);
        const missed = ofType(events, 'job:missed');
        if (dropped.length <= 100) {
          expect(missed.map((event) => event.scheduledRunTime.toISOString())).toEqual(dropped);
          expect(missed.map((event) => event.slotCount)).toEqual(dropped.map(() => 1));
        } else {
          expect(missed).toHaveLength(1);
          expect(iso(missed[0]?.scheduledRunTimes ?? [])).toEqual(listed(dropped));
          expect(missed[0]?.slotCount).toBe(dropped.length);
        }
      });

      it("misfireGraceTime with coalesce 'earliest' runs the earliest slot still in grace", async () => {
        const { ran, events } = await stalled(stall, { coalesce: 'earliest', misfireGraceTime: 2 });
        expect(ran).toEqual([at(S).toISOString(), due.at(-3)]);
        const missed = ofType(events, 'job:missed');
        expect(missed.reduce((sum, event) => sum + (event.slotCount ?? 0), 0)).toBe(due.length - 3);
      });
    });
  }

  it('a grace time of 0 misses a run the executor starts late because of its queue', async () => {
    const { clock, scheduler } = makeScheduler({ jobDefaults: { misfireGraceTime: 0 } });
    const events = recordEvents(scheduler);
    const gate = deferred();
    await scheduler.addJob(() => gate.promise, new IntervalTrigger({ seconds: 10, startDate: at(S) }), { id: 'slow' });
    await scheduler.start();
    await clock.advance(S);
    await scheduler.runJob('slow').catch(() => undefined); // max instances: refused
    expect(ofType(events, 'job:max-instances')).toHaveLength(1);
    gate.resolve();
    await scheduler.shutdown();
  });
});

describe('max instances', () => {
  it('skips runs while a task longer than its interval is still running, and the schedule advances', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    let running = 0;
    let most = 0;
    await scheduler.addJob(
      async () => {
        most = Math.max(most, ++running);
        await clock.sleep(2_500); // longer than the 1 s interval
        running--;
      },
      everySecond(),
      { id: 'long' },
    );
    await scheduler.start();
    await clock.advance(10 * S);
    expect(most).toBe(1);
    const started = ofType(events, 'job:submitted').map((event) => event.scheduledRunTime.getTime() - T0);
    const skipped = ofType(events, 'job:max-instances').map((event) => event.scheduledRunTime.getTime() - T0);
    expect(started).toEqual([1, 4, 7, 10].map((k) => k * S));
    expect(skipped).toEqual([2, 3, 5, 6, 8, 9].map((k) => k * S));
    expect((await scheduler.getJob('long'))?.nextRunTime?.getTime()).toBe(T0 + 11 * S);
    // The last run sleeps on the virtual clock, which no longer moves: do not wait for it.
    await scheduler.shutdown({ wait: false });
  });

  it('allows up to maxInstances overlapping runs', async () => {
    const { clock, scheduler } = makeScheduler();
    let running = 0;
    let most = 0;
    await scheduler.addJob(async () => {
      most = Math.max(most, ++running);
      await clock.sleep(3_500);
      running--;
    }, everySecond(), { maxInstances: 3 });
    await scheduler.start();
    await clock.advance(12 * S);
    expect(most).toBe(3);
    await scheduler.shutdown({ wait: false });
  });
});

describe('jitter', () => {
  it('delays each run by at most jitter seconds, never past the following slot', async () => {
    const { clock, scheduler } = makeScheduler();
    const delays: number[] = [];
    await scheduler.addJob(
      (ctx: JobContext) => void delays.push(clock.now() - ctx.scheduledRunTime.getTime()),
      new IntervalTrigger({ seconds: 10, startDate: at(10 * S) }),
      { jitter: 4 },
    );
    await scheduler.start();
    await clock.advance(2_000 * 10 * S + 5 * S); // 2,000 slots, and time for the last jittered run
    expect(delays).toHaveLength(2_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(4 * S);
    // Spread over the whole range, not stuck at one value.
    expect(delays.filter((delay) => delay < S).length).toBeGreaterThan(200);
    expect(delays.filter((delay) => delay > 3 * S).length).toBeGreaterThan(200);
    await scheduler.shutdown();
  });

  it('caps the delay before the following slot when jitter is longer than the interval', async () => {
    const { clock, scheduler } = makeScheduler();
    const starts: number[] = [];
    await scheduler.addJob(() => void starts.push(clock.now()), everySecond(), { jitter: 60, maxInstances: 10 });
    await scheduler.start();
    await clock.advance(500 * S);
    expect(starts.length).toBeGreaterThan(400);
    starts.forEach((start, k) => {
      expect(start).toBeGreaterThanOrEqual(T0 + (k + 1) * S);
      expect(start).toBeLessThan(T0 + (k + 2) * S);
    });
    await scheduler.shutdown();
  });

  it("uses the trigger's jitter when the job has none, and never passes the trigger's end", async () => {
    const { clock, scheduler } = makeScheduler();
    const starts: number[] = [];
    const end = at(10 * S + 300);
    await scheduler.addJob(
      () => void starts.push(clock.now()),
      new IntervalTrigger({ seconds: 10, startDate: at(10 * S), endDate: end, jitter: 5 }),
    );
    await scheduler.start();
    for (let round = 0; round < 50 && starts.length === 0; round++) await clock.advance(20 * S);
    expect(starts).toHaveLength(1);
    expect(starts[0]).toBeLessThanOrEqual(end.getTime());
    await scheduler.shutdown();
  });
});
