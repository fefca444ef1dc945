/**
 * Several processes on one machine sharing an SQLite file (WAL mode): three child processes
 * start at once on an empty file, then acquire and commit the same due jobs at the same time.
 * Every job must be taken by exactly one of them, with exactly one run recorded.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { SqliteJobStore } from '../../src/stores/sqlite.js';
import { contractContext } from '../contracts/job-store.contract.js';
import { sqliteScratch } from '../helpers/databases.js';
import { addDueJobs, expectDrainedOnce, runDrainers, writeDrainerScript } from '../helpers/drain-children.js';

const scratch = sqliteScratch();
/** Every child started and not seen exiting: SIGKILLed at the end, whatever happened. */
const live = new Set<ChildProcess>();
afterAll(() => {
  for (const child of live) child.kill('SIGKILL');
  return scratch.drop();
});

const STORE_MODULE = fileURLToPath(new URL('../../src/stores/sqlite.ts', import.meta.url));
const OPEN = `const { SqliteJobStore } = await import(process.env.STORE_MODULE);
const store = new SqliteJobStore({ path: process.env.DB });`;

/** Runs three children at once on the file at `path`; resolves with what each printed. */
function children(path: string, drain: boolean) {
  const script = scratch.file('child.mjs');
  writeDrainerScript(script, OPEN);
  return runDrainers(script, { STORE_MODULE, DB: path, BARRIER: `${path}.ready` }, drain, live);
}

describe('SqliteJobStore shared by processes', () => {
  it('lets three processes start at once on an empty file, then hands each due job to exactly one of them', async () => {
    const path = scratch.file('shared.db');
    await children(path, false);
    const store = new SqliteJobStore({ path });
    await store.start(contractContext());
    const count = 150;
    await addDueJobs(store, count);
    await expectDrainedOnce(await children(path, true), store, count);
    await store.shutdown();
  }, 60_000);
});
