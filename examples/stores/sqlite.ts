/**
 * The SQLite store: jobs kept in a file, so they survive a restart. Two schedulers run one after
 * the other on the same file, as a service would across a restart.
 *
 * Run:  npx tsx examples/stores/sqlite.ts   (needs better-sqlite3, a dev dependency here; an
 *                                           application runs `npm install better-sqlite3`)
 * See:  the first scheduler adds two jobs and runs the heartbeat twice, then shuts down; the rows
 *       of the jobs table; 2.5 s with no scheduler; the second scheduler finds both jobs in the
 *       file, runs the heartbeat once for the slots it missed (coalesced) and then the reminder,
 *       which is removed. The file is in a temporary directory, deleted at the end. ~5.5 s.
 *
 * (An application imports from 'timetable' and 'timetable/stores/sqlite'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Scheduler, type JobContext } from '../../src/index.js';
import { SqliteJobStore } from '../../src/stores/sqlite.js';

const started = Date.now();
const log = (line: string) => console.log(`+${((Date.now() - started) / 1000).toFixed(1)}s ${line}`);

// A persistent store keeps a job's task by name: functions cannot be written to a file, so the
// tasks are registered, under the same names, by every scheduler that opens the file.
const tasks = {
  heartbeat: (context: JobContext) => log(`heartbeat for slot ${context.scheduledRunTime.toISOString()}`),
  remind: (text: string) => log(`reminder: ${text}`),
};

const dir = await mkdtemp(join(tmpdir(), 'timetable-sqlite-example-'));
const file = join(dir, 'jobs.db');

/** A scheduler on the file, with a name to tell the two apart. */
function newScheduler(name: string): Scheduler {
  const scheduler = new Scheduler({ identity: name, tasks, stores: { default: new SqliteJobStore({ path: file }) } });
  scheduler.on('job:removed', (e) => log(`[${name}] ${e.jobId} removed (${e.reason})`));
  return scheduler;
}

/** Resolves after `count` runs of `jobId` have ended. */
const runsOf = (scheduler: Scheduler, jobId: string, count: number) =>
  new Promise<void>((resolve) => {
    const off = scheduler.on('job:executed', (e) => {
      if (e.jobId === jobId && --count === 0) resolve(off());
    });
  });

try {
  const first = newScheduler('first');
  await first.start();
  await first.addJob('heartbeat', { type: 'interval', seconds: 1 }, { id: 'heartbeat' });
  await first.addJob('remind', { type: 'date', runDate: new Date(Date.now() + 5500).toISOString() }, {
    id: 'reminder',
    args: ['the jobs survived a restart'],
  });
  log(`[first] added heartbeat and reminder to ${file}`);
  await runsOf(first, 'heartbeat', 2);
  await first.shutdown(); // closes the file
  log('[first] shut down');

  // What the file holds now: one row per job (see docs/stores.md for the tables).
  const db = new Database(file, { readonly: true });
  for (const row of db.prepare('SELECT id, next_run_time FROM timetable_jobs ORDER BY id').all() as {
    id: string;
    next_run_time: string;
  }[]) {
    log(`  row: ${row.id.padEnd(9)} next_run_time ${row.next_run_time}`);
  }
  db.close();

  await sleep(2500); // no scheduler running: the heartbeat misses two or three slots

  const second = newScheduler('second');
  second.on('job:submitted', (e) => log(`[second] ${e.jobId}: one run for ${e.scheduledRunTimes.length} due slot(s)`));
  await second.start({ paused: true }); // paused: list the jobs before any runs
  log(`[second] found in the file: ${(await second.getJobs()).map((job) => job.id).join(', ')}`);
  second.resume();
  await runsOf(second, 'reminder', 1);
  await second.shutdown();
  log('[second] shut down');
} finally {
  await rm(dir, { recursive: true, force: true });
  log('temporary directory removed');
}
