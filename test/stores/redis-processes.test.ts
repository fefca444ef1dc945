/**
 * Several processes sharing one Redis store (one key prefix), with real child processes:
 *
 * 1. three processes acquire and commit the same 150 due jobs at the same time, through the
 *    store's calls alone: each job is taken by exactly one of them, with exactly one run;
 * 2. the kill test: three scheduler processes (`test/helpers/redis-kill-node.ts`), 40 jobs every
 *    second for 20 s, one process killed with SIGKILL and restarted every ~2.5 s (every other kill aimed
 *    at the node that ran the latest slot, in the 60 ms after a slot). Every run appends (job,
 *    slot, node) to a log that survives the kill; `kill-judge.ts` then checks that every slot of
 *    the judged window was started exactly once: none twice, none lost (a run recorded by a node
 *    killed before its task wrote its line counts when another node reported it abandoned).
 *
 * Bounded: about 30 s of wall time in all; every child is SIGKILLed at the end whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { IntervalTrigger, Scheduler } from '../../src/index.js';
import { RedisJobStore } from '../../src/stores/redis.js';
import { contractContext, makeRecord } from '../contracts/job-store.contract.js';
import { describeWithServer } from '../helpers/databases.js';
import { formatFigures, judge, SLOT_MS, type Kill } from '../helpers/kill-judge.js';
import type { StoreKind } from '../helpers/kill-node.js';
import { TASK, type RedisNodeConfig } from '../helpers/redis-kill-node.js';
import { probeRedis, REDIS_URL, redisScratch } from '../helpers/redis.js';

const server = await probeRedis();
const scratch = server.ok ? redisScratch() : null;
const dir = mkdtempSync(join(tmpdir(), 'timetable-redis-processes-'));
/** Every child started and not seen exiting: SIGKILLed at the end, whatever happened. */
const live = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of live) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  await scratch?.drop();
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STORE_MODULE = fileURLToPath(new URL('../../src/stores/redis.ts', import.meta.url));
const NODE_SCRIPT = fileURLToPath(new URL('../helpers/redis-kill-node.ts', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

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

/** A scheduler node of part 2: its current process, and whether it said `ready`. */
interface Node {
  name: string;
  child: ChildProcess | null;
  ready: boolean;
  /** Set before the test kills or stops it: its exit is then no crash. */
  expectedExit: boolean;
  stderr: string;
}

/** Starts, kills and restarts the scheduler processes of part 2. */
class Cluster {
  readonly nodes: Node[];
  readonly kills: Kill[] = [];
  crashes = 0;
  crashLog = '';

  constructor(
    count: number,
    private readonly config: Omit<RedisNodeConfig, 'node'>,
  ) {
    this.nodes = Array.from({ length: count }, (_, i) => ({ name: `n${i + 1}`, child: null, ready: false, expectedExit: false, stderr: '' }));
  }

  /** Starts (or restarts) `node`; resolves once it is ready, rejects if it exits first. */
  start(node: Node): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', NODE_SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, REDIS_KILL_NODE: JSON.stringify({ ...this.config, node: node.name }) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(child);
    Object.assign(node, { child, ready: false, expectedExit: false });
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (!node.ready && chunk.toString().includes('ready')) {
          node.ready = true;
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (node.stderr = (node.stderr + chunk.toString()).slice(-4_000)));
      child.on('exit', (code, signal) => {
        live.delete(child);
        if (node.child === child) Object.assign(node, { child: null, ready: false });
        if (!node.expectedExit) {
          this.crashes++;
          this.crashLog += `${node.name} exited on its own (${code ?? signal}):\n${node.stderr}\n`;
        }
        reject(new Error(`${node.name} exited (${code ?? signal}) before it was ready:\n${node.stderr}`));
      });
    });
  }

  /** Sends `signal` to `node`'s process; resolves when it has exited. */
  signal(node: Node, signal: NodeJS.Signals): Promise<void> {
    const child = node.child;
    if (child === null) return Promise.resolve();
    node.expectedExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    return exited;
  }

  /** SIGKILLs `preferred` if ready, else a ready node at random, and starts it again (same name). */
  async killOne(preferred: string | null): Promise<void> {
    const ready = this.nodes.filter((node) => node.ready && node.child !== null);
    const node = ready.find((candidate) => candidate.name === preferred) ?? ready[Math.floor(Math.random() * ready.length)];
    if (node?.child == null) return;
    this.kills.push({ node: node.name, pid: node.child.pid ?? 0, at: Date.now() });
    await this.signal(node, 'SIGKILL');
    this.start(node).catch(() => undefined);
  }

  /** SIGTERM to every node; SIGKILL to those still running after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    const timer = setTimeout(() => void Promise.all(this.nodes.map((node) => this.signal(node, 'SIGKILL'))), graceMs);
    await Promise.all(this.nodes.map((node) => this.signal(node, 'SIGTERM')));
    clearTimeout(timer);
  }
}

/** The node of the last run line of the log, or `null`. */
function lastRunner(log: string): string | null {
  const last = readFileSync(log, 'utf8').split('\n').reverse().find((line) => line.startsWith('run '));
  return last?.split(' ')[3] ?? null;
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

  it('starts every slot exactly once while scheduler processes are killed with SIGKILL and restarted', async () => {
    const seconds = 20;
    const leaseTime = 3;
    const killEvery = 2.5;
    const prefix = scratch!.prefix();
    const log = join(dir, 'runs.log');
    writeFileSync(log, '');
    const cluster = new Cluster(3, { url: REDIS_URL, prefix, log, leaseTime, workMs: 50, deadline: Date.now() + 50_000 });
    try {
      await Promise.all(cluster.nodes.map((node) => cluster.start(node)));
      // The first slot leaves the jobs' seeding a second; the judged run lasts `seconds` from it.
      const t1 = Math.ceil(Date.now() / SLOT_MS) * SLOT_MS + 2 * SLOT_MS;
      const end = t1 + seconds * 1_000;
      const seeder = new Scheduler({ stores: { default: new RedisJobStore({ url: REDIS_URL }, { prefix }) }, tasks: { [TASK]: () => undefined } });
      await seeder.start({ paused: true });
      const ids = Array.from({ length: 40 }, (_, i) => `job-${String(i).padStart(2, '0')}`);
      for (const id of ids) {
        // 'all' and a grace: the slots a killed node held are all run by the node that takes
        // over, late, none coalesced away or missed. maxInstances 10: a killed node's runs
        // count until their lease expires, and must not make the next slots skip.
        await seeder.addJob(TASK, new IntervalTrigger({ seconds: 1, startDate: new Date(t1) }), { id, coalesce: 'all', misfireGraceTime: 60, maxInstances: 10 });
      }
      await seeder.shutdown();
      const t2 = Math.floor(end / SLOT_MS) * SLOT_MS - 2 * SLOT_MS;
      const killsUntil = end - (leaseTime + 5) * 1_000;
      let next = t1 + Math.random() * killEvery * 1_000;
      for (let aimed = false; next < killsUntil; aimed = !aimed) {
        if (aimed) next = Math.floor(next / SLOT_MS) * SLOT_MS + Math.random() * 60;
        await sleep(next - Date.now());
        await cluster.killOne(aimed ? lastRunner(log) : null);
        next += killEvery * 1_000 * (0.75 + Math.random() / 2);
      }
      await sleep(end - Date.now());
      // Kill-judge's store kinds are the SQL ones; the kind is only a label in its figures.
      const judgeLog = () => judge(readFileSync(log, 'utf8'), { store: 'redis' as unknown as StoreKind, ids, t1, t2, kills: cluster.kills, crashes: cluster.crashes, leaseMs: leaseTime * 1_000 });
      // The window's slots still due (a loaded machine may have fallen behind): 10 s more at most.
      for (const drainUntil = Date.now() + 10_000; judgeLog().lost > 0 && Date.now() < drainUntil; ) await sleep(500);
      await cluster.stop(5_000);
      const figures = judgeLog();
      expect(figures.ok, `\n${formatFigures(figures)}\n${cluster.crashLog}`).toBe(true);
      expect(figures.kills).toBeGreaterThanOrEqual(4);
    } finally {
      await Promise.all(cluster.nodes.map((node) => cluster.signal(node, 'SIGKILL')));
    }
  }, 55_000);
});
