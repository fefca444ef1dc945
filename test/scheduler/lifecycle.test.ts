import { describe, expect, it } from 'vitest';
import { IntervalTrigger, MemoryJobStore, PromiseExecutor } from '../../src/index.js';
import { T0, deferred, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const every = (seconds: number) => new IntervalTrigger({ seconds, startDate: new Date(T0 + seconds * 1000) });

describe('lifecycle', () => {
  it('goes stopped -> running -> paused -> running -> stopped', async () => {
    const { scheduler } = makeScheduler();
    expect(scheduler.state).toBe('stopped');
    await scheduler.start();
    expect(scheduler.state).toBe('running');
    scheduler.pause();
    expect(scheduler.state).toBe('paused');
    scheduler.pause(); // no-op when already paused
    scheduler.resume();
    expect(scheduler.state).toBe('running');
    await scheduler.shutdown();
    expect(scheduler.state).toBe('stopped');
  });

  it('refuses calls in the wrong state with ERR_SCHEDULER_STATE and stays as it was', async () => {
    const { scheduler } = makeScheduler();
    await expect(scheduler.shutdown()).rejects.toMatchObject({ code: 'ERR_SCHEDULER_STATE', state: 'stopped' });
    expect(() => scheduler.pause()).toThrow(expect.objectContaining({ code: 'ERR_SCHEDULER_STATE' }));
    expect(() => scheduler.resume()).toThrow(expect.objectContaining({ code: 'ERR_SCHEDULER_STATE' }));
    await expect(scheduler.runJob('x')).rejects.toMatchObject({ code: 'ERR_SCHEDULER_STATE' });
    expect(scheduler.state).toBe('stopped');
    await scheduler.start();
    await expect(scheduler.start()).rejects.toMatchObject({ code: 'ERR_SCHEDULER_STATE', state: 'running' });
    expect(scheduler.state).toBe('running');
    const starting = makeScheduler().scheduler;
    const first = starting.start();
    await expect(starting.start()).rejects.toMatchObject({ code: 'ERR_SCHEDULER_STATE', state: 'starting' });
    await first;
    await starting.shutdown();
    await scheduler.shutdown();
  });

  it('keeps jobs added before start pending and writes them at start, computing their first run then', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    const runs: number[] = [];
    const job = await scheduler.addJob(() => void runs.push(clock.now()), new IntervalTrigger({ seconds: 10 }), { id: 'p' });
    expect(job.pending).toBe(true);
    expect((await scheduler.getJobs()).map((j) => j.id)).toEqual(['p']);
    expect(ofType(events, 'job:added')).toHaveLength(0);
    await clock.advance(60_000); // the interval is counted from start(), not from addJob()
    await scheduler.start();
    expect(ofType(events, 'job:added')).toHaveLength(1);
    const stored = await scheduler.getJob('p');
    expect(stored?.pending).toBe(false);
    expect(stored?.nextRunTime?.getTime()).toBe(T0 + 70_000);
    await clock.advance(10_000);
    expect(runs).toEqual([T0 + 70_000]);
    await scheduler.shutdown();
  });

  it('fails start() when a pending id is taken in its store, writing nothing', async () => {
    const store = new MemoryJobStore();
    const first = makeScheduler({ stores: { default: store } });
    await first.scheduler.start();
    await first.scheduler.addJob(() => 1, every(5), { id: 'taken' });
    await first.scheduler.shutdown();
    const second = makeScheduler({ stores: { default: store } });
    await second.scheduler.addJob(() => 2, every(5), { id: 'fresh' });
    await second.scheduler.addJob(() => 2, every(5), { id: 'taken' });
    await expect(second.scheduler.start()).rejects.toMatchObject({ code: 'ERR_CONFLICTING_ID', jobId: 'taken' });
    expect(second.scheduler.state).toBe('stopped');
    expect((await store.getJobs()).map((record) => record.id)).toEqual(['taken']);
    expect((await second.scheduler.getJobs()).map((job) => job.id).sort()).toEqual(['fresh', 'taken']);
  });

  it('start({ paused: true }) runs nothing until resume()', async () => {
    const { clock, scheduler } = makeScheduler();
    let runs = 0;
    await scheduler.addJob(() => void runs++, every(1));
    await scheduler.start({ paused: true });
    expect(scheduler.state).toBe('paused');
    await clock.advance(5_000);
    expect(runs).toBe(0);
    scheduler.resume();
    await clock.advance(0);
    expect(runs).toBe(1); // five slots fell due while paused; coalesce 'latest' runs them once
    await scheduler.shutdown();
  });

  it('shutdown({ wait: true }) waits for a running task', async () => {
    const { clock, scheduler } = makeScheduler();
    const gate = deferred();
    let finished = false;
    await scheduler.addJob(async () => {
      await gate.promise;
      finished = true;
    }, every(1));
    await scheduler.start();
    await clock.advance(1_000);
    let shutDown = false;
    const shutdown = scheduler.shutdown({ wait: true }).then(() => (shutDown = true));
    await clock.flush();
    expect(shutDown).toBe(false);
    gate.resolve();
    await shutdown;
    expect(finished).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('shutdown({ wait: false }) aborts the running task and returns at once', async () => {
    const { clock, scheduler } = makeScheduler();
    let signal: AbortSignal | undefined;
    await scheduler.addJob((ctx: { signal: AbortSignal }) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    }, every(1));
    await scheduler.start();
    await clock.advance(1_000);
    expect(signal?.aborted).toBe(false);
    await scheduler.shutdown({ wait: false });
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as { code?: string }).code).toBe('ERR_JOB_CANCELLED');
    expect(clock.pendingTimers).toBe(0);
  });

  it('shutdown({ wait: false }) during a graceful shutdown forces it', async () => {
    const { clock, scheduler } = makeScheduler();
    let signal: AbortSignal | undefined;
    await scheduler.addJob((ctx: { signal: AbortSignal }) => {
      signal = ctx.signal;
      return new Promise(() => undefined); // never settles
    }, every(1));
    await scheduler.start();
    await clock.advance(1_000);
    let gracefulDone = false;
    const graceful = scheduler.shutdown().then(() => (gracefulDone = true));
    await clock.flush();
    expect(gracefulDone).toBe(false);
    await scheduler.shutdown({ wait: false });
    await graceful;
    expect(signal?.aborted).toBe(true);
    expect(scheduler.state).toBe('stopped');
    expect(clock.pendingTimers).toBe(0);
  });

  it('leaves no timer armed after shutdown, also with jitter waits and timeouts in flight', async () => {
    const { clock, scheduler } = makeScheduler();
    await scheduler.addJob(() => new Promise(() => undefined), every(10), { jitter: 5, timeout: 60 });
    await scheduler.addJob(() => new Promise(() => undefined), every(1), { timeout: 30 });
    await scheduler.start();
    await clock.advance(10_000);
    expect(clock.pendingTimers).toBeGreaterThan(1);
    await scheduler.shutdown({ wait: false });
    expect(clock.pendingTimers).toBe(0);
  });

  it('can be started again after shutdown, keeping the memory store jobs', async () => {
    const { clock, scheduler } = makeScheduler();
    let runs = 0;
    await scheduler.start();
    await scheduler.addJob(() => void runs++, every(1), { id: 'kept' });
    await clock.advance(1_000);
    await scheduler.shutdown();
    await scheduler.start();
    expect((await scheduler.getJob('kept'))?.id).toBe('kept');
    await clock.advance(1_000);
    expect(runs).toBe(2);
    await scheduler.shutdown();
  });

  it('starts and shuts down added executors and stores, and emits their events', async () => {
    const { scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    await scheduler.addExecutor(new PromiseExecutor({ concurrency: 1 }), 'serial');
    await scheduler.addJobStore(new MemoryJobStore(), 'other');
    expect(scheduler.executors).toEqual(['default', 'serial']);
    expect(scheduler.stores).toEqual(['default', 'other']);
    await scheduler.start();
    await scheduler.removeExecutor('serial');
    await scheduler.removeJobStore('other');
    await scheduler.shutdown();
    expect(events.map((event) => event.type)).toEqual([
      'executor:added', 'store:added', 'scheduler:started', 'executor:removed', 'store:removed', 'scheduler:shutdown',
    ]);
  });
});
