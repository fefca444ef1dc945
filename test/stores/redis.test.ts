/**
 * The Redis store against a real Redis 7: the whole store contract (persistence, two instances,
 * shared runs), then what is Redis's own: its arguments, its key layout, change messages between
 * stores, an application's client (with its `keyPrefix`) used and never closed, and paging
 * through many jobs. Faults are in `redis-faults.test.ts`.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisJobStore } from '../../src/stores/redis.js';
import { codeOf, fieldAtFault } from '../contracts/harness.js';
import { contractContext, jobStoreContract, makeRecord } from '../contracts/job-store.contract.js';
import { expectWakesEachOther, until, watching } from '../helpers/store-watch.js';
import { describeWithServer } from '../helpers/databases.js';
import { probeRedis, REDIS_URL, redisScratch } from '../helpers/redis.js';

const server = await probeRedis();
const scratch = server.ok ? redisScratch() : null;
afterAll(async () => scratch?.drop());

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const T3 = '2026-01-01T00:03:00.000Z';
const MINUTE = 60_000;

describeWithServer('Redis', server, () => {
  const s = scratch!;

  jobStoreContract(
    'RedisJobStore',
    async () => {
      const options = { prefix: s.prefix() };
      return { store: new RedisJobStore({ url: REDIS_URL }, options), open: () => new RedisJobStore({ url: REDIS_URL }, options) };
    },
    { modelRuns: 100, persistent: true, sharedRuns: true },
  );

  describe('RedisJobStore', () => {
    it('checks its arguments, naming the field at fault', () => {
      const field = (make: () => unknown): unknown => {
        const fault = fieldAtFault(make);
        return fault === 'no error' ? fault : fault.field;
      };
      expect(field(() => new RedisJobStore({ url: '' }))).toBe('connection.url');
      expect(field(() => new RedisJobStore({ client: {} as never }))).toBe('connection.client');
      expect(field(() => new RedisJobStore({ url: REDIS_URL, client: {} } as never))).toBe('connection');
      expect(field(() => new RedisJobStore({ url: REDIS_URL }, { prefix: 'a{b}' }))).toBe('options.prefix');
      expect(field(() => new RedisJobStore({ url: REDIS_URL }, { prefix: '' }))).toBe('options.prefix');
      expect(field(() => new RedisJobStore({ url: REDIS_URL }, { prefix: 'x'.repeat(65) }))).toBe('options.prefix');
      expect(field(() => new RedisJobStore({ url: REDIS_URL }, { pollInterval: -1 }))).toBe('options.pollInterval');
      expect(field(() => new RedisJobStore({ url: REDIS_URL }, { tablePrefix: 'x' } as never))).toBe('options.tablePrefix');
      const store = new RedisJobStore({ url: REDIS_URL });
      expect(store.persistent).toBe(true);
      expect(store.pollInterval).toBe(5);
      expect(new RedisJobStore({ url: REDIS_URL }, { pollInterval: 0 }).pollInterval).toBe(0);
    });

    it('refuses calls before start() with a StoreError', async () => {
      expect(await codeOf(new RedisJobStore({ url: REDIS_URL }).getJobs())).toBe('ERR_STORE');
    });

    it('keeps the documented keys, all under one hash tag, and removes a job’s keys with it', async () => {
      const prefix = s.prefix();
      const tag = `{${prefix}}`;
      const store = new RedisJobStore({ url: REDIS_URL }, { prefix });
      await store.start(contractContext());
      try {
        const record = makeRecord({ id: 'a', nextRunTime: T0, args: ['ä', 1e21] });
        await store.addJob(record);
        await store.addJob(makeRecord({ id: 'paused', nextRunTime: null }));
        await store.addJob(makeRecord({ id: 'later', nextRunTime: T3 }));
        expect(await s.keysOf(prefix)).toStrictEqual([`${tag}due`, `${tag}job:a`, `${tag}job:later`, `${tag}job:paused`, `${tag}jobs`, `${tag}meta`]);
        expect(await s.admin.hgetall(`${tag}meta`)).toStrictEqual({ schema: '1' });
        const hash = await s.admin.hgetall(`${tag}job:a`);
        expect(hash).toStrictEqual({ data: JSON.stringify(record), next: T0, ms: String(Date.parse(T0)), version: '1', trigger: expect.any(String) });
        expect(Object.keys(await s.admin.hgetall(`${tag}job:paused`)).sort()).toStrictEqual(['data', 'trigger', 'version']);
        expect(await s.admin.zrange(`${tag}due`, 0, -1, 'WITHSCORES')).toStrictEqual(['a', String(Date.parse(T0)), 'later', String(Date.parse(T3))]);

        // Leased, then a run recorded: the lease fields and the run keys.
        await store.acquireDueJobs(T0, 'A#1', MINUTE, 10);
        expect(await s.admin.hmget(`${tag}job:a`, 'owner', 'until', 'leased', 'trigger')).toStrictEqual(['A#1', String(Date.parse(T1)), hash.trigger, hash.trigger]);
        expect(await s.admin.zrange(`${tag}due`, 0, -1)).toStrictEqual(['later']);
        expect(await s.admin.zrange(`${tag}leases`, 0, -1, 'WITHSCORES')).toStrictEqual(['a', String(Date.parse(T1))]);
        expect(await s.admin.zrange(`${tag}wake`, 0, -1, 'WITHSCORES')).toStrictEqual(['a', String(Date.parse(T1))]);
        await store.commitJobs('A#1', [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }], [{ runId: 'r1', jobId: 'a', node: 'n1', scheduledRunTime: T0, maxInstances: 1 }], T0, MINUTE);
        expect(await s.admin.hmget(`${tag}job:a`, 'next', 'version', 'owner')).toStrictEqual([T3, '2', null]);
        expect(JSON.parse((await s.admin.hget(`${tag}runs`, 'r1')) as string)).toStrictEqual({ jobId: 'a', node: 'n1', scheduledRunTime: T0, startedAt: T0 });
        expect(await s.admin.zrange(`${tag}run-leases`, 0, -1, 'WITHSCORES')).toStrictEqual(['r1', String(Date.parse(T1))]);
        expect(await s.admin.zrange(`${tag}job-runs:a`, 0, -1)).toStrictEqual(['r1']);
        expect(await s.admin.exists(`${tag}leases`, `${tag}wake`)).toBe(0);

        await store.finishRuns(['r1']);
        await store.removeJob('later');
        await store.removeAllJobs();
        expect(await s.keysOf(prefix)).toStrictEqual([`${tag}meta`]);
      } finally {
        await store.shutdown();
      }
    });

    it('pages through many jobs: lists, leases and removes 1,200 of them', async () => {
      const prefix = s.prefix();
      const store = new RedisJobStore({ url: REDIS_URL }, { prefix });
      await store.start(contractContext());
      try {
        const ids = Array.from({ length: 1_200 }, (_, i) => `job-${String(i).padStart(4, '0')}`);
        await Promise.all(ids.map((id, i) => store.addJob(makeRecord({ id, nextRunTime: i % 2 === 0 ? T0 : T1 }))));
        const all = await store.getJobs();
        expect(all).toHaveLength(1_200);
        expect(all.slice(0, 2).map((r) => r.id)).toStrictEqual(['job-0000', 'job-0002']);
        expect(all.at(-1)?.id).toBe('job-1199');
        expect(await store.acquireDueJobs(T1, 'A#1', MINUTE, 1_000)).toHaveLength(1_000);
        expect(await store.acquireDueJobs(T1, 'B#1', MINUTE, 1_000)).toHaveLength(200);
        await store.removeAllJobs();
        expect(await store.getJobs()).toStrictEqual([]);
        expect(await store.getNextRunTime()).toBeNull();
        expect(await s.keysOf(prefix)).toStrictEqual([`{${prefix}}meta`]);
      } finally {
        await store.shutdown();
      }
    }, 30_000);

    it('wakes the other stores at once when a job is added, changed or removed, and not itself', async () => {
      const options = { prefix: s.prefix() };
      const a = watching();
      const b = watching();
      const storeA = new RedisJobStore({ url: REDIS_URL }, options);
      const storeB = new RedisJobStore({ url: REDIS_URL }, options);
      // Another prefix on the same server: its changes wake nobody here.
      const elsewhere = new RedisJobStore({ url: REDIS_URL }, { prefix: s.prefix() });
      await storeA.start(a.context);
      await storeB.start(b.context);
      await elsewhere.start(contractContext());
      try {
        // A write under another prefix wakes nobody here.
        await expectWakesEachOther(storeA, a, storeB, b, () => elsewhere.addJob(makeRecord({ id: 'a' })));
      } finally {
        await storeA.shutdown();
        await storeB.shutdown();
        await elsewhere.shutdown();
      }
    });

    it('uses an application’s client (with its keyPrefix) without closing it, and hears the other stores on it', async () => {
      const prefix = s.prefix();
      const name = `${s.base}_app`;
      const client = new Redis(REDIS_URL, { keyPrefix: 'app:', connectionName: name });
      const watched = watching();
      const mine = new RedisJobStore({ client }, { prefix });
      const other = new RedisJobStore({ client: client.duplicate() }, { prefix });
      await mine.start(watched.context);
      await other.start(contractContext());
      try {
        await other.addJob(makeRecord({ id: 'a' }));
        await until(() => watched.wakeups() === 1, 'the other store’s add');
        expect((await mine.getJob('a'))?.id).toBe('a');
        // Every key is under the client's keyPrefix, the hash tag unchanged.
        expect(await s.admin.exists(`app:{${prefix}}job:a`, `app:{${prefix}}jobs`, `app:{${prefix}}due`)).toBe(3);
        expect(await s.admin.exists(`{${prefix}}job:a`)).toBe(0);
        expect(await mine.acquireDueJobs(T0, 'A#1', MINUTE, 10)).toHaveLength(1);
      } finally {
        await mine.shutdown();
        await other.shutdown();
      }
      // Only the store's listener connection is gone; the application's client still works.
      expect(client.status).toBe('ready');
      expect(await client.get('nothing')).toBeNull();
      // The client, and the duplicate given to `other` (the listeners' sockets close in a moment).
      const named = async (): Promise<number> => String(await s.admin.client('LIST')).split('\n').filter((line) => line.includes(` name=${name} `)).length;
      for (const deadline = Date.now() + 3_000; (await named()) > 2 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await named()).toBe(2);
      const keys = await s.keysMatching(`app:{${prefix}}*`);
      if (keys.length > 0) await s.admin.del(...keys);
      client.disconnect();
    });

    it('runs its scripts again after Redis forgot them (SCRIPT FLUSH)', async () => {
      const store = new RedisJobStore({ url: REDIS_URL }, { prefix: s.prefix() });
      await store.start(contractContext());
      try {
        await store.addJob(makeRecord({ id: 'a' }));
        await s.admin.script('FLUSH');
        expect((await store.getJob('a'))?.id).toBe('a');
        await store.addJob(makeRecord({ id: 'b' }));
        expect((await store.getJobs()).map((r) => r.id)).toStrictEqual(['a', 'b']);
      } finally {
        await store.shutdown();
      }
    });

    it('lets three stores start at once on a fresh prefix, and works after a restart', async () => {
      const options = { prefix: s.prefix() };
      const stores = [0, 1, 2].map(() => new RedisJobStore({ url: REDIS_URL }, options));
      await Promise.all(stores.map((store) => store.start(contractContext())));
      await stores[0]!.addJob(makeRecord({ id: 'a' }));
      expect((await stores[2]!.getJob('a'))?.id).toBe('a');
      for (const store of stores) await store.shutdown();
      await stores[1]!.start(contractContext());
      expect((await stores[1]!.getJobs()).map((r) => r.id)).toStrictEqual(['a']);
      await stores[1]!.shutdown();
    });
  });
});
