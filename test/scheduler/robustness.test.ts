import { describe, expect, it } from 'vitest';
import { DateTrigger, IntervalTrigger, MemoryJobStore, Scheduler } from '../../src/index.js';
import type { Executor, JobContext, RunRequest, Trigger } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { T0, deferred, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const S = 1_000;
const at = (ms: number) => new Date(T0 + ms);
const microtasks = async (count: number) => {
  for (let k = 0; k < count; k++) await Promise.resolve();
};

describe('robustness of the loop and the runner', () => {
  it('keeps firing after pause() and resume() land while a pass is in progress', async () => {
    const store = new MemoryJobStore();
    const acquire = store.acquireDueJobs.bind(store);
    let calls = 0;
    store.acquireDueJobs = async (...args) => {
      calls++;
      await microtasks(3);
      return acquire(...args);
    };
    const { clock, scheduler } = makeScheduler({ stores: { default: store } });
    let runs = 0;
    await scheduler.addJob(() => void runs++, new IntervalTrigger({ seconds: 10, startDate: at(10 * S) }));
    await scheduler.start();
    await clock.advance(0);
    const before = calls;
    clock.setTimeout(() => {
      scheduler.pause();
      void Promise.resolve().then(() => scheduler.resume());
    }, 0);
    await clock.advance(0);
    expect(calls).toBeGreaterThan(before);
    await clock.advance(60 * S);
    expect(runs).toBe(6);
    await scheduler.shutdown();
  });

  it('reports a trigger that breaks while planning its jitter as invalid, and runs the other jobs of the batch once each', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    const slots: string[] = [];
    const broken: Trigger = {
      getNextFireTime: (previous, now) => new Date((previous ?? now).getTime() + 10 * S),
      toJSON: () => ({ type: 'broken' }),
      toString: () => 'broken',
      get jitter(): number {
        throw new Error('a broken jitter getter');
      },
    };
    const every10 = () => new IntervalTrigger({ seconds: 10, startDate: at(10 * S) });
    await scheduler.addJob((ctx: JobContext) => void slots.push(`a@${ctx.scheduledRunTime.getTime() - T0}`), every10(), { id: 'a' });
    await scheduler.addJob(() => undefined, broken, { id: 'b' });
    await scheduler.addJob((ctx: JobContext) => void slots.push(`c@${ctx.scheduledRunTime.getTime() - T0}`), every10(), { id: 'c' });
    await scheduler.start();
    await clock.advance(35 * S);
    expect(slots).toEqual(['a@10000', 'c@10000', 'a@20000', 'c@20000', 'a@30000', 'c@30000']);
    expect(ofType(events, 'job:invalid').map((event) => event.jobId)).toEqual(['b']);
    await scheduler.shutdown();
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('executor broke'))],
    ['throws', () => { throw new Error('executor broke'); }],
  ] as const)('reports an executor that %s as job:error instead of crashing, with and without jitter', async (_, submit) => {
    const broken: Executor = { submit, shutdown: async () => undefined };
    const { clock, scheduler } = makeScheduler({ executors: { default: broken } });
    const events = recordEvents(scheduler);
    await scheduler.addJob(() => 1, new DateTrigger(at(S)), { id: 'plain' });
    await scheduler.addJob(() => 1, new DateTrigger(at(S)), { id: 'jittered', jitter: 0.5 });
    await scheduler.start();
    await clock.advance(2 * S);
    const errors = ofType(events, 'job:error').map((event) => [event.jobId, (event.error as Error).message]);
    expect(errors.sort()).toEqual([['jittered', 'executor broke'], ['plain', 'executor broke']]);
    expect(ofType(events, 'store:error')).toEqual([]);
    await scheduler.shutdown();
  });

  it('treats an executor that returns a plain outcome instead of a promise as if it had', async () => {
    const plain = {
      submit: (request: RunRequest) => ({ status: 'success', returnValue: request.call(), startedAt: 0, finishedAt: 0 }),
      shutdown: async () => undefined,
    } as unknown as Executor;
    const { clock, scheduler } = makeScheduler({ executors: { default: plain } });
    const events = recordEvents(scheduler);
    await scheduler.addJob(() => 'ran', new DateTrigger(at(S)));
    await scheduler.start();
    await clock.advance(2 * S);
    expect(ofType(events, 'job:executed').map((event) => event.returnValue)).toEqual(['ran']);
    await scheduler.shutdown();
  });

  it('waits out a jitter longer than 2^31-1 ms in steps', async () => {
    const clock = new VirtualClock(T0);
    const scheduler = new Scheduler({ clock, timezone: 'UTC' });
    const starts: number[] = [];
    const original = Math.random;
    Math.random = () => 0.99;
    try {
      await scheduler.addJob(() => void starts.push(clock.now()), new IntervalTrigger({ days: 60, startDate: at(S) }), {
        jitter: 40 * 86_400,
      });
      await scheduler.start();
      await clock.advance(45 * 86_400 * S);
    } finally {
      Math.random = original;
    }
    expect(starts).toHaveLength(1);
    expect((starts[0] as number) - T0 - S).toBeGreaterThan(2 ** 31 - 1);
    await scheduler.shutdown();
  });

  it("lets a graceful shutdown finish every run of a coalesce 'all' batch", async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    const gate = deferred();
    let calls = 0;
    await scheduler.addJob(
      async () => {
        calls++;
        if (calls === 1) await gate.promise;
      },
      new IntervalTrigger({ seconds: 1, startDate: at(S) }),
      { coalesce: 'all' },
    );
    await scheduler.start({ paused: true });
    await clock.advance(5 * S);
    scheduler.resume();
    await clock.advance(0);
    const shutdown = scheduler.shutdown();
    gate.resolve();
    await shutdown;
    expect(calls).toBe(5);
    expect(ofType(events, 'job:error')).toEqual([]);
  });

  it('writes a job added while start() is still running', async () => {
    const slowStore = new MemoryJobStore();
    const gate = deferred();
    slowStore.start = () => gate.promise;
    const { scheduler } = makeScheduler({ stores: { default: slowStore } });
    const starting = scheduler.start();
    const adding = scheduler.addJob(() => 1, new IntervalTrigger({ seconds: 5 }), { id: 'during-start' });
    gate.resolve();
    await starting;
    const job = await adding;
    expect(job.pending).toBe(false);
    expect((await slowStore.getJob('during-start'))?.id).toBe('during-start');
    await scheduler.shutdown();
  });
});
