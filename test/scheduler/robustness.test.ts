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

  it('runs the due slot of a trigger that stops increasing, then pauses the job and reports it once', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    const slots: number[] = [];
    // Fires at 10 s and 20 s, then answers 20 s again: not later than the previous fire time.
    const stuck: Trigger = {
      getNextFireTime: (previous, now) => new Date(Math.min((previous ?? now).getTime() + 10 * S, T0 + 20 * S)),
      toJSON: () => ({ type: 'stuck' }),
      toString: () => 'stuck',
    };
    await scheduler.addJob((ctx: JobContext) => void slots.push(ctx.scheduledRunTime.getTime() - T0), stuck, {
      id: 'stuck',
      nextRunTime: at(10 * S),
    });
    await scheduler.start();
    await clock.advance(60 * S);
    expect(slots).toEqual([10 * S, 20 * S]);
    const invalid = ofType(events, 'job:invalid');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ jobId: 'stuck', paused: true, error: { code: 'ERR_INVALID_TRIGGER' } });
    expect((await scheduler.getJob('stuck'))?.paused).toBe(true);
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

  /** `count` jobs every 60 s from +1 s (batches are 1,000), each run recorded by slot. */
  async function manyJobs(scheduler: Scheduler, count: number): Promise<Map<string, number[]>> {
    const runs = new Map<string, number[]>();
    for (let k = 0; k < count; k++) {
      const id = `job-${String(k).padStart(4, '0')}`;
      runs.set(id, []);
      await scheduler.addJob(
        (ctx: JobContext) => void runs.get(id)?.push(ctx.scheduledRunTime.getTime() - T0),
        new IntervalTrigger({ seconds: 60, startDate: at(S) }),
        { id },
      );
    }
    return runs;
  }

  it('hands back the jobs it ran when a later batch of the pass fails, so no slot runs twice', async () => {
    const store = new MemoryJobStore();
    const acquire = store.acquireDueJobs.bind(store);
    let previous = 0;
    let failed = false;
    store.acquireDueJobs = async (...args) => {
      // Fails once, on the second batch of a pass: the first batch's runs are submitted by then.
      if (previous === 1_000 && !failed) {
        failed = true;
        throw new Error('connection reset');
      }
      const due = await acquire(...args);
      previous = due.length;
      return due;
    };
    const { clock, scheduler } = makeScheduler({ stores: { default: store } });
    const runs = await manyJobs(scheduler, 1_500);
    const events = recordEvents(scheduler);
    await scheduler.start();
    // Past the failed pass, its retry 1 s later, and the 10 s leases of the first batch.
    await clock.advance(45 * S);
    expect(ofType(events, 'store:error')).toHaveLength(1);
    const counts = new Map<string, number>();
    for (const slots of runs.values()) counts.set(JSON.stringify(slots), (counts.get(JSON.stringify(slots)) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ '[1000]': 1_500 });
    await scheduler.shutdown();
  });

  /** 2,500 jobs due at 1 s on a store whose every acquisition takes 11 s; the calls it saw. */
  async function slowStorePass(dueAtStart: boolean): Promise<string[]> {
    const store = new MemoryJobStore();
    const acquire = store.acquireDueJobs.bind(store);
    const release = store.releaseJobs.bind(store);
    // A 30 s lease: each store call (11 s) takes a third of it, not more than the whole.
    const { clock, scheduler } = makeScheduler({ stores: { default: store }, leaseTime: 30 });
    const log: string[] = [];
    store.acquireDueJobs = async (...args) => {
      const due = await acquire(...args);
      if (due.length === 0) return due;
      log.push(`acquire ${due.length}`);
      clock.jump(11 * S); // a store that takes 11 s per call
      return due;
    };
    store.releaseJobs = async (...args) => {
      log.push(`release ${args[1].length}`);
      return release(...args);
    };
    await manyJobs(scheduler, 2_500);
    if (dueAtStart) clock.jump(S);
    await scheduler.start();
    await clock.advance(S);
    await scheduler.shutdown();
    return log;
  }

  it('hands back what a long pass holds before its leases could expire', async () => {
    // The jobs are due when the scheduler starts: one ordinary pass takes them. A batch's
    // releases are sent once they have waited 10 s (a third of the lease) since the batch
    // arrived: the first batch's (leased at 0 s) before the third call, at 22 s; the second's
    // (leased at 11 s) at 33 s, when the third batch arrives.
    expect(await slowStorePass(true)).toEqual(['acquire 1000', 'acquire 1000', 'release 1000', 'acquire 500', 'release 1000', 'release 500']);
  });

  it('hands back the runs a long preparation holds as soon as their instant has come', async () => {
    // The pass before the instant takes 100 jobs and holds their runs; the instant has come when
    // that call returns (at 11 s): the held runs start and their jobs are handed back before the
    // next acquisition, and the rest of the pass is an ordinary one (as above, from 11 s).
    expect(await slowStorePass(false)).toEqual([
      'acquire 100', 'release 100', 'acquire 1000', 'acquire 1000', 'release 1000', 'acquire 400', 'release 1000', 'release 400',
    ]);
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
