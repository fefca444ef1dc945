/**
 * Three child processes sharing one store through its calls alone: each starts the store, waits
 * until all three have started, then acquires and commits the due jobs in small batches at the
 * same time as the others. Used by the process tests of the SQLite and Redis stores: every due
 * job must be taken by exactly one process, with exactly one run recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { JobStore } from '../../src/stores/job-store.js';
import type { SharedJobStore } from '../../src/stores/runs.js';
import { makeRecord } from '../contracts/job-store.contract.js';

/** When the jobs are due, when the children drain them, and where they move them. */
export const DUE_AT = '2026-01-01T00:00:00.000Z';
const DRAIN_AT = '2026-01-01T00:00:30.000Z';
export const MOVED_TO = '2026-01-01T00:03:00.000Z';
/** Longest a child may run before it is killed and the test fails. */
const CHILD_LIMIT_MS = 25_000;
const NAMES = ['p1', 'p2', 'p3'];

/** What one child took and had recorded as started. */
export interface Drained {
  taken: string[];
  started: string[];
}

/**
 * Writes the children's script to `path`. `open` is JavaScript that sets `store` from
 * `process.env` (the test passes what it needs in `env` to {@link runDrainers}). With `DRAIN=0`
 * a child only starts the store and shuts it down (several processes creating a store at once).
 */
export function writeDrainerScript(path: string, open: string): void {
  writeFileSync(
    path,
    `
const { existsSync, writeFileSync } = await import('node:fs');
const name = process.env.NAME;
${open}
const context = { alias: 'x', identity: name, clock: { now: () => Date.now(), setTimeout, clearTimeout }, wakeup() {}, log() {} };
await store.start(context);
const taken = [];
const started = [];
if (process.env.DRAIN === '1') {
  // A barrier: all three are started before any takes a job, so they really compete.
  writeFileSync(process.env.BARRIER + '-' + name, '');
  while (!${JSON.stringify(NAMES)}.every((other) => existsSync(process.env.BARRIER + '-' + other))) await new Promise((r) => setTimeout(r, 5));
  for (let pass = 0, empty = 0; empty < 3 && pass < 500; pass++) {
    const owner = name + '#' + pass;
    const batch = await store.acquireDueJobs('${DRAIN_AT}', owner, 60000, 3);
    if (batch.length === 0) { empty++; await new Promise((r) => setTimeout(r, 5)); continue; }
    empty = 0;
    const releases = batch.map((job) => ({ id: job.id, acquiredRunTime: job.nextRunTime, nextRunTime: '${MOVED_TO}' }));
    const runs = batch.map((job) => ({ runId: owner + ':' + job.id, jobId: job.id, node: name, scheduledRunTime: job.nextRunTime, maxInstances: 1 }));
    const result = await store.commitJobs(owner, releases, runs, '${DRAIN_AT}', 60000);
    taken.push(...batch.map((job) => job.id));
    started.push(...result.started);
    // A scheduler does some work between batches; meanwhile the others get their turn.
    await new Promise((r) => setTimeout(r, 2));
  }
}
await store.shutdown();
process.stdout.write(JSON.stringify({ taken, started }));
`,
  );
}

/**
 * Runs the three children of `script` at once (`drain`: they drain the due jobs; otherwise they
 * only start the store). Every child is added to `live` while it runs, and killed (failing the
 * test) if it runs longer than {@link CHILD_LIMIT_MS}.
 */
export function runDrainers(script: string, env: Record<string, string>, drain: boolean, live: Set<ChildProcess>): Promise<Drained[]> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const one = (name: string) =>
    new Promise<Drained>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: root,
        env: { ...process.env, ...env, NAME: name, DRAIN: drain ? '1' : '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      live.add(child);
      const limit = setTimeout(() => child.kill('SIGKILL'), CHILD_LIMIT_MS);
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('close', (code, signal) => {
        clearTimeout(limit);
        live.delete(child);
        if (code === 0) resolve(JSON.parse(out) as Drained);
        else reject(new Error(`${name} exited ${code ?? signal}: ${err}`));
      });
    });
  return Promise.all(NAMES.map(one));
}

/** Adds `count` jobs due at {@link DUE_AT} to a started store. */
export async function addDueJobs(store: JobStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await store.addJob(makeRecord({ id: `job-${String(i).padStart(3, '0')}`, nextRunTime: DUE_AT }));
}

/** Each of the `count` jobs was taken by exactly one child, moved once, with one run recorded. */
export async function expectDrainedOnce(results: Drained[], store: SharedJobStore, count: number): Promise<void> {
  const taken = results.flatMap((result) => result.taken);
  expect(taken).toHaveLength(count);
  expect(new Set(taken).size).toBe(count);
  expect(results.flatMap((result) => result.started)).toHaveLength(count);
  // More than one process did work (the store was really shared, not drained by the first).
  expect(results.filter((result) => result.taken.length > 0).length).toBeGreaterThan(1);
  const jobs = await store.getJobs();
  expect(jobs.every((job) => job.nextRunTime === MOVED_TO && job.version === 2)).toBe(true);
  expect(await store.reapRuns('2026-01-01T00:05:00.000Z')).toHaveLength(count);
}
