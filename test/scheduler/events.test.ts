import { describe, expect, it, vi } from 'vitest';
import { DateTrigger, IntervalTrigger, MemoryJobStore, Scheduler } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { SCHEDULER_EVENT_NAMES } from '../../src/events/event-names.js';
import { T0, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const S = 1_000;
const at = (ms: number) => new Date(T0 + ms);

describe('events', () => {
  it('come in order with their payloads for a one-off job that succeeds', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    await scheduler.start();
    await scheduler.addJob(
      async () => {
        await clock.sleep(250);
        return 42;
      },
      new DateTrigger(at(S)),
      { id: 'one' },
    );
    await clock.advance(2 * S);
    await scheduler.shutdown();
    expect(events.map((event) => event.type)).toEqual([
      'scheduler:started', 'job:added', 'job:submitted', 'job:removed', 'job:executed', 'scheduler:shutdown',
    ]);
    expect(events[0]).toEqual({ type: 'scheduler:started', timestamp: at(0) });
    expect(events[1]).toEqual({ type: 'job:added', timestamp: at(0), jobId: 'one', store: 'default' });
    expect(events[2]).toEqual({
      type: 'job:submitted', timestamp: at(S), jobId: 'one', store: 'default', scheduledRunTime: at(S), scheduledRunTimes: [at(S)],
      slotCount: 1, node: scheduler.identity,
    });
    expect(events[3]).toEqual({ type: 'job:removed', timestamp: at(S), jobId: 'one', store: 'default', reason: 'finished' });
    expect(events[4]).toEqual({
      type: 'job:executed', timestamp: at(S + 250), jobId: 'one', store: 'default', scheduledRunTime: at(S),
      scheduledRunTimes: [at(S)], slotCount: 1, node: scheduler.identity, returnValue: 42, durationMs: 250,
    });
  });

  it('report a task that throws or rejects as job:error, and the schedule goes on', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    let calls = 0;
    await scheduler.addJob(() => {
      calls++;
      if (calls === 1) throw new Error('sync boom');
      if (calls === 2) return Promise.reject(new TypeError('async boom'));
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'a string';
    }, new IntervalTrigger({ seconds: 1, startDate: at(S) }));
    await scheduler.start();
    await clock.advance(3 * S);
    const errors = ofType(events, 'job:error').map((event) => event.error);
    expect(errors).toEqual([new Error('sync boom'), new TypeError('async boom'), 'a string']);
    expect(ofType(events, 'job:error').map((event) => event.scheduledRunTime)).toEqual([at(S), at(2 * S), at(3 * S)]);
    expect(scheduler.state).toBe('running');
    await scheduler.shutdown();
  });

  it('report a timeout as job:error with ERR_JOB_TIMEOUT and abort the signal', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    let signal: AbortSignal | undefined;
    await scheduler.addJob((ctx: { signal: AbortSignal }) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    }, new DateTrigger(at(S)), { timeout: 2 });
    await scheduler.start();
    await clock.advance(3 * S);
    expect(ofType(events, 'job:error')).toEqual([expect.objectContaining({ durationMs: 2 * S, error: expect.objectContaining({ code: 'ERR_JOB_TIMEOUT' }) })]);
    expect(signal?.aborted).toBe(true);
    await scheduler.shutdown();
  });

  it('keep flowing when a listener throws or rejects; the error goes to the logger', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const clock = new VirtualClock(T0);
    const scheduler = new Scheduler({ clock, timezone: 'UTC', logger });
    const seen: string[] = [];
    scheduler.on('job:executed', () => {
      throw new Error('bad listener');
    });
    scheduler.on('job:executed', async () => Promise.reject(new Error('bad async listener')));
    scheduler.on('job:executed', (event) => void seen.push(event.jobId));
    await scheduler.addJob(() => 1, new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: 'x' });
    await scheduler.start();
    await clock.advance(2 * S);
    expect(seen).toEqual(['x', 'x']);
    expect(logger.error).toHaveBeenCalledTimes(4);
    expect(logger.error.mock.calls[0]?.[1]).toEqual(new Error('bad listener'));
    await scheduler.shutdown();
  });

  it('on() returns an unsubscribe function; once() fires once; off() removes a listener', async () => {
    const { clock, scheduler } = makeScheduler();
    const on: number[] = [];
    const once: number[] = [];
    const off: number[] = [];
    const unsubscribe = scheduler.on('job:executed', () => void on.push(clock.now()));
    scheduler.once('job:executed', () => void once.push(clock.now()));
    const listener = () => void off.push(clock.now());
    scheduler.on('job:executed', listener);
    await scheduler.addJob(() => 1, new IntervalTrigger({ seconds: 1, startDate: at(S) }));
    await scheduler.start();
    await clock.advance(S);
    scheduler.off('job:executed', listener);
    await clock.advance(S);
    unsubscribe();
    unsubscribe(); // a second call is harmless
    await clock.advance(S);
    expect(on).toEqual([T0 + S, T0 + 2 * S]);
    expect(once).toEqual([T0 + S]);
    expect(off).toEqual([T0 + S]);
    expect(() => scheduler.on('job:executed', 'nope' as never)).toThrow(TypeError);
    await scheduler.shutdown();
  });

  it('report a stored job whose task is not registered as job:invalid and leave it untouched', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    await scheduler.start();
    // A record written by another process (or an older version) naming a task this one lacks.
    const shared = new MemoryJobStore();
    await shared.addJob({
      id: 'orphan', name: 'orphan', task: 'notRegistered', inlineTask: false, args: [], trigger: { type: 'interval', seconds: 1 },
      executor: 'default', misfireGraceTime: null, coalesce: 'latest', maxInstances: 1, jitter: null, timeout: null,
      nextRunTime: at(S).toISOString(), metadata: {}, version: 1,
    });
    await scheduler.addJobStore(shared, 'shared');
    await clock.advance(2 * S);
    expect(ofType(events, 'job:invalid')).toEqual([
      expect.objectContaining({ jobId: 'orphan', store: 'shared', error: expect.objectContaining({ code: 'ERR_TASK_NOT_FOUND' }) }),
    ]);
    // Not retried in a tight loop: the next try comes when its lease expires (10 s), and an
    // unchanged record is reported once, not at every try.
    await clock.advance(20 * S);
    expect(ofType(events, 'job:invalid')).toHaveLength(1);
    await clock.advance(15 * S);
    expect(ofType(events, 'job:invalid')).toHaveLength(1);
    const kept = await shared.getJob('orphan');
    expect(kept).toMatchObject({ task: 'notRegistered', nextRunTime: at(S).toISOString(), version: 1 });
    // Registering the task lets it run on the next try, once for its whole backlog (coalesce).
    scheduler.registerTask('notRegistered', () => 'finally');
    await clock.advance(30 * S);
    const [first] = ofType(events, 'job:executed');
    expect(first?.returnValue).toBe('finally');
    // Every slot since 1 s, up to the one it ran for (registered at 37 s, so more than 36).
    const ranFor = (first?.scheduledRunTime as Date).getTime() - T0;
    expect(ranFor).toBeGreaterThanOrEqual(37 * S);
    expect(first?.slotCount).toBe(ranFor / S);
    await scheduler.shutdown();
  });

  it('on/once/off refuse an unknown event name, naming it and listing the known ones', async () => {
    const { clock, scheduler } = makeScheduler();
    const listener = () => undefined;
    for (const subscribe of [
      () => scheduler.on('job:exectued' as never, listener),
      () => scheduler.once('job:exectued' as never, listener),
      () => scheduler.off('job:exectued' as never, listener),
    ]) {
      expect(subscribe).toThrow(TypeError);
      expect(subscribe).toThrow(/"job:exectued".*job:executed/);
    }
    expect(() => scheduler.on(42 as never, listener)).toThrow(/Unknown event 42/);
    // Every known name is listed, so the message doubles as a reference.
    let message = '';
    try {
      scheduler.on('nope' as never, listener);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of SCHEDULER_EVENT_NAMES) expect(message).toContain(name);
    // And every known name subscribes.
    const seen: string[] = [];
    const unsubscribes = SCHEDULER_EVENT_NAMES.map((name) => scheduler.on(name, (event) => void seen.push(event.type)));
    await scheduler.start();
    await clock.advance(0);
    expect(seen).toEqual(['scheduler:started']);
    for (const unsubscribe of unsubscribes) unsubscribe();
    await scheduler.shutdown();
    expect(seen).toEqual(['scheduler:started']);
  });
});
