/** start() writes the pending jobs all or none. */
import { describe, expect, it } from 'vitest';
import { IntervalTrigger, MemoryJobStore, StoreError } from '../../src/index.js';
import type { JobRecord, Trigger } from '../../src/index.js';
import { T0, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const every = (seconds: number) => new IntervalTrigger({ seconds, startDate: new Date(T0 + seconds * 1000) });

/** A memory store whose `addJob` fails on its `failOn`-th call once armed. */
class FlakyStore extends MemoryJobStore {
  failOn: number | null = null;
  #calls = 0;

  override async addJob(record: JobRecord): Promise<void> {
    if (this.failOn !== null && ++this.#calls === this.failOn) throw new StoreError('disk full');
    return super.addJob(record);
  }

  arm(failOn: number): void {
    this.failOn = failOn;
    this.#calls = 0;
  }
}

describe('start() writes pending jobs all or none', () => {
  it('undoes the writes made before a failing one, emits nothing and stays stopped; a later start() writes all', async () => {
    const store = new FlakyStore();
    // A job kept from an earlier run, which a pending job replaces.
    const earlier = makeScheduler({ stores: { default: store } });
    await earlier.scheduler.start();
    await earlier.scheduler.addJob(() => 'old', every(60), { id: 'kept', name: 'old' });
    await earlier.scheduler.shutdown();
    const before = await store.getJob('kept');

    const { scheduler } = makeScheduler({ stores: { default: store } });
    const events = recordEvents(scheduler);
    await scheduler.addJob(() => 1, every(5), { id: 'a' });
    await scheduler.addJob(() => 1, every(5), { id: 'kept', name: 'new', replaceExisting: true });
    await scheduler.addJob(() => 1, every(5), { id: 'b' });
    await scheduler.addJob(() => 1, every(5), { id: 'c' });
    await scheduler.addJob(() => 1, every(5), { id: 'd' });
    store.arm(3); // a, b, then c fails ('kept' is an update, not an add)

    await expect(scheduler.start()).rejects.toThrow('disk full');
    expect(scheduler.state).toBe('stopped');
    expect((await store.getJobs()).map((record) => record.id)).toEqual(['kept']);
    // The replaced job has its old record back (as the next version: versions only grow).
    expect(await store.getJob('kept')).toEqual({ ...before, version: (before?.version ?? 0) + 2 });
    expect(events.filter((event) => event.type === 'job:added' || event.type === 'job:removed')).toEqual([]);
    expect((await scheduler.getJobs()).map((job) => [job.id, job.pending]).sort()).toEqual(
      ['a', 'b', 'c', 'd', 'kept'].map((id) => [id, true]),
    );
    // Re-adding a pending job conflicts with the pending one only, as before the failed start.
    await expect(scheduler.addJob(() => 1, every(5), { id: 'a' })).rejects.toMatchObject({ code: 'ERR_CONFLICTING_ID' });

    store.failOn = null;
    await scheduler.start();
    expect((await store.getJobs()).map((record) => record.id).sort()).toEqual(['a', 'b', 'c', 'd', 'kept']);
    expect((await store.getJob('kept'))?.name).toBe('new');
    expect(ofType(events, 'job:added').map((event) => event.jobId)).toEqual(['a', 'kept', 'b', 'c', 'd']);
    expect(ofType(events, 'job:removed')).toEqual([expect.objectContaining({ jobId: 'kept', reason: 'replaced' })]);
    await scheduler.shutdown();
  });

  it('puts back a job replaced from another store', async () => {
    const other = new MemoryJobStore();
    const store = new FlakyStore();
    const earlier = makeScheduler({ stores: { default: store, other } });
    await earlier.scheduler.start();
    await earlier.scheduler.addJob(() => 'old', every(60), { id: 'moved', store: 'other' });
    await earlier.scheduler.shutdown();
    const before = await other.getJob('moved');

    const { scheduler } = makeScheduler({ stores: { default: store, other } });
    await scheduler.addJob(() => 1, every(5), { id: 'moved', replaceExisting: true });
    await scheduler.addJob(() => 1, every(5), { id: 'z' });
    store.arm(2);
    await expect(scheduler.start()).rejects.toThrow('disk full');
    expect(await store.getJobs()).toEqual([]);
    expect(await other.getJob('moved')).toEqual(before);
  });

  it('fails before writing anything when a pending trigger throws at start', async () => {
    const store = new MemoryJobStore();
    const { clock, scheduler } = makeScheduler({ stores: { default: store } });
    const events = recordEvents(scheduler);
    let broken = false;
    const trigger: Trigger = {
      getNextFireTime: (previous, now) => {
        if (broken) throw new TypeError('lost my config');
        return new Date((previous ?? now).getTime() + 1_000);
      },
      toJSON: () => ({ type: 'flaky' }),
      toString: () => 'flaky',
    };
    await scheduler.addJob(() => 1, every(5), { id: 'first' });
    await scheduler.addJob(() => 1, trigger, { id: 'flaky' });
    await scheduler.addJob(() => 1, every(5), { id: 'last' });
    broken = true;
    await clock.advance(1_000);
    await expect(scheduler.start()).rejects.toMatchObject({ code: 'ERR_INVALID_TRIGGER', field: 'getNextFireTime' });
    expect(scheduler.state).toBe('stopped');
    expect(await store.getJobs()).toEqual([]);
    expect(events).toEqual([]);
    expect((await scheduler.getJobs()).map((job) => job.id)).toEqual(['first', 'flaky', 'last']);
    broken = false;
    await scheduler.start();
    expect((await store.getJobs()).map((record) => record.id).sort()).toEqual(['first', 'flaky', 'last']);
    await scheduler.shutdown();
  });

  it('drops a pending job whose trigger finished before start, once the writes stand', async () => {
    const { clock, scheduler } = makeScheduler();
    const events = recordEvents(scheduler);
    const ending = new IntervalTrigger({ seconds: 1, startDate: new Date(T0), endDate: new Date(T0 + 5_000) });
    await scheduler.addJob(() => 1, ending, { id: 'ended' });
    await scheduler.addJob(() => 1, every(5), { id: 'kept' });
    await clock.advance(10_000);
    await scheduler.start();
    expect(events.map((event) => [event.type, 'jobId' in event ? event.jobId : ''])).toEqual([
      ['job:removed', 'ended'], ['job:added', 'kept'], ['scheduler:started', ''],
    ]);
    expect((await scheduler.getJobs()).map((job) => job.id)).toEqual(['kept']);
    await scheduler.shutdown();
  });
});
