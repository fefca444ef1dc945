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
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { RedisJobStore } from '../../src/stores/redis.js';
import { contractContext, makeRecord } from '../contracts/job-store.contract.js';
import { describeWithServer } from '../helpers/databases.js';
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

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STORE_MODULE = fileURLToPath(new URL('../../src/stores/redis.ts', import.meta.url));

const T0 = '2026-01-01T00:00:00.000Z';
const T0_30 = '2026-01-01T00:00:30.000Z';
const T3 = '2026-01-01T00:03:00.000Z';

/** What each child of part 1 runs: start the store, meet the others, drain the due jobs. */
const DRAINER = `
const { RedisJobStore } = await import(process.env.STORE_MODULE);
const { existsSync, writeFileSync } = await import('node:fs');
const name = process.env.NAME;
const store = new RedisJobStore({ url: process.env.REDIS_URL }, { prefix: process.env.PREFIX });
const context = { alias: 'x', identity: name, clock: { now: () => Date.now(), setTimeout, clearTimeout }, wakeup() {}, log() {} };
await store.start(context);
// A barrier: all three are started before any takes a job, so they really compete.
writeFileSync(process.env.BARRIER + '-' + name, '');
while (!['p1', 'p2', 'p3'].every((other) => existsSync(process.env.BARRIER + '-' + other))) await new Promise((r) => setTimeout(r, 5));
const taken = [];
const started = [];
for (let pass = 0, empty = 0; empty < 3 && pass < 500; pass++) {
  const owner = name + '#' + pass;
  const batch = await store.acquireDueJobs('${T0_30}', owner, 60000, 3);
  if (batch.length === 0) { empty++; await new Promise((r) => setTimeout(r, 5)); continue; }
  empty = 0;
  const releases = batch.map((job) => ({ id: job.id, acquiredRunTime: job.nextRunTime, nextRunTime: '${T3}' }));
  const runs = batch.map((job) => ({ runId: owner + ':' + job.id, jobId: job.id, node: name, scheduledRunTime: job.nextRunTime, maxInstances: 1 }));
  const result = await store.commitJobs(owner, releases, runs, '${T0_30}', 60000);
  taken.push(...batch.map((job) => job.id));
  started.push(...result.started);
  await new Promise((r) => setImmediate(r));
}
await store.shutdown();
process.stdout.write(JSON.stringify({ taken, started }));
`;

/** Runs a child with `env`; resolves with what it printed once it exits with 0. */
function runChild(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => {
      live.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${env.NAME} exited ${code}: ${err}`));
    });
  });
}

describeWithServer('Redis store shared by processes', server, () => {
  it('hands each due job to exactly one of three processes acquiring and committing at once', async () => {
    const prefix = scratch!.prefix();
    const store = new RedisJobStore({ url: REDIS_URL }, { prefix });
    await store.start(contractContext());
    try {
      const count = 150;
      for (let i = 0; i < count; i++) await store.addJob(makeRecord({ id: `job-${String(i).padStart(3, '0')}`, nextRunTime: T0 }));
      const script = join(dir, 'drainer.mjs');
      writeFileSync(script, DRAINER);
      const env = { STORE_MODULE, REDIS_URL, PREFIX: prefix, BARRIER: join(dir, 'barrier') };
      const outputs = await Promise.all(['p1', 'p2', 'p3'].map((name) => runChild(script, { ...env, NAME: name })));
      const results = outputs.map((output) => JSON.parse(output) as { taken: string[]; started: string[] });
      const taken = results.flatMap((result) => result.taken);
      expect(taken).toHaveLength(count);
      expect(new Set(taken).size).toBe(count);
      expect(results.flatMap((result) => result.started)).toHaveLength(count);
      expect(results.filter((result) => result.taken.length > 0).length).toBeGreaterThan(1);
      const jobs = await store.getJobs();
      expect(jobs.every((job) => job.nextRunTime === T3 && job.version === 2)).toBe(true);
      expect(await store.reapRuns('2026-01-01T00:05:00.000Z')).toHaveLength(count);
    } finally {
      await store.shutdown();
    }
  }, 30_000);

  // The kill harness of the SQL stores' kill test, on Redis: shorter, as this file runs beside the others.
  it('starts every slot exactly once while scheduler processes are killed with SIGKILL and restarted', async () => {
    const figures = await runKill({ store: 'redis', seconds: 25, jobs: 40, nodes: 3, killEvery: 2.5, leaseTime: 3, maxInstances: 10, workMs: 50 });
    expect(figures.ok, `\n${formatFigures(figures)}`).toBe(true);
    expect(figures.kills).toBeGreaterThanOrEqual(4);
  }, 70_000);
});
