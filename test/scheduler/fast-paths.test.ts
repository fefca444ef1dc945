/**
 * The scheduler's shortcuts for its own parts (the built-in executor's hand-off without a
 * promise, the built-in triggers' search in epoch ms) must never bypass a user's override: a
 * subclass, a spy or an executor of another kind sees exactly what the contract promises.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { CronTrigger, IntervalTrigger, PromiseExecutor } from '../../src/index.js';
import type { Executor, RunOutcome, RunRequest } from '../../src/index.js';
import { fireTime, nextAfter } from '../../src/scheduler/fire-times.js';
import { T0, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const S = 1_000;

describe('trigger overrides', () => {
  it('asks a CronTrigger subclass that overrides getNextFireTime, for the first run and every next one', async () => {
    const asked: (string | null)[] = [];
    class EveryOtherSecond extends CronTrigger {
      override getNextFireTime(previous: Date | null, now: Date): Date | null {
        asked.push(previous === null ? null : previous.toISOString());
        const next = super.getNextFireTime(previous, now);
        return next === null ? null : new Date(next.getTime() + S); // skip a second
      }
    }
    const { clock, scheduler } = makeScheduler();
    const slots: number[] = [];
    await scheduler.start();
    const job = await scheduler.addJob((context) => void slots.push(context.scheduledRunTime.getTime() - T0), new EveryOtherSecond({ second: '*' }));
    expect(job.nextRunTime?.getTime()).toBe(T0 + S);
    await clock.advance(6 * S);
    expect(slots).toStrictEqual([1 * S, 3 * S, 5 * S]);
    expect(asked.length).toBeGreaterThanOrEqual(4);
    await scheduler.shutdown();
  });

  it('asks an IntervalTrigger subclass that overrides getNextFireTime', async () => {
    class Doubling extends IntervalTrigger {
      override getNextFireTime(previous: Date | null, now: Date): Date | null {
        if (previous === null) return super.getNextFireTime(previous, now);
        return new Date(previous.getTime() + 2 * (previous.getTime() - T0));
      }
    }
    const { clock, scheduler } = makeScheduler();
    const slots: number[] = [];
    await scheduler.start();
    await scheduler.addJob((context) => void slots.push(context.scheduledRunTime.getTime() - T0), new Doubling({ seconds: 1 }));
    await clock.advance(30 * S);
    expect(slots).toStrictEqual([1 * S, 3 * S, 9 * S, 27 * S]);
    await scheduler.shutdown();
  });

  it('gives the same times as getNextFireTime for built-in triggers, and names an invalid instant', () => {
    const triggers = [
      CronTrigger.fromCrontab('0 30 2 * * *', { timezone: 'America/New_York' }),
      CronTrigger.fromCrontab('*/7 * * * * *', { timezone: 'Australia/Sydney', endDate: new Date(T0 + 400 * 86_400_000) }),
      new IntervalTrigger({ minutes: 90, startDate: new Date(T0 + 3_600_000), timezone: 'Europe/Berlin' }),
      new IntervalTrigger({ seconds: 45, endDate: new Date(T0 + 30 * 86_400_000), timezone: 'UTC' }),
    ];
    const instant = fc.integer({ min: T0 - 86_400_000, max: T0 + 500 * 86_400_000 });
    fc.assert(
      fc.property(fc.constantFrom(...triggers), instant, instant, (trigger, previous, now) => {
        const viaDate = (p: Date | null) => trigger.getNextFireTime(p, new Date(now))?.getTime() ?? null;
        expect(fireTime(trigger, null, new Date(now))).toBe(viaDate(null));
        expect(nextAfter(trigger, previous, new Date(now))).toBe(viaDate(new Date(previous)));
      }),
      { numRuns: 400 },
    );
    const cron = triggers[0] as CronTrigger;
    expect(() => fireTime(cron, new Date(Number.NaN), new Date(T0))).toThrow(expect.objectContaining({ field: 'previousFireTime' }));
    expect(() => fireTime(triggers[2] as IntervalTrigger, null, new Date(Number.NaN))).toThrow(expect.objectContaining({ field: 'now' }));
  });
});

describe('executor hand-off', () => {
  it('gives every run to a PromiseExecutor subclass that overrides submit', async () => {
    const seen: string[] = [];
    class Counting extends PromiseExecutor {
      override submit(request: RunRequest): Promise<RunOutcome> {
        seen.push(request.jobId);
        return super.submit(request);
      }
    }
    const { clock, scheduler } = makeScheduler({ executors: { default: new Counting() } });
    let runs = 0;
    await scheduler.start();
    await scheduler.addJob(() => void runs++, '* * * * * *', { id: 'a' });
    await clock.advance(3 * S); // slots T0 to T0 + 3 s
    expect(runs).toBe(4);
    expect(seen).toStrictEqual(['a', 'a', 'a', 'a']);
    await scheduler.shutdown();
  });

  it('gives every run to a spy on a PromiseExecutor, and reports what the spy returns', async () => {
    const executor = new PromiseExecutor();
    const submit = vi.spyOn(executor, 'submit');
    const { clock, scheduler } = makeScheduler({ executors: { default: executor } });
    const events = recordEvents(scheduler);
    await scheduler.start();
    await scheduler.addJob(() => 'done', '* * * * * *', { id: 'a' });
    await clock.advance(2 * S);
    expect(submit).toHaveBeenCalledTimes(3);
    expect(ofType(events, 'job:executed').map((event) => event.returnValue)).toStrictEqual(['done', 'done', 'done']);
    await scheduler.shutdown();
  });

  it('lets an executor of another kind call call() and abort() unbound', async () => {
    let signal: AbortSignal | null = null;
    const unbound: Executor = {
      start: () => undefined,
      shutdown: async () => undefined,
      submit: async (request) => {
        const { call, abort } = request;
        const startedAt = Date.now();
        const returnValue = call();
        abort(new Error('stop'));
        return { status: 'success', returnValue, startedAt, finishedAt: startedAt };
      },
    };
    const { clock, scheduler } = makeScheduler({ executors: { default: unbound } });
    const events = recordEvents(scheduler);
    await scheduler.start();
    await scheduler.addJob((context) => {
      signal = context.signal;
      return context.job.id;
    }, '* * * * * *', { id: 'a' });
    await clock.advance(S);
    expect(ofType(events, 'job:executed').map((event) => event.returnValue)).toStrictEqual(['a', 'a']);
    expect((signal as AbortSignal | null)?.aborted).toBe(true);
    await scheduler.shutdown();
  });
});
