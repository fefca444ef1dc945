/**
 * Several processes on one machine sharing an SQLite file (WAL mode): three child processes
 * start at once on an empty file, then acquire and commit the same due jobs at the same time.
 * Every job must be taken by exactly one of them, with exactly one run recorded.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJobStore } from '../../src/stores/sqlite.js';
import { contractContext, makeRecord } from '../contracts/job-store.contract.js';
import { sqliteScratch } from '../helpers/databases.js';

const scratch = sqliteScratch();
afterAll(() => scratch.drop());

const STORE_MODULE = fileURLToPath(new URL('../../src/stores/sqlite.ts', import.meta.url));
const T0 = '2026-01-01T00:00:00.000Z';
const T0_30 = '2026-01-01T00:00:30.000Z';
const T3 = '2026-01-01T00:03:00.000Z';

/** What each child runs: start the store, then (with JOBS set) drain the due jobs. */
const CHILD = `
const { SqliteJobStore } = await import(process.env.STORE_MODULE);
const name = process.env.NAME;
const store = new SqliteJobStore({ path: process.env.DB });
const context = { alias: 'x', identity: name, clock: { now: () => Date.now(), setTimeout, clearTimeout }, wakeup() {}, log() {} };
await store.start(context);
const taken = [];
const started = [];
if (process.env.DRAIN === '1') {
  // A barrier: all three are started before any takes a job, so they really compete.
  const { existsSync, writeFileSync } = await import('node:fs');
  writeFileSync(process.env.DB + '.ready-' + name, '');
  while (!['p1', 'p2', 'p3'].every((other) => existsSync(process.env.DB + '.ready-' + other))) await new Promise((r) => setTimeout(r, 5));
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
    // A scheduler does some work between batches; meanwhile the others get the lock.
    await new Promise((r) => setTimeout(r, 2));
  }
}
await store.shutdown();
process.stdout.write(JSON.stringify({ taken, started }));
`;

/** Runs three children at once; resolves with what each printed. */
async function children(path: string, drain: boolean): Promise<{ taken: string[]; started: string[] }[]> {
  const script = scratch.file('child.mjs');
  writeFileSync(script, CHILD);
  const one = (name: string) =>
    new Promise<{ taken: string[]; started: string[] }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, STORE_MODULE, DB: path, NAME: name, DRAIN: drain ? '1' : '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${name} exited ${code}: ${err}`))));
    });
  return Promise.all(['p1', 'p2', 'p3'].map(one));
}

describe('SqliteJobStore shared by processes', () => {
  it('lets three processes start at once on an empty file, then hands each due job to exactly one of them', async () => {
    const path = scratch.file('shared.db');
    await children(path, false);
    const store = new SqliteJobStore({ path });
    await store.start(contractContext());
    const count = 150;
    for (let i = 0; i < count; i++) await store.addJob(makeRecord({ id: `job-${String(i).padStart(3, '0')}`, nextRunTime: T0 }));
    const results = await children(path, true);
    const taken = results.flatMap((result) => result.taken);
    expect(taken).toHaveLength(count);
    expect(new Set(taken).size).toBe(count);
    expect(results.flatMap((result) => result.started)).toHaveLength(count);
    // More than one process did work (the file was really shared, not drained by the first).
    expect(results.filter((result) => result.taken.length > 0).length).toBeGreaterThan(1);
    const jobs = await store.getJobs();
    expect(jobs.every((job) => job.nextRunTime === T3 && job.version === 2)).toBe(true);
    expect(await store.reapRuns('2026-01-01T00:05:00.000Z')).toHaveLength(count);
    await store.shutdown();
  }, 60_000);
});
