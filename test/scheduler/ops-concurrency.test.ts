/** Concurrent writes to one job from this process are queued; other processes' writes are retried. */
import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError, IntervalTrigger, MemoryJobStore } from '../../src/index.js';
import type { JobRecord } from '../../src/index.js';
import { KeyedQueue } from '../../src/scheduler/keyed-queue.js';
import { T0, deferred, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const every = (seconds: number) => new IntervalTrigger({ seconds, startDate: new Date(T0 + seconds * 1000) });

describe('concurrent writes to one job', () => {
  it('all of 50 concurrent modify/pause/resume calls succeed, applied in call order', async () => {
    const { scheduler } = makeScheduler();
    await scheduler.start();
    await scheduler.addJob(() => 1, every(5), { id: 'hot' });
    const events = recordEvents(scheduler);
    const calls = Array.from({ length: 50 }, (_, k) => {
      if (k % 3 === 0) return scheduler.modifyJob('hot', { name: `n${k}`, metadata: { k } });
      if (k % 3 === 1) return scheduler.pauseJob('hot');
      return scheduler.resumeJob('hot');
    });
    const results = await Promise.allSettled(calls);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    // The last call (k = 49) pauses; the last modify (k = 48) named it.
    const job = await scheduler.getJob('hot');
    expect(job).toMatchObject({ name: 'n48', metadata: { k: 48 }, paused: true });
    expect(ofType(events, 'job:modified')).toHaveLength(50);
    // Each call saw the one before it: the k-th result is the record after call k.
    const names = results.map((result) => (result.status === 'fulfilled' ? result.value?.name : 'failed'));
    expect(names).toEqual(Array.from({ length: 50 }, (_, k) => `n${k - (k % 3)}`));
    await scheduler.shutdown();
  });

  it('queues adds and removes with the changes of the same id', async () => {
    const { scheduler } = makeScheduler();
    await scheduler.start();
    const results = await Promise.allSettled([
      scheduler.addJob(() => 1, every(5), { id: 'x', name: 'first' }),
      scheduler.modifyJob('x', { name: 'second' }),
      scheduler.removeJob('x'),
      scheduler.addJob(() => 1, every(5), { id: 'x', name: 'third' }),
      scheduler.pauseJob('x'),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(await scheduler.getJob('x')).toMatchObject({ name: 'third', paused: true });
    await scheduler.shutdown();
  });

  it('keeps retrying a change when another process changed the job in between', async () => {
    /** Another scheduler's write lands between this one's read and its write, twice. */
    class SharedStore extends MemoryJobStore {
      intrusions = 2;
      override async updateJob(record: JobRecord): Promise<void> {
        if (this.intrusions > 0) {
          this.intrusions--;
          const stored = await this.getJob(record.id);
          if (stored) {
            const { metadata } = stored;
            await super.updateJob({ ...stored, metadata: { ...metadata, other: this.intrusions }, version: stored.version + 1 });
          }
        }
        return super.updateJob(record);
      }
    }
    const store = new SharedStore();
    const { scheduler } = makeScheduler({ stores: { default: store } });
    await scheduler.start();
    await scheduler.addJob(() => 1, every(5), { id: 'j' });
    const job = await scheduler.modifyJob('j', { name: 'mine' });
    expect(job.name).toBe('mine');
    // The other writer's change is kept: the change was applied to the record read again.
    expect(await store.getJob('j')).toMatchObject({ name: 'mine', metadata: { other: 0 }, version: 4 });
    await scheduler.shutdown();
  });

  it('gives up after 5 attempts against a writer that always gets there first', async () => {
    class Hostile extends MemoryJobStore {
      attempts = 0;
      override async updateJob(record: JobRecord): Promise<void> {
        this.attempts++;
        throw new ConcurrentModificationError(record.id);
      }
    }
    const store = new Hostile();
    const { scheduler } = makeScheduler({ stores: { default: store } });
    await scheduler.start();
    await scheduler.addJob(() => 1, every(5), { id: 'j' });
    await expect(scheduler.pauseJob('j')).rejects.toMatchObject({ code: 'ERR_CONCURRENT_MODIFICATION' });
    expect(store.attempts).toBe(5);
    await scheduler.shutdown();
  });
});

describe('KeyedQueue', () => {
  it('runs sections of one key in call order, others concurrently, and forgets idle keys', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const gate = deferred();
    const a1 = queue.run('a', async () => {
      log.push('a1 start');
      await gate.promise;
      log.push('a1 end');
      throw new Error('a1 failed');
    });
    const a2 = queue.run('a', async () => void log.push('a2'));
    const b1 = queue.run('b', async () => void log.push('b1'));
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    await b1;
    await settle();
    expect(log).toEqual(['a1 start', 'b1']);
    expect(queue.size).toBe(1);
    gate.resolve();
    await expect(a1).rejects.toThrow('a1 failed');
    await a2;
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    await settle();
    expect(queue.size).toBe(0);
  });
});
