/** A task that awaits the scheduler's shutdown does not wait for itself forever. */
import { describe, expect, it, vi } from 'vitest';
import { IntervalTrigger, MemoryJobStore, Scheduler } from '../../src/index.js';
import type { JobContext } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { T0, deferred, makeScheduler, recordEvents } from '../helpers/scheduler.js';

const every = (seconds: number) => new IntervalTrigger({ seconds, startDate: new Date(T0 + seconds * 1000) });

describe('shutdown() from inside a task', () => {
  it('through ctx.scheduler: resolves once no new run starts, and the shutdown ends after the task', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    const steps: string[] = [];
    await scheduler.addJob(async (ctx: JobContext) => {
      expect(ctx.scheduler).toBe(scheduler);
      await clock.sleep(100);
      await ctx.scheduler.shutdown();
      steps.push(`shutdown returned, state ${scheduler.state}`);
      await clock.sleep(100); // still running: the shutdown waits for this run
      steps.push('task done');
      return 'bye';
    }, every(1), { id: 'quit' });
    await scheduler.start();
    await clock.advance(1_100);
    expect(steps).toEqual(['shutdown returned, state stopped']);
    expect(events.map((event) => event.type)).not.toContain('scheduler:shutdown');
    await clock.advance(1_000); // no new run starts meanwhile
    expect(steps).toEqual(['shutdown returned, state stopped', 'task done']);
    expect(events.map((event) => event.type)).toEqual([
      'job:added', 'scheduler:started', 'job:submitted', 'job:executed', 'scheduler:shutdown',
    ]);
    expect(clock.pendingTimers).toBe(0);
    // And the scheduler can start again.
    await scheduler.start();
    expect(scheduler.state).toBe('running');
    await scheduler.shutdown({ wait: false });
  });

  it('through ctx.scheduler after awaiting other work, also with wait: false', async () => {
    const { clock, scheduler } = makeScheduler();
    let returned = false;
    await scheduler.addJob(async (ctx: JobContext) => {
      await Promise.resolve();
      await ctx.scheduler.shutdown({ wait: false });
      returned = true;
    }, every(1));
    await scheduler.start();
    await clock.advance(1_000);
    expect(returned).toBe(true);
    expect(scheduler.state).toBe('stopped');
  });

  it('logs the errors of the rest of the shutdown instead of leaving them unhandled', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const clock = new VirtualClock(T0);
    const store = new MemoryJobStore();
    store.shutdown = async () => {
      throw new Error('store would not close');
    };
    const scheduler = new Scheduler({ clock, timezone: 'UTC', logger, stores: { default: store } });
    let stopped = false;
    scheduler.on('scheduler:shutdown', () => (stopped = true));
    let returned = false;
    await scheduler.addJob(async (ctx: JobContext) => {
      await ctx.scheduler.shutdown();
      returned = true;
    }, every(1));
    await scheduler.start();
    await clock.advance(1_000);
    expect(returned).toBe(true);
    expect(stopped).toBe(true);
    expect(logger.error).toHaveBeenCalledWith('timetable: shutdown failed', new Error('store would not close'));
  });

  it('a shutdown from outside still waits for every run, even while a task reads ctx.scheduler', async () => {
    const { clock, scheduler } = makeScheduler();
    const gate = deferred();
    let finished = false;
    await scheduler.addJob(async (ctx: JobContext) => {
      await gate.promise;
      void ctx.scheduler.state; // a read long before the shutdown marks nothing then
      finished = true;
    }, every(1));
    await scheduler.start();
    await clock.advance(1_000);
    let shutDown = false;
    const shutdown = scheduler.shutdown().then(() => (shutDown = true));
    await clock.flush();
    expect(shutDown).toBe(false);
    gate.resolve();
    await shutdown;
    expect(finished).toBe(true);
  });

  it('through the scheduler itself, before the task awaits anything', async () => {
    const { clock, scheduler } = makeScheduler();
    let returned = false;
    await scheduler.addJob(async () => {
      await scheduler.shutdown();
      returned = true;
    }, every(1));
    await scheduler.start();
    await clock.advance(1_000);
    expect(returned).toBe(true);
    expect(scheduler.state).toBe('stopped');
  });
});
