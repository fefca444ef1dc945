import { describe, expect, it } from 'vitest';
import { CronTrigger, IntervalTrigger, MemoryJobStore, OrTrigger } from '../../src/index.js';
import type { JobContext, Scheduler } from '../../src/index.js';
import { T0, deferred, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const S = 1_000;
const HOUR = 3_600 * S;
const at = (ms: number) => new Date(T0 + ms);

/** Waits (in real turns of the event loop) until `done()`; a long pass yields many times. */
async function until(done: () => boolean, turns = 100_000): Promise<void> {
  for (let turn = 0; turn < turns && !done(); turn++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

/** `count` jobs whose runs are recorded as `id@slot` (slots relative to T0). */
async function recordedJobs(
  scheduler: Scheduler,
  count: number,
  trigger: () => unknown,
  options: object = {},
): Promise<string[]> {
  const runs: string[] = [];
  for (let k = 0; k < count; k++) {
    const id = `j${k}`;
    await scheduler.addJob((ctx: JobContext) => void runs.push(`${id}@${ctx.scheduledRunTime.getTime() - T0}`), trigger() as never, {
      id,
      ...options,
    });
  }
  return runs;
}

/** Entries that occur more than once. */
const duplicates = (values: string[]): string[] => values.filter((value, i) => values.indexOf(value) !== i);

describe('a long catch-up', () => {
  it.each([
    ['latest', {}, 1],
    ['latest, maxInstances 1', { maxInstances: 1 }, 1],
    ['all', { coalesce: 'all' }, 3],
  ])(
    'never runs a slot twice when one batch takes longer than the lease (%s)',
    async (_, options, runsPerJob) => {
      const { clock, scheduler } = makeScheduler();
      // A slow listener during the catch-up: 50 ms of wall clock per submitted run, 50 s per
      // batch of 1,000 (the lease is 30 s).
      let slow = 3_003;
      scheduler.on('job:submitted', () => slow-- > 0 && clock.jump(50));
      const every10Minutes = () => new IntervalTrigger({ minutes: 10, startDate: at(600 * S) });
      const runs = await recordedJobs(scheduler, 1_001, every10Minutes, options);
      const events = recordEvents(scheduler);
      await scheduler.start({ paused: true });
      await clock.advance(1_800 * S); // slots at 10, 20 and 30 minutes due for every job
      scheduler.resume();
      await clock.advance(0);
      await until(() => runs.length >= 1_001 * runsPerJob);
      await clock.flush();
      expect(runs).toHaveLength(1_001 * runsPerJob);
      expect(duplicates(runs)).toEqual([]);
      expect(ofType(events, 'job:max-instances')).toEqual([]);
      await scheduler.shutdown({ wait: false });
    },
    60_000,
  );

  it('never runs a slot twice after the wall clock moved forward by hours, with an or of two every-second crons', async () => {
    const { clock, scheduler } = makeScheduler();
    let slow = 1_001;
    scheduler.on('job:submitted', () => slow-- > 0 && clock.jump(40));
    const both = () =>
      new OrTrigger([CronTrigger.fromCrontab('* * * * * *', { timezone: 'UTC' }), CronTrigger.fromCrontab('*/2 * * * * *', { timezone: 'UTC' })]);
    const runs = await recordedJobs(scheduler, 1_001, both, { maxInstances: 1 });
    const events = recordEvents(scheduler);
    await scheduler.start();
    clock.jump(3 * HOUR);
    scheduler.wakeup();
    await clock.advance(0);
    await until(() => runs.length >= 1_001);
    await clock.flush();
    expect(duplicates(runs)).toEqual([]);
    expect(ofType(events, 'job:max-instances')).toEqual([]);
    await scheduler.shutdown({ wait: false });
  }, 60_000);

  it('costs the same after a day as after minutes: one run and one missed report per job, a bounded list of slots', async () => {
    const { clock, scheduler } = makeScheduler({ jobDefaults: { misfireGraceTime: 30 } });
    const runs = await recordedJobs(scheduler, 1_000, () => CronTrigger.fromCrontab('* * * * * *', { timezone: 'America/New_York' }));
    const events = recordEvents(scheduler);
    await scheduler.start();
    await clock.advance(0);
    runs.length = 0;
    events.length = 0;
    clock.jump(24 * HOUR);
    // A setImmediate queued at the first run of the catch-up must get its turn before the last
    // one: the pass yields to the event loop.
    let submittedWhenIdle = -1;
    scheduler.once('job:submitted', () => setImmediate(() => (submittedWhenIdle = ofType(events, 'job:submitted').length)));
    scheduler.wakeup();
    await clock.advance(0);
    await until(() => runs.length >= 1_000);
    await clock.flush();
    expect(submittedWhenIdle).toBeGreaterThan(0);
    expect(submittedWhenIdle).toBeLessThan(1_000);
    const submitted = ofType(events, 'job:submitted');
    expect(submitted).toHaveLength(1_000);
    for (const event of submitted) {
      expect(event.scheduledRunTimes.length).toBeLessThanOrEqual(100);
      expect(event.slotCount).toBe(31); // the 31 slots within the 30 s grace
    }
    const missed = ofType(events, 'job:missed');
    expect(missed).toHaveLength(1_000); // one report per job, not 86,000
    for (const event of missed) {
      expect(event.scheduledRunTimes).toHaveLength(2);
      expect(event.scheduledRunTimes[1]?.getTime()).toBe(T0 + 24 * HOUR - 31 * S);
    }
    await scheduler.shutdown({ wait: false });
  }, 60_000);

  it("stops a coalesce 'all' catch-up at a removal, and at a pause", async () => {
    for (const change of ['remove', 'pause'] as const) {
      const { clock, scheduler } = makeScheduler();
      const ran: number[] = [];
      let release = deferred();
      await scheduler.addJob(
        async (ctx: JobContext) => {
          ran.push(ctx.scheduledRunTime.getTime() - T0);
          await release.promise;
        },
        new IntervalTrigger({ seconds: 1, startDate: at(S) }),
        { id: 'backlog', coalesce: 'all' },
      );
      await scheduler.start({ paused: true });
      await clock.advance(HOUR); // 3,600 slots due
      scheduler.resume();
      await clock.advance(0);
      for (let k = 0; k < 3; k++) {
        await until(() => ran.length === k + 1);
        const previous = release;
        release = deferred();
        previous.resolve();
      }
      await until(() => ran.length === 4);
      if (change === 'remove') await scheduler.removeJob('backlog');
      else await scheduler.pauseJob('backlog');
      release.resolve();
      await clock.flush();
      await clock.flush();
      expect(ran).toEqual([S, 2 * S, 3 * S, 4 * S]);
      await scheduler.shutdown({ wait: false });
    }
  });

  it("gives the rest of a coalesce 'all' catch-up the job's new args", async () => {
    const { clock, scheduler } = makeScheduler();
    const ran: string[] = [];
    let release = deferred();
    await scheduler.addJob(
      async (label: string, ctx: JobContext) => {
        ran.push(`${label}@${ctx.scheduledRunTime.getTime() - T0}`);
        await release.promise;
      },
      new IntervalTrigger({ seconds: 1, startDate: at(S) }),
      { id: 'backlog', coalesce: 'all', args: ['old'] },
    );
    await scheduler.start({ paused: true });
    await clock.advance(3 * S);
    scheduler.resume();
    await clock.advance(0);
    await until(() => ran.length === 1);
    await scheduler.modifyJob('backlog', { args: ['new'] });
    for (let k = 1; k <= 3; k++) {
      const previous = release;
      release = deferred();
      previous.resolve();
      await until(() => ran.length === Math.min(k + 1, 3));
    }
    release.resolve();
    expect(ran).toEqual(['old@1000', 'new@2000', 'new@3000']);
    await scheduler.shutdown({ wait: false });
  });
});

describe('a forced shutdown', () => {
  it('releases the instance and the executor slot of a run that never settles', async () => {
    const { PromiseExecutor } = await import('../../src/index.js');
    const { clock, scheduler } = makeScheduler({ executors: { default: new PromiseExecutor({ concurrency: 2 }) } });
    const events = recordEvents(scheduler);
    const stuck: string[] = [];
    const healthy: number[] = [];
    for (const id of ['stuck-a', 'stuck-b']) {
      await scheduler.addJob(
        () => {
          stuck.push(id);
          // The first run never settles (its timeout is an hour away); later ones return at once.
          return stuck.filter((name) => name === id).length === 1 ? new Promise(() => undefined) : undefined;
        },
        new IntervalTrigger({ seconds: 1, startDate: at(S) }),
        { id, maxInstances: 1, timeout: 3_600 },
      );
    }
    await scheduler.start();
    await clock.advance(S);
    expect(stuck).toEqual(['stuck-a', 'stuck-b']);
    await scheduler.shutdown({ wait: false });
    expect(ofType(events, 'job:error').map((event) => (event.error as { code: string }).code)).toEqual([
      'ERR_JOB_CANCELLED',
      'ERR_JOB_CANCELLED',
    ]);
    await scheduler.addJob(() => void healthy.push(clock.now() - T0), new IntervalTrigger({ seconds: 1, startDate: at(3 * S) }), {
      id: 'healthy',
    });
    await scheduler.start();
    await clock.advance(3 * S);
    // The stuck jobs run again (their old runs no longer count) and the new one gets its slots.
    expect(stuck.filter((id) => id === 'stuck-a').length).toBeGreaterThan(1);
    expect(healthy.length).toBeGreaterThan(0);
    await expect(scheduler.runJob('healthy')).resolves.toBeUndefined();
    await scheduler.shutdown({ wait: false });
  });
});

describe('a trigger that fails after its due slot', () => {
  it('runs the due slot, reports the job once and pauses it', async () => {
    const { AndTrigger } = await import('../../src/index.js');
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    const ran: number[] = [];
    // Both agree at 1 s; the next agreement (78 s) needs more search rounds than allowed.
    const rarely = new AndTrigger(
      [new IntervalTrigger({ seconds: 7, startDate: at(S) }), new IntervalTrigger({ seconds: 11, startDate: at(S) })],
      { threshold: 0, maxIterations: 3 },
    );
    await scheduler.addJob((ctx: JobContext) => void ran.push(ctx.scheduledRunTime.getTime() - T0), rarely, { id: 'rare' });
    await scheduler.start();
    await clock.advance(5 * 60 * S);
    expect(ran).toEqual([S]);
    const invalid = ofType(events, 'job:invalid');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ jobId: 'rare', paused: true, error: { code: 'ERR_MAX_ITERATIONS' } });
    expect((await scheduler.getJob('rare'))?.paused).toBe(true);
    await scheduler.shutdown();
  });

  it('reports a record it cannot use once, leaves it as it is, and runs it once it can', async () => {
    const store = new MemoryJobStore();
    const { clock, scheduler } = makeScheduler({ stores: { default: store } });
    const events = recordEvents(scheduler);
    const { makeRecord } = await import('../contracts/job-store.contract.js');
    const record = makeRecord({
      id: 'later',
      task: 'later',
      trigger: { type: 'interval', seconds: 10, startDate: at(0).toISOString() },
      nextRunTime: at(10 * S).toISOString(),
    });
    await store.addJob(record);
    await scheduler.start();
    await clock.advance(3 * 60 * S);
    expect(ofType(events, 'job:invalid')).toHaveLength(1);
    expect(await store.getJob('later')).toStrictEqual(record);
    const ran: number[] = [];
    scheduler.registerTask('later', () => void ran.push(clock.now() - T0));
    await clock.advance(60 * S);
    expect(ran.length).toBeGreaterThan(0);
    await scheduler.shutdown();
  });
});

describe('a job replaced while it is processed', () => {
  it('keeps the new trigger even when it starts at the same instant', async () => {
    const store = new MemoryJobStore();
    const release = store.releaseJobs.bind(store);
    const gate = deferred();
    store.releaseJobs = async (...args) => {
      await gate.promise;
      return release(...args);
    };
    const { clock, scheduler } = makeScheduler({ stores: { default: store } });
    const ran: string[] = [];
    const { DateTrigger } = await import('../../src/index.js');
    const task = (label: string, ctx: JobContext) => void ran.push(`${label}@${ctx.scheduledRunTime.getTime() - T0}`);
    scheduler.registerTask('task', task);
    await scheduler.addJob('task', new IntervalTrigger({ seconds: 10, startDate: at(10 * S) }), { id: 'x', args: ['old'] });
    await scheduler.start();
    scheduler.once('job:submitted', () => {
      // While the loop holds the job: replace it by a one-off job at this very instant.
      void scheduler
        .addJob('task', new DateTrigger(at(10 * S)), { id: 'x', args: ['new'], replaceExisting: true })
        .then(() => gate.resolve());
    });
    await clock.advance(10 * S);
    await clock.advance(60 * S);
    // The new one-off job runs its slot and ends; it never takes the old trigger's next time (20 s).
    expect(ran).toEqual(['old@10000', 'new@10000']);
    expect(await scheduler.getJob('x')).toBeUndefined();
    await scheduler.shutdown();
  });
});
