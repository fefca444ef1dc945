/**
 * The Redis store's faults, against a real Redis 7: a server that cannot be reached at start
 * (no hang, no password in the message, nothing left running), connections killed with
 * `CLIENT KILL` while in use, job hashes edited by hand into garbage (read back as unreadable
 * records, reported once as `job:invalid` by a scheduler, never rewritten), Redis at its
 * `maxmemory` (a clear `StoreError`, nothing half-written), and keys of a newer layout.
 *
 * The `maxmemory` test changes the server's settings for a few milliseconds and restores them in
 * `finally`; the other Redis test files do not depend on memory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { JobStoreContext } from '../../src/stores/job-store.js';
import { RedisJobStore, UNREADABLE_TRIGGER_TYPE } from '../../src/stores/redis.js';
import { VirtualClock } from '../../src/testing/index.js';
import { codeOf } from '../contracts/harness.js';
import { contractContext, makeRecord } from '../contracts/job-store.contract.js';
import { until } from '../helpers/store-watch.js';
import { describeWithServer } from '../helpers/databases.js';
import { killClients, probeRedis, REDIS_URL, redisScratch } from '../helpers/redis.js';

const server = await probeRedis();
const scratch = server.ok ? redisScratch() : null;
afterAll(async () => scratch?.drop());

const T0 = '2026-01-01T00:00:00.000Z';
const T3 = '2026-01-01T00:03:00.000Z';
const MINUTE = 60_000;
const STORE_MODULE = fileURLToPath(new URL('../../src/stores/redis.ts', import.meta.url));

/** What a rejected call threw (or `null`). */
async function failure(promise: Promise<unknown>): Promise<(Error & { code?: string }) | null> {
  return promise.then(
    () => null,
    (error: unknown) => error as Error & { code?: string },
  );
}

/** A URL of the test server that names its connections `name` (for CLIENT KILL). */
function named(name: string): string {
  const url = new URL(REDIS_URL);
  url.searchParams.set('connectionName', name);
  return url.toString();
}

describeWithServer('Redis faults', server, () => {
  const s = scratch!;

  describe('an unreachable server at start', () => {
    it('rejects start() at once with a StoreError naming host, port and db, never the password', async () => {
      const store = new RedisJobStore({ url: 'redis://app:s3cr3t-Pa55@127.0.0.1:1/2' });
      const started = Date.now();
      const error = await failure(store.start(contractContext()));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error?.code).toBe('ERR_STORE');
      expect(error?.message).toContain('127.0.0.1:1, db 2');
      expect(error?.message).toContain('ECONNREFUSED');
      expect(error?.message).not.toContain('s3cr3t');
      expect(error?.cause).toBeInstanceOf(Error);
      await store.shutdown();
      expect(await codeOf(store.getJobs())).toBe('ERR_STORE');
    });

    it("rejects start() with an application's unreachable client, lazy or not, and leaves the client to the application", async () => {
      for (const lazyConnect of [true, false]) {
        const client = new Redis('redis://127.0.0.1:1/0', { lazyConnect, maxRetriesPerRequest: 1, password: 'pa55-w0rd' });
        client.on('error', () => undefined);
        const store = new RedisJobStore({ client });
        const started = Date.now();
        const error = await failure(store.start(contractContext()));
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(error?.code).toBe('ERR_STORE');
        expect(error?.message).toContain("127.0.0.1:1, db 0, the application's client");
        expect(error?.message).not.toContain('pa55-w0rd');
        expect(client.status).not.toBe('end');
        client.disconnect();
      }
    });

    it('leaves nothing running: a process whose store failed to start exits by itself', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'timetable-redis-'));
      try {
        const script = join(dir, 'child.mjs');
        writeFileSync(
          script,
          `const { RedisJobStore } = await import(process.env.STORE_MODULE);
const store = new RedisJobStore({ url: 'redis://127.0.0.1:1' });
const context = { alias: 'x', identity: 'x', clock: { now: () => Date.now(), setTimeout, clearTimeout }, wakeup() {}, log() {} };
const error = await store.start(context).then(() => null, (e) => e);
await store.shutdown();
process.stdout.write(String(error?.code));`,
        );
        const output = await new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, STORE_MODULE }, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          const limit = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.stdout.on('data', (chunk) => (out += chunk));
          child.stderr.on('data', (chunk) => (err += chunk));
          child.on('close', (code, signal) => {
            clearTimeout(limit);
            if (code === 0) resolve(out);
            else reject(new Error(`the child did not exit by itself (${code ?? signal}): ${err}`));
          });
        });
        expect(output).toBe('ERR_STORE');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 20_000);
  });

  it('survives its connections being killed (CLIENT KILL): calls fail fast or work, the listener reconnects, wakes up and hears again', async () => {
    const name = `${s.base}_cut`;
    const prefix = s.prefix();
    const logs: string[] = [];
    let wakeups = 0;
    const context: JobStoreContext = { ...contractContext(() => void wakeups++), log: (level, message) => void logs.push(`${level} ${message}`) };
    const store = new RedisJobStore({ url: named(name) }, { prefix });
    const writer = new RedisJobStore({ url: REDIS_URL }, { prefix });
    await store.start(context);
    await writer.start(contractContext());
    try {
      await store.addJob(makeRecord({ id: 'a', nextRunTime: T0 }));
      // The store's client and its listener.
      expect(await killClients(s.admin, name)).toBe(2);
      // Right after the cut: fails at once with a StoreError (not connected), or works.
      const right = await failure(store.getJobs());
      if (right !== null) {
        expect(right.code).toBe('ERR_STORE');
        expect(right.message).toMatch(/not connected to Redis/);
      }
      await until(() => logs.some((line) => line.startsWith('warn') && line.includes('change listener lost its connection')), 'the lost listener to be logged');
      await until(() => logs.some((line) => line.includes('change listener connection restored')), 'the listener to reconnect');
      await until(() => wakeups > 0, 'the wakeup after the reconnect');
      const afterReconnect = wakeups;
      await writer.addJob(makeRecord({ id: 'b' }));
      await until(() => wakeups > afterReconnect, 'a message after the reconnect');
      await until(async () => (await store.getJobs().catch(() => [])).length === 2, 'calls to work again');
      expect(logs.some((line) => line.startsWith('info') && /^info Redis job store \(.*, db \d+, keys \{.*\}\*\) connection restored$/.test(line))).toBe(true);
    } finally {
      await store.shutdown();
      await writer.shutdown();
    }
  });

  describe('job hashes edited by hand', () => {
    it('reads the other jobs, returns a bad hash as an unreadable record, and never writes over it', async () => {
      const prefix = s.prefix();
      const tag = `{${prefix}}`;
      const store = new RedisJobStore({ url: REDIS_URL }, { prefix });
      await store.start(contractContext());
      try {
        const good = makeRecord({ id: 'good', nextRunTime: T0 });
        const unknownTrigger = makeRecord({ id: 'unknown-trigger', nextRunTime: T0, trigger: { type: 'no-such-trigger' } });
        const ids = ['bad-json', 'not-a-job', 'other-id', 'bad-version', 'bad-next', 'not-a-hash'];
        for (const record of [good, unknownTrigger, ...ids.map((id) => makeRecord({ id, nextRunTime: T0 }))]) await store.addJob(record);
        await s.admin.hset(`${tag}job:bad-json`, 'data', '{"id": "bad-json", oops');
        await s.admin.hset(`${tag}job:not-a-job`, 'data', '[1, 2, 3]');
        await s.admin.hset(`${tag}job:other-id`, 'data', JSON.stringify(makeRecord({ id: 'someone-else' })));
        await s.admin.hset(`${tag}job:bad-version`, 'version', 'two');
        await s.admin.hset(`${tag}job:bad-next`, 'next', 'soon');
        await s.admin.del(`${tag}job:not-a-hash`);
        await s.admin.set(`${tag}job:not-a-hash`, 'garbage');
        const before = await Promise.all(ids.slice(0, 5).map((id) => s.admin.hgetall(`${tag}job:${id}`)));

        const all = await store.getJobs();
        expect(all.map((record) => record.id).sort()).toStrictEqual([...ids, 'good', 'unknown-trigger'].sort());
        const byId = new Map(all.map((record) => [record.id, record]));
        expect(byId.get('good')).toStrictEqual(good);
        expect(byId.get('unknown-trigger')).toStrictEqual(unknownTrigger);
        const reasons: Record<string, RegExp> = {
          'bad-json': /"bad-json".*JSON does not parse/,
          'not-a-job': /not a JSON object/,
          'other-id': /"id" is not the key's id/,
          'bad-version': /"version" field is not an integer/,
          'bad-next': /"next" field is not an ISO-8601 instant/,
          'not-a-hash': /holds a string, not a hash/,
        };
        for (const [id, reason] of Object.entries(reasons)) {
          expect(byId.get(id)?.trigger, id).toMatchObject({ type: UNREADABLE_TRIGGER_TYPE, error: expect.stringMatching(reason) });
        }
        // A readable next run time is kept: the scheduler sees the job as due, and reports it.
        expect(byId.get('bad-json')).toMatchObject({ nextRunTime: T0, version: 1 });
        expect(byId.get('bad-next')).toMatchObject({ nextRunTime: T0 });
        expect((await store.getJob('bad-version'))?.version).toBe(0);

        // Due like any job (all but the key that is no hash, which cannot hold a lease).
        const due = await store.acquireDueJobs(T0, 'A#1', MINUTE, 20);
        expect(due.map((record) => record.id).sort()).toStrictEqual(['bad-json', 'bad-next', 'bad-version', 'good', 'not-a-job', 'other-id', 'unknown-trigger']);
        // The store never writes its stand-in over the hash.
        for (const record of due.filter((r) => r.trigger.type === UNREADABLE_TRIGGER_TYPE)) {
          expect(await codeOf(store.updateJob({ ...record, nextRunTime: null, version: record.version + 1 }))).toBe('ERR_STORE');
        }
        expect(await codeOf(store.updateJob(makeRecord({ id: 'not-a-hash', version: 2 })))).toBe('ERR_STORE');
        // Left leased (the scheduler does not release what it cannot use), taken over after expiry.
        expect((await store.acquireDueJobs(T3, 'B#1', MINUTE, 20)).map((record) => record.id)).toContain('bad-json');
        const after = await Promise.all(ids.slice(0, 5).map((id) => s.admin.hgetall(`${tag}job:${id}`)));
        const recordFields = (hash: Record<string, string>): Record<string, string> => {
          const { owner: _o, until: _u, leased: _l, ...rest } = hash;
          return rest;
        };
        expect(after.map(recordFields)).toStrictEqual(before.map(recordFields));
        expect(await s.admin.get(`${tag}job:not-a-hash`)).toBe('garbage');
        // An explicit removal is the user's to make.
        for (const id of ids) await store.removeJob(id);
        expect((await store.getJobs()).map((record) => record.id)).toStrictEqual(['good', 'unknown-trigger']);
      } finally {
        await store.shutdown();
      }
    });

    it('turns Redis errors into StoreError with the error as cause', async () => {
      const prefix = s.prefix();
      const store = new RedisJobStore({ url: REDIS_URL }, { prefix });
      await store.start(contractContext());
      try {
        await store.addJob(makeRecord({ id: 'a' }));
        // A commit whose job's run index is overwritten: refused before its release is applied.
        await store.acquireDueJobs(T0, 'A#1', MINUTE, 10);
        await s.admin.set(`{${prefix}}job-runs:a`, 'not a sorted set');
        const release = [{ id: 'a', acquiredRunTime: T0, nextRunTime: T3 }];
        const run = [{ runId: 'r1', jobId: 'a', node: 'n1', scheduledRunTime: T0, maxInstances: 1 }];
        const refused = await failure(store.commitJobs('A#1', release, run, T0, MINUTE));
        expect(refused?.code).toBe('ERR_STORE');
        expect(refused?.message).toMatch(/job-runs:a holds a string .*nothing was written/);
        expect(await store.getJob('a')).toStrictEqual(makeRecord({ id: 'a' }));
        expect(await s.admin.hget(`{${prefix}}job:a`, 'owner')).toBe('A#1');
        expect(await s.admin.exists(`{${prefix}}runs`)).toBe(0);
        await s.admin.del(`{${prefix}}job-runs:a`);
        expect((await store.commitJobs('A#1', release, run, T0, MINUTE)).started).toStrictEqual(['r1']);
        await s.admin.del(`{${prefix}}due`);
        await s.admin.set(`{${prefix}}due`, 'not a sorted set');
        for (const call of [() => store.acquireDueJobs(T0, 'A#1', MINUTE, 10), () => store.addJob(makeRecord({ id: 'b' })), () => store.getNextRunTime()]) {
          const error = await failure(call());
          expect(error?.code).toBe('ERR_STORE');
          expect(error?.cause).toBeInstanceOf(Error);
          expect(error?.message).toMatch(new RegExp(`Redis job store .*keys \\{${prefix}\\}\\*.*WRONGTYPE`));
        }
        // Refused as a whole: the add wrote nothing.
        expect(await store.getJob('b')).toBeUndefined();
      } finally {
        await store.shutdown();
      }
    });

    it('runs the good jobs of a scheduler and reports each unusable hash once as job:invalid, leaving it as it is', async () => {
      const prefix = s.prefix();
      const tag = `{${prefix}}`;
      const clock = new VirtualClock(T0);
      const ran: string[] = [];
      const invalid: string[] = [];
      const store = new RedisJobStore({ url: REDIS_URL }, { prefix, pollInterval: 0 });
      const scheduler = new Scheduler({ stores: { default: store }, clock, timezone: 'UTC', tasks: { work: () => void ran.push('good') } });
      scheduler.on('job:invalid', (event) => void invalid.push(event.jobId));
      scheduler.on('store:error', (event) => {
        throw event.error;
      });
      try {
        await store.start(contractContext());
        const at = '2026-01-01T00:00:05.000Z';
        await store.addJob(makeRecord({ id: 'good', task: 'work', nextRunTime: at, trigger: { type: 'date', runDate: at } }));
        await store.addJob(makeRecord({ id: 'bad-json', task: 'work', nextRunTime: at }));
        await store.addJob(makeRecord({ id: 'bad-version', task: 'work', nextRunTime: at }));
        await store.addJob(makeRecord({ id: 'unknown-trigger', task: 'work', nextRunTime: at, trigger: { type: 'no-such-trigger' } }));
        await store.addJob(makeRecord({ id: 'unknown-task', task: 'no-such-task', nextRunTime: at, trigger: { type: 'date', runDate: at } }));
        await s.admin.hset(`${tag}job:bad-json`, 'data', '{oops');
        await s.admin.hset(`${tag}job:bad-version`, 'version', '1.5');
        const kept = ['bad-json', 'bad-version', 'unknown-task', 'unknown-trigger'];
        const fields = async (): Promise<unknown[]> =>
          Promise.all(kept.map((id) => s.admin.hmget(`${tag}job:${id}`, 'data', 'next', 'ms', 'version', 'trigger')));
        const before = await fields();
        await store.shutdown();
        await scheduler.start();
        for (let second = 0; second < 30 && (ran.length === 0 || invalid.length < 4); second++) {
          await clock.advance(1_000);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Past the lease (10 s): taken again, not reported again.
        for (let second = 0; second < 15; second++) {
          await clock.advance(1_000);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(ran).toStrictEqual(['good']);
        expect([...invalid].sort()).toStrictEqual(kept);
        expect(await fields()).toStrictEqual(before);
      } finally {
        if (scheduler.state !== 'stopped') await scheduler.shutdown();
      }
    }, 30_000);
  });

  it('refuses to start on keys of a newer layout, naming both versions', async () => {
    const prefix = s.prefix();
    await s.admin.hset(`{${prefix}}meta`, 'schema', '99');
    const store = new RedisJobStore({ url: REDIS_URL }, { prefix });
    const error = await failure(store.start(contractContext()));
    expect(error?.code).toBe('ERR_STORE');
    expect(error?.message).toMatch(/layout version "99".*\(1\)/);
    await store.shutdown();
  });

  it('at maxmemory (noeviction): a clear StoreError on add, nothing half-written; reads and removals still work', async () => {
    const prefix = s.prefix();
    const store = new RedisJobStore({ url: REDIS_URL }, { prefix });
    await store.start(contractContext());
    try {
      await store.addJob(makeRecord({ id: 'kept', nextRunTime: T0 }));
      await store.addJob(makeRecord({ id: 'removable', nextRunTime: T0 }));
      const keysBefore = await s.keysOf(prefix);
      const [, memory] = (await s.admin.config('GET', 'maxmemory')) as [string, string];
      const [, policy] = (await s.admin.config('GET', 'maxmemory-policy')) as [string, string];
      let add: (Error & { code?: string }) | null;
      let read: unknown;
      try {
        await s.admin.config('SET', 'maxmemory-policy', 'noeviction');
        await s.admin.config('SET', 'maxmemory', '1');
        add = await failure(store.addJob(makeRecord({ id: 'new', nextRunTime: T0, args: ['x'.repeat(1_000)] })));
        read = (await store.getJob('kept'))?.id;
        await store.removeJob('removable');
      } finally {
        await s.admin.config('SET', 'maxmemory', memory);
        await s.admin.config('SET', 'maxmemory-policy', policy);
      }
      expect(add?.code).toBe('ERR_STORE');
      expect(add?.message).toMatch(/addJob failed: Redis is out of memory .*nothing was written: OOM command not allowed/);
      expect((add?.cause as Error).message).toMatch(/^OOM/);
      expect(read).toBe('kept');
      expect(await store.getJob('new')).toBeUndefined();
      expect(await s.keysOf(prefix)).toStrictEqual(keysBefore.filter((key) => !key.endsWith('job:removable')));
      expect(await s.admin.smembers(`{${prefix}}jobs`)).toStrictEqual(['kept']);
      await store.addJob(makeRecord({ id: 'new', nextRunTime: T0 }));
      expect((await store.getJobs()).map((record) => record.id)).toStrictEqual(['kept', 'new']);
    } finally {
      await store.shutdown();
    }
  });
});
