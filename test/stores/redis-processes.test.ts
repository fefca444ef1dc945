/**
 * Several processes sharing one Redis store (one key prefix), with real child processes:
 *
 * 1. three processes acquire and commit the same 150 due jobs at the same time, through the
 *    store's calls alone: each job is taken by exactly one of them, with exactly one run;
 * 2. the kill test of `test/helpers/kill-harness.ts` (as for the SQL stores in `kill.test.ts`):
 *    three scheduler processes, 40 jobs every second, one process killed with SIGKILL and
 *    restarted every ~2.5 s; every slot of the judged window started exactly once.
 *
 * Bounded: about 30 s of wall time in all; every child is SIGKILLed at the end whatever happens.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { RedisJobStore } from '../../src/stores/redis.js';
import { contractContext } from '../contracts/job-store.contract.js';
import { describeWithServer } from '../helpers/databases.js';
import { addDueJobs, expectDrainedOnce, runDrainers, writeDrainerScript } from '../helpers/drain-children.js';
import { formatFigures, killAll, runKill } from '../helpers/kill-harness.js';
import { probeRedis, REDIS_URL, redisScratch } from '../helpers/redis.js';

const server = await probeRedis();
const scratch = server.ok ? redisScratch() : null;
const dir = mkdtempSync(join(tmpdir(), 'timetable-redis-processes-'));
/** Every child started and not seen exiting: SIGKILLed at the end, whatever happened. */
const live = new Set<ChildProcess>();
afterAll(async () => {
  killAll();
  for (const child of live) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  await scratch?.drop();
});

const STORE_MODULE = fileURLToPath(new URL('../../src/stores/redis.ts', import.meta.url));
const OPEN = `const { RedisJobStore } = await import(process.env.STORE_MODULE);
const store = new RedisJobStore({ url: process.env.REDIS_URL }, { prefix: process.env.PREFIX });`;

describeWithServer('Redis store shared by processes', server, () => {
  it('hands each due job to exactly one of three processes acquiring and committing at once', async () => {
    const prefix = scratch!.prefix();
    const store = new RedisJobStore({ url: REDIS_URL }, { prefix });
    await store.start(contractContext());
    try {
      const count = 150;
      await addDueJobs(store, count);
      const script = join(dir, 'drainer.mjs');
      writeDrainerScript(script, OPEN);
      const env = { STORE_MODULE, REDIS_URL, PREFIX: prefix, BARRIER: join(dir, 'barrier') };
      await expectDrainedOnce(await runDrainers(script, env, true, live), store, count);
    } finally {
      await store.shutdown();
    }
  }, 30_000);

  // The kill harness of the SQL stores' kill test, on Redis: shorter, as this file runs beside the others.
  it('starts every slot exactly once while scheduler processes are killed with SIGKILL and restarted', async () => {
    const figures = await runKill({ store: 'redis', seconds: 25, jobs: 40, nodes: 3, killEvery: 2.5, leaseTime: 3, maxInstances: 10, workMs: 50 });
    expect(figures.ok, `\n${formatFigures(figures)}`).toBe(true);
    expect(figures.kills).toBeGreaterThanOrEqual(4);
  }, 100_000);
});
