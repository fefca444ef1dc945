import { describe, expect, it } from 'vitest';
import { CronTrigger, DateTrigger, IntervalTrigger, MemoryJobStore, OrTrigger } from '../../src/index.js';
import type { JobContext } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { T0, iso, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const at = (offsetMs: number) => new Date(T0 + offsetMs);
const every = (seconds: number) => new IntervalTrigger({ seconds, startDate: at(seconds * 1000) });

async function started() {
  const made = makeScheduler();
  await made.scheduler.start();
  return made;
}

describe('addJob', () => {
  it('stores the job with defaults and returns its view', async () => {
    const { scheduler } = await started();
    const job = await scheduler.addJob(function sendReport() {}, every(5));
    expect(job).toMatchObject({
      name: 'sendReport', task: 'sendReport', args: [], executor: 'default', store: 'default',
      misfireGraceTime: null, coalesce: 'latest', maxInstances: 1, jitter: null, timeout: null,
      paused: false, pending: false, metadata: {},
    });
    expect(job.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.nextRunTime?.toISOString()).toBe(at(5_000).toISOString());
    // A built-in trigger without its own zone takes the scheduler's.
    expect(job.trigger.toJSON()).toEqual({ ...every(5).toJSON(), timezone: 'UTC' });
    await scheduler.shutdown();
  });

  it('accepts a crontab string and reads it in the scheduler time zone', async () => {
    const { clock, scheduler } = makeScheduler({ timezone: 'America/New_York' });
    const runs: string[] = [];
    await scheduler.start();
    const job = await scheduler.addJob(() => void runs.push(new Date(clock.now()).toISOString()), '30 9 * * 1-5');
    expect(job.trigger.toJSON()).toEqual({ type: 'cron', expression: '30 9 * * 1-5', timezone: 'America/New_York' });
    // 2026-01-05 is a Monday; 09:30 EST is 14:30Z.
    expect(job.nextRunTime?.toISOString()).toBe('2026-01-05T14:30:00.000Z');
    await clock.advance(7 * 86_400_000);
    expect(runs).toEqual(['05', '06', '07', '08', '09'].map((day) => `2026-01-${day}T14:30:00.000Z`));
    await scheduler.shutdown();
  });

  it('shares one trigger between jobs with equal schedules, and keeps different ones apart', async () => {
    const { scheduler } = makeScheduler({ timezone: 'Europe/Berlin' });
    await scheduler.start();
    const a = await scheduler.addJob(() => 1, '*/5 * * * *');
    const b = await scheduler.addJob(() => 2, '*/5 * * * *');
    const c = await scheduler.addJob(() => 3, { type: 'cron', minute: '*/5' });
    const d = await scheduler.addJob(() => 4, { type: 'cron', minute: '*/5' });
    const e = await scheduler.addJob(() => 5, '*/10 * * * *');
    expect(a.trigger).toBe(b.trigger);
    expect(c.trigger).toBe(d.trigger);
    expect(e.trigger).not.toBe(a.trigger);
    expect(e.nextRunTime?.getTime()).not.toBe(undefined);
    await scheduler.shutdown();
  });

  it('accepts a combined trigger with a custom child in a memory store', async () => {
    const { clock, scheduler } = makeScheduler();
    const custom = {
      getNextFireTime: (previous: Date | null, now: Date) => new Date(Math.floor(((previous ?? now).getTime() + 7_000) / 7_000) * 7_000),
      toJSON: () => ({ type: 'every-7s' }),
      toString: () => 'every-7s',
    };
    const runs: number[] = [];
    await scheduler.start();
    await scheduler.addJob(() => void runs.push(clock.now() - T0), new OrTrigger([custom, every(5)]));
    await clock.advance(15_000);
    // The custom child fires on multiples of 7 s since the epoch; the interval every 5 s from T0.
    const sevens = [1, 2, 3].map((k) => Math.ceil(T0 / 7_000) * 7_000 + (k - 1) * 7_000 - T0).filter((t) => t <= 15_000);
    expect(runs).toEqual([...new Set([5_000, 10_000, 15_000, ...sevens])].sort((x, y) => x - y));
    await scheduler.shutdown();
  });

  it('uses a subclass of a built-in trigger as given', async () => {
    class NamedCron extends CronTrigger {
      override toString(): string {
        return 'the nightly export';
      }
    }
    const { scheduler } = makeScheduler();
    await scheduler.start();
    const job = await scheduler.addJob(() => 1, new NamedCron({ hour: 2 }));
    expect(job.trigger.toString()).toBe('the nightly export');
    await scheduler.shutdown();
  });

  it('keeps the zone of a trigger instance that has one', async () => {
    const { scheduler } = makeScheduler({ timezone: 'Europe/Berlin' });
    await scheduler.start();
    const job = await scheduler.addJob(() => 1, new CronTrigger({ hour: 9, timezone: 'Asia/Tokyo' }));
    expect(job.trigger.toJSON()).toMatchObject({ timezone: 'Asia/Tokyo' });
    expect(job.nextRunTime?.toISOString()).toBe('2026-01-05T00:00:00.000Z'); // 09:00 JST
    await scheduler.shutdown();
  });

  it('accepts a JSON trigger spec and uses the scheduler time zone for it', async () => {
    const { scheduler } = makeScheduler({ timezone: 'Europe/Berlin' });
    await scheduler.start();
    const job = await scheduler.addJob(() => 1, { type: 'date', runDate: '2026-01-05T09:00:00' });
    expect(job.nextRunTime?.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    await scheduler.shutdown();
  });

  it('passes args then a context to the task, and copies args so the stored job is unchanged', async () => {
    const { clock, scheduler } = await started();
    const seen: unknown[][] = [];
    await scheduler.addJob(
      (list: number[], label: string, ctx: JobContext) => {
        seen.push([[...list], label, ctx.job.id, ctx.scheduledRunTime.toISOString(), ctx.scheduler === scheduler]);
        list.push(99);
      },
      every(1),
      { id: 'a', args: [[1, 2], 'x'] },
    );
    await clock.advance(2_000);
    expect(seen).toEqual([
      [[1, 2], 'x', 'a', at(1_000).toISOString(), true],
      [[1, 2], 'x', 'a', at(2_000).toISOString(), true],
    ]);
    expect((await scheduler.getJob('a'))?.args).toEqual([[1, 2], 'x']);
    await scheduler.shutdown();
  });

  it('runs a registered task by name', async () => {
    const { clock, scheduler } = makeScheduler({ tasks: { greet: (name: string) => `hi ${name}` } });
    const events = recordEvents(scheduler);
    await scheduler.start();
    await scheduler.addJob('greet', every(1), { args: ['ada'] });
    await clock.advance(1_000);
    expect(ofType(events, 'job:executed').map((event) => event.returnValue)).toEqual(['hi ada']);
    expect(scheduler.taskNames).toEqual(['greet']);
    await scheduler.shutdown();
  });

  it('refuses a duplicate id, and replaces it with replaceExisting', async () => {
    const { scheduler } = await started();
    const events = recordEvents(scheduler);
    await scheduler.addJob(() => 1, every(5), { id: 'dup', name: 'first' });
    await expect(scheduler.addJob(() => 2, every(7), { id: 'dup', name: 'second' })).rejects.toMatchObject({
      code: 'ERR_CONFLICTING_ID', jobId: 'dup',
    });
    expect((await scheduler.getJob('dup'))?.name).toBe('first');
    const replaced = await scheduler.addJob(() => 2, every(7), { id: 'dup', name: 'second', replaceExisting: true });
    expect(replaced.name).toBe('second');
    expect((await scheduler.getJobs()).map((job) => job.name)).toEqual(['second']);
    expect(events.map((event) => event.type)).toEqual(['job:added', 'job:removed', 'job:added']);
    await scheduler.shutdown();
  });

  it('leaves nothing behind when the store refuses a job added without an id, and goes on', async () => {
    class RefusingOnce extends MemoryJobStore {
      refuse = true;
      override async addJob(record: Parameters<MemoryJobStore['addJob']>[0]): Promise<void> {
        if (this.refuse) {
          this.refuse = false;
          throw Object.assign(new Error('disk full'), { code: 'ERR_DISK' });
        }
        return super.addJob(record);
      }
    }
    const { clock, scheduler } = makeScheduler({ stores: { default: new RefusingOnce() } });
    await scheduler.start();
    const events = recordEvents(scheduler);
    const runs: string[] = [];
    const refused = scheduler.addJob(() => void runs.push('refused'), every(1));
    await expect(refused).rejects.toThrow('disk full');
    expect(await scheduler.getJobs()).toEqual([]);
    const kept = await scheduler.addJob(() => void runs.push('kept'), every(1));
    // A listener of job:added may change the job at once: its write is not lost to the add's.
    scheduler.on('job:added', (event) => void scheduler.pauseJob(event.jobId));
    const paused = await scheduler.addJob(() => void runs.push('paused'), every(1));
    await clock.advance(3_000);
    expect(runs).toEqual(['kept', 'kept', 'kept']);
    expect((await scheduler.getJob(paused.id))?.paused).toBe(true);
    expect(ofType(events, 'job:added').map((event) => event.jobId)).toEqual([kept.id, paused.id]);
    await scheduler.shutdown();
  });

  it('writes a job added without an id straight to its store; one with an id is looked for first', async () => {
    const looked: string[] = [];
    class Watched extends MemoryJobStore {
      override async getJob(id: string) {
        looked.push(id);
        return super.getJob(id);
      }
    }
    const { scheduler } = makeScheduler({ stores: { default: new Watched(), other: new Watched() } });
    await scheduler.start();
    await scheduler.addJob(() => 1, every(5));
    await scheduler.addJob(() => 1, every(5), { store: 'other' });
    expect(looked).toEqual([]);
    await scheduler.addJob(() => 1, every(5), { id: 'given' });
    expect(looked).toEqual(['given', 'given']);
    await scheduler.shutdown();
  });

  it('keeps one immediate timer through a burst of awaited adds, and arms it again once it has fired', async () => {
    const delays: number[] = [];
    class CountingClock extends VirtualClock {
      override setTimeout(callback: () => void, delayMs: number) {
        delays.push(delayMs);
        return super.setTimeout(callback, delayMs);
      }
    }
    const clock = new CountingClock(T0);
    const { scheduler } = makeScheduler({ clock });
    await scheduler.start();
    await clock.advance(0); // the start's own pass: the loop then waits for a job
    const runs: number[] = [];
    delays.length = 0;
    for (let i = 0; i < 50; i++) await scheduler.addJob(() => void runs.push(i), every(1));
    expect(delays).toEqual([0]);
    await clock.advance(1_000);
    expect(runs).toHaveLength(50);
    // The loop's timer now waits for the next second: an add looks at the stores at once again.
    delays.length = 0;
    await scheduler.addJob(() => void runs.push(50), new DateTrigger(at(1_500)));
    expect(delays).toEqual([0]);
    await clock.advance(500);
    expect(runs.at(-1)).toBe(50);
    await scheduler.shutdown();
  });

  it('lets exactly one of two concurrent adds with the same id win', async () => {
    const { scheduler } = await started();
    const results = await Promise.allSettled([
      scheduler.addJob(() => 1, every(5), { id: 'race' }),
      scheduler.addJob(() => 2, every(5), { id: 'race' }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await scheduler.getJobs()).toHaveLength(1);
    await scheduler.shutdown();
  });

  it('adds a job paused, or with an explicit first run time', async () => {
    const { scheduler } = await started();
    const paused = await scheduler.addJob(() => 1, every(5), { id: 'p', paused: true });
    expect(paused).toMatchObject({ paused: true, nextRunTime: null });
    const explicit = await scheduler.addJob(() => 1, every(5), { id: 'e', nextRunTime: '2026-01-05T00:00:03Z' });
    expect(explicit.nextRunTime?.toISOString()).toBe(at(3_000).toISOString());
    await scheduler.shutdown();
  });

  it('puts jobs in the store and executor named by alias', async () => {
    const other = new MemoryJobStore();
    const { scheduler } = makeScheduler({ stores: { other } });
    await scheduler.start();
    await scheduler.addJob(() => 1, every(5), { id: 'o', store: 'other' });
    expect((await other.getJob('o'))?.id).toBe('o');
    expect((await scheduler.getJobs('other')).map((job) => job.store)).toEqual(['other']);
    expect(await scheduler.getJobs('default')).toEqual([]);
    await scheduler.shutdown();
  });
});

describe('modifyJob / rescheduleJob', () => {
  it('applies all changes at once and emits job:modified', async () => {
    const { scheduler } = await started();
    await scheduler.addJob(() => 1, every(5), { id: 'm' });
    const events = recordEvents(scheduler);
    const job = await scheduler.modifyJob('m', { name: 'renamed', args: [1], maxInstances: 3, coalesce: false, metadata: { a: 1 } });
    expect(job).toMatchObject({ name: 'renamed', args: [1], maxInstances: 3, coalesce: 'all', metadata: { a: 1 } });
    expect(job.nextRunTime?.toISOString()).toBe(at(5_000).toISOString());
    expect(ofType(events, 'job:modified')).toEqual([expect.objectContaining({ jobId: 'm', store: 'default' })]);
    await scheduler.shutdown();
  });

  it('changes nothing when one change is invalid', async () => {
    const { scheduler } = await started();
    await scheduler.addJob(() => 1, every(5), { id: 'm', name: 'before' });
    const before = await scheduler.getJob('m');
    await expect(scheduler.modifyJob('m', { name: 'after', maxInstances: 0 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT', field: 'changes.maxInstances',
    });
    expect(await scheduler.getJob('m')).toEqual(before);
    await scheduler.shutdown();
  });

  it('computes the next run time from now for a new trigger', async () => {
    const { clock, scheduler } = await started();
    await scheduler.addJob(() => 1, every(5), { id: 'r' });
    await clock.advance(2_000);
    const job = await scheduler.rescheduleJob('r', new IntervalTrigger({ seconds: 30 }));
    expect(job.nextRunTime?.toISOString()).toBe(at(32_000).toISOString());
    expect(job.trigger.toString()).toContain('30s');
    await scheduler.shutdown();
  });
});

describe('pauseJob / resumeJob', () => {
  it('pauses without losing the job and resumes from now, skipping the paused window', async () => {
    const { clock, scheduler } = await started();
    const runs: string[] = [];
    await scheduler.addJob((ctx: JobContext) => void runs.push(ctx.scheduledRunTime.toISOString()), every(10), { id: 'j' });
    const paused = await scheduler.pauseJob('j');
    expect(paused).toMatchObject({ paused: true, nextRunTime: null });
    await clock.advance(35_000);
    expect(runs).toEqual([]);
    const resumed = await scheduler.resumeJob('j');
    expect(resumed?.nextRunTime?.toISOString()).toBe(at(40_000).toISOString());
    await clock.advance(5_000);
    expect(runs).toEqual([at(40_000).toISOString()]);
    await scheduler.shutdown();
  });

  it('removes a job whose trigger has nothing left when resumed', async () => {
    const { clock, scheduler } = await started();
    const events = recordEvents(scheduler);
    await scheduler.addJob(() => 1, new DateTrigger(at(5_000)), { id: 'once', paused: true });
    await clock.advance(10_000);
    // A date trigger asked from scratch returns its date, even when past, so misfire rules decide.
    expect((await scheduler.resumeJob('once'))?.nextRunTime?.toISOString()).toBe(at(5_000).toISOString());
    const ended = await scheduler.addJob(() => 1, new IntervalTrigger({ seconds: 1, startDate: at(0), endDate: at(20_000) }), {
      id: 'ended', paused: true,
    });
    expect(ended.paused).toBe(true);
    await clock.advance(30_000);
    expect(await scheduler.resumeJob('ended')).toBeUndefined();
    expect(await scheduler.getJob('ended')).toBeUndefined();
    expect(ofType(events, 'job:removed').at(-1)).toMatchObject({ jobId: 'ended', reason: 'finished' });
    await scheduler.shutdown();
  });
});

describe('runJob', () => {
  it('runs now through the executor without moving the schedule', async () => {
    const { clock, scheduler } = await started();
    const events = recordEvents(scheduler);
    await scheduler.addJob(() => 'done', every(60), { id: 'n' });
    await clock.advance(1_000);
    await scheduler.runJob('n');
    await clock.flush();
    expect(ofType(events, 'job:executed')).toEqual([
      expect.objectContaining({ jobId: 'n', returnValue: 'done', scheduledRunTime: at(1_000) }),
    ]);
    expect((await scheduler.getJob('n'))?.nextRunTime?.toISOString()).toBe(at(60_000).toISOString());
    await scheduler.shutdown();
  });

  it('refuses while the job has maxInstances runs in flight', async () => {
    const { scheduler } = await started();
    await scheduler.addJob(() => new Promise(() => undefined), every(60), { id: 'busy' });
    await scheduler.runJob('busy');
    await expect(scheduler.runJob('busy')).rejects.toMatchObject({ code: 'ERR_MAX_INSTANCES', jobId: 'busy' });
    await expect(scheduler.runJob('missing')).rejects.toMatchObject({ code: 'ERR_JOB_NOT_FOUND' });
    await scheduler.shutdown({ wait: false });
  });
});

describe('removeJob / removeAllJobs / getJob / getJobs', () => {
  it('removes one job, or all of one store, or all', async () => {
    const { scheduler } = makeScheduler({ stores: { b: new MemoryJobStore() } });
    await scheduler.start();
    const events = recordEvents(scheduler);
    await scheduler.addJob(() => 1, every(5), { id: 'a1' });
    await scheduler.addJob(() => 1, every(5), { id: 'a2' });
    await scheduler.addJob(() => 1, every(5), { id: 'b1', store: 'b' });
    await scheduler.removeJob('a1');
    await expect(scheduler.removeJob('a1')).rejects.toMatchObject({ code: 'ERR_JOB_NOT_FOUND', jobId: 'a1' });
    await scheduler.removeAllJobs('b');
    expect((await scheduler.getJobs()).map((job) => job.id)).toEqual(['a2']);
    await scheduler.removeAllJobs();
    expect(await scheduler.getJobs()).toEqual([]);
    expect(ofType(events, 'jobs:cleared').map((event) => event.store)).toEqual(['b', null]);
    expect(ofType(events, 'job:removed')).toEqual([expect.objectContaining({ jobId: 'a1', reason: 'removed' })]);
    await scheduler.shutdown();
  });

  it('lists jobs of all stores by next run time, paused last', async () => {
    const { scheduler } = makeScheduler({ stores: { b: new MemoryJobStore() } });
    await scheduler.start();
    await scheduler.addJob(() => 1, every(30), { id: 'late' });
    await scheduler.addJob(() => 1, every(5), { id: 'paused', paused: true });
    await scheduler.addJob(() => 1, every(10), { id: 'mid', store: 'b' });
    await scheduler.addJob(() => 1, every(1), { id: 'soon' });
    expect((await scheduler.getJobs()).map((job) => job.id)).toEqual(['soon', 'mid', 'late', 'paused']);
    expect(await scheduler.getJob('nope')).toBeUndefined();
    expect(iso((await scheduler.getJobs()).flatMap((job) => (job.nextRunTime ? [job.nextRunTime] : [])))).toEqual(
      [1_000, 10_000, 30_000].map((ms) => at(ms).toISOString()),
    );
    await scheduler.shutdown();
  });

  it('works on pending jobs while stopped', async () => {
    const { scheduler } = makeScheduler();
    await scheduler.addJob(() => 1, every(5), { id: 'p1' });
    await scheduler.addJob(() => 1, every(5), { id: 'p2' });
    await expect(scheduler.addJob(() => 1, every(5), { id: 'p2' })).rejects.toMatchObject({ code: 'ERR_CONFLICTING_ID' });
    expect((await scheduler.modifyJob('p1', { name: 'one' })).name).toBe('one');
    expect((await scheduler.pauseJob('p1')).paused).toBe(true);
    expect((await scheduler.resumeJob('p1'))?.paused).toBe(false);
    await scheduler.removeJob('p2');
    expect((await scheduler.getJobs()).map((job) => [job.id, job.pending])).toEqual([['p1', true]]);
    await scheduler.removeAllJobs();
    expect(await scheduler.getJobs()).toEqual([]);
  });
});

describe('registerTask', () => {
  it('refuses to map a name to a second function, and accepts the same one again', () => {
    const { scheduler } = makeScheduler();
    const fn = () => 1;
    scheduler.registerTask('t', fn).registerTask('t', fn);
    expect(() => scheduler.registerTask('t', () => 2)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', field: 'name' }));
    expect(() => scheduler.registerTask('', fn)).toThrow(expect.objectContaining({ field: 'name' }));
    expect(() => scheduler.registerTask('x', 'nope' as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
