/** A stopped scheduler lists the jobs in its stores: each store is opened for the read and closed again. */
import { afterAll, describe, expect, it } from 'vitest';
import { IntervalTrigger, MemoryJobStore, StoreError } from '../../src/index.js';
import type { JobStore, JobStoreContext } from '../../src/index.js';
import { SqliteJobStore } from '../../src/stores/sqlite.js';
import { sqliteScratch } from '../helpers/databases.js';
import { T0, deferred, makeScheduler } from '../helpers/scheduler.js';

const scratch = sqliteScratch();
afterAll(() => scratch.drop());

const every = (seconds: number) => new IntervalTrigger({ seconds, startDate: new Date(T0 + seconds * 1000) });

/** A memory store that logs its starts and shutdowns, and can hold a start or fail it. */
class WatchedStore extends MemoryJobStore {
  readonly log: string[] = [];
  hold: Promise<void> | null = null;
  failStart: Error | null = null;

  override async start(): Promise<void> {
    this.log.push('start');
    if (this.hold) await this.hold;
    if (this.failStart) throw this.failStart;
    this.log.push('started');
  }

  override async shutdown(): Promise<void> {
    this.log.push('shutdown');
  }
}

describe('reading the stores of a stopped scheduler', () => {
  it('lists the stored jobs after a shutdown, then the pending ones; a pending job replaces a stored one of its id', async () => {
    const { scheduler } = makeScheduler();
    await scheduler.start();
    await scheduler.addJob(() => 1, every(20), { id: 'late' });
    await scheduler.addJob(() => 1, every(10), { id: 'soon' });
    await scheduler.addJob(() => 1, every(30), { id: 'replaced', name: 'stored' });
    await scheduler.shutdown();

    expect((await scheduler.getJobs()).map((job) => [job.id, job.pending])).toEqual([
      ['soon', false],
      ['late', false],
      ['replaced', false],
    ]);
    await scheduler.addJob(() => 2, every(5), { id: 'new' });
    await scheduler.addJob(() => 2, every(5), { id: 'replaced', name: 'pending', replaceExisting: true });
    const listed = await scheduler.getJobs();
    expect(listed.map((job) => [job.id, job.pending, job.name])).toEqual([
      ['soon', false, 'anonymous'],
      ['late', false, 'anonymous'],
      ['new', true, 'anonymous'],
      ['replaced', true, 'pending'],
    ]);
    expect((await scheduler.getJob('late'))?.nextRunTime?.getTime()).toBe(T0 + 20_000);
    expect((await scheduler.getJob('replaced'))?.name).toBe('pending');
    expect(await scheduler.getJob('missing')).toBeUndefined();
  });

  it('reads a SQLite store that is closed while stopped, and closes it again', async () => {
    const path = scratch.file('stopped.db');
    const store = new SqliteJobStore({ path });
    const { scheduler } = makeScheduler({ stores: { default: store }, tasks: { work: () => 1 } });
    await scheduler.start();
    await scheduler.addJob('work', every(60), { id: 'kept' });
    await scheduler.pauseJob('kept');
    await scheduler.shutdown();

    const [job] = await scheduler.getJobs();
    expect(job).toMatchObject({ id: 'kept', task: 'work', pending: false, nextRunTime: null });
    expect((await scheduler.getJob('kept'))?.id).toBe('kept');
    // Closed again: a store call outside a read fails as it does on any closed store.
    await expect(store.getJobs()).rejects.toThrow();
    // And the scheduler starts normally afterwards.
    await scheduler.start();
    expect((await scheduler.getJobs()).map((j) => j.id)).toEqual(['kept']);
    await scheduler.shutdown();
  });

  it('opens only the store asked for', async () => {
    const a = new WatchedStore();
    const b = new WatchedStore();
    const { scheduler } = makeScheduler({ stores: { default: a, other: b } });
    await scheduler.getJobs('other');
    expect([a.log, b.log]).toEqual([[], ['start', 'started', 'shutdown']]);
  });

  it('start() waits for a read in progress, so a store is never opened by both', async () => {
    const store = new WatchedStore();
    const gate = deferred();
    store.hold = gate.promise;
    const { scheduler } = makeScheduler({ stores: { default: store } });
    const listing = scheduler.getJobs();
    while (store.log.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const starting = scheduler.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.log).toEqual(['start']);
    store.hold = null;
    gate.resolve();
    await listing;
    await starting;
    expect(store.log).toEqual(['start', 'started', 'shutdown', 'start', 'started']);
    expect(scheduler.state).toBe('running');
    await scheduler.shutdown();
  });

  it('a read whose turn comes after a start began opens nothing and lists the started stores', async () => {
    const store = new WatchedStore();
    const { scheduler } = makeScheduler({ stores: { default: store } });
    await scheduler.start();
    await scheduler.addJob(() => 1, every(5), { id: 'a' });
    await scheduler.shutdown();
    store.log.length = 0;
    const listing = scheduler.getJobs();
    const starting = scheduler.start();
    expect((await listing).map((job) => [job.id, job.pending])).toEqual([['a', false]]);
    await starting;
    expect(store.log).toEqual(['start', 'started']);
    await scheduler.shutdown();
  });

  it('a store that cannot be opened fails the read with its error and is not shut down; the scheduler is unchanged', async () => {
    const store = new WatchedStore();
    store.failStart = new StoreError('cannot connect');
    const { scheduler } = makeScheduler({ stores: { default: store } });
    await scheduler.addJob(() => 1, every(5), { id: 'pending' });
    await expect(scheduler.getJobs()).rejects.toThrow('cannot connect');
    expect(store.log).toEqual(['start']);
    // A pending job is found without opening anything.
    expect((await scheduler.getJob('pending'))?.pending).toBe(true);
    store.failStart = null;
    expect((await scheduler.getJobs()).map((job) => job.id)).toEqual(['pending']);
  });

  it('passes the store its own context, as start() does', async () => {
    const contexts: string[] = [];
    const store: JobStore = new MemoryJobStore();
    store.start = async (context: JobStoreContext) => void contexts.push(context.alias);
    const { scheduler } = makeScheduler({ stores: { archive: store } });
    await scheduler.getJobs();
    expect(contexts).toEqual(['archive']);
  });
});
