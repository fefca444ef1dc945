/**
 * The web demo (`npm run demo`): an Express app on localhost with a scheduler on the SQLite store,
 * a few registered demo tasks on interval, cron and date triggers, the REST API under
 * `/scheduler` behind HTTP Basic auth, and the live dashboard at `/scheduler/dashboard`.
 *
 * Run:  npm run demo                (or: npx tsx examples/demo.ts; PORT=8080 picks another port,
 *                                    DEMO_PASSWORD=... another password)
 *       npm run demo -- --memory    (the in-memory store: every start begins with the demo jobs)
 *       npm run demo -- --db <file> (another SQLite file than examples/demo.db)
 *       npm run demo -- --smoke     (starts, checks the API and the dashboard once, exits with 0;
 *                                    on a temporary file unless --db or --memory is given)
 * See:  a banner with the store, the dashboard URL and the credentials (user `demo`, password
 *       `timetable`), then one line per run. Open the URL, sign in, and pause, resume, run or
 *       remove jobs, or add one. Ctrl-C shuts down gracefully: the server closes and running jobs
 *       are waited for. The jobs are kept in examples/demo.db (git-ignored), so after a restart
 *       they are as you left them; the demo jobs are added only to an empty store (delete the
 *       file to start afresh).
 *
 * (An application imports from 'timetable', 'timetable/express' and 'timetable/stores/sqlite';
 * the examples import the sources so that they run from a checkout without a build.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { MemoryJobStore, Scheduler, type AddJobOptions, type JobContext, type TriggerInput } from '../src/index.js';
import { schedulerRouter } from '../src/express/index.js';
import { SqliteJobStore } from '../src/stores/sqlite.js';

const { values: flags } = parseArgs({
  options: { smoke: { type: 'boolean' }, memory: { type: 'boolean' }, db: { type: 'string' } },
});
const SMOKE = flags.smoke === true || process.env.DEMO_SMOKE === '1';
const HOST = '127.0.0.1';
const PORT = SMOKE ? 0 : Number(process.env.PORT ?? 3000);
const USERNAME = 'demo';
const PASSWORD = process.env.DEMO_PASSWORD || 'timetable';

// --- the store: an SQLite file by default, memory with --memory -----------------------------------
if (flags.memory && flags.db !== undefined) {
  console.error('Give --memory or --db <file>, not both.');
  process.exit(1);
}
// --smoke alone works on a throwaway file, so that it never touches the demo's own jobs.
const scratch = SMOKE && !flags.memory && flags.db === undefined ? mkdtempSync(join(tmpdir(), 'timetable-demo-')) : null;
if (scratch) process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
const dbFile = flags.memory
  ? null
  : resolve(flags.db ?? (scratch ? join(scratch, 'demo.db') : fileURLToPath(new URL('demo.db', import.meta.url))));
const storeLabel =
  dbFile === null
    ? 'in memory (--memory): the jobs are lost at exit'
    : `SQLite file ${dbFile}${scratch ? ' (temporary, for --smoke)' : ': the jobs are kept across restarts'}`;

// --- the scheduler and its tasks ------------------------------------------------------------------
// A persistent store keeps a job's task by name, so every task is registered (no inline functions).
const scheduler = new Scheduler({
  stores: { default: dbFile === null ? new MemoryJobStore() : new SqliteJobStore({ path: dbFile }) },
});

let syncs = 0;
scheduler.registerTask('heartbeat', () => 'alive');
scheduler.registerTask('send-report', async () => {
  await sleep(300);
  return { rows: 1200 + Math.floor(Math.random() * 100) };
});
scheduler.registerTask('sync-prices', async () => {
  await sleep(100);
  if (++syncs % 3 === 0) throw new Error('upstream answered 503 Service Unavailable');
  return { eur: 1.08 };
});
scheduler.registerTask('rebuild-index', async ({ signal }: JobContext) => {
  await sleep(8000, undefined, { signal }); // slow: a run-now while it is busy is refused (maxInstances 1)
  return 'index rebuilt';
});
scheduler.registerTask('send-welcome', (email: string) => `welcome mail sent to ${email}`);
scheduler.registerTask('cleanup-temp', (days: number = 7) => `removed temp files older than ${days} days`);

/** The demo jobs, added to an empty store only: a restart keeps what the store holds. */
const DEMO_JOBS: { task: string; trigger: TriggerInput; options: AddJobOptions; about: string }[] = [
  {
    task: 'heartbeat',
    trigger: { type: 'interval', seconds: 10 },
    options: { id: 'heartbeat', name: 'Heartbeat' },
    about: 'every 10 s, always succeeds',
  },
  {
    task: 'send-report',
    trigger: '* * * * *',
    options: { id: 'minute-report', name: 'Minute report' },
    about: 'cron "* * * * *": every minute at :00',
  },
  {
    task: 'sync-prices',
    trigger: { type: 'interval', seconds: 20 },
    options: { id: 'sync-prices', name: 'Price sync' },
    about: 'every 20 s, fails on every third run',
  },
  {
    task: 'rebuild-index',
    trigger: { type: 'interval', seconds: 45 },
    options: { id: 'rebuild-index', name: 'Search index rebuild', maxInstances: 1 },
    about: 'every 45 s, takes 8 s (maxInstances 1: a run-now while busy is refused)',
  },
  {
    task: 'send-welcome',
    trigger: { type: 'date', runDate: new Date(Date.now() + 60_000).toISOString() },
    options: { id: 'welcome-ada', name: 'Welcome mail (one-off)', args: ['ada@example.com'] },
    about: 'once, a minute from now (a date trigger), then removed',
  },
];

// Started paused: the store is read, and the demo jobs added to an empty one, before anything runs.
try {
  await scheduler.start({ paused: true });
} catch (error) {
  console.error(`Cannot open the store: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const fresh = (await scheduler.getJobs()).length === 0;
if (fresh) for (const { task, trigger, options } of DEMO_JOBS) await scheduler.addJob(task, trigger, options);
const jobs = await scheduler.getJobs();

// One line per run outcome, so the terminal tells the same story as the dashboard.
const time = (date: Date) => date.toLocaleTimeString('en-GB');
const log = (date: Date, mark: string, jobId: string, text: string) =>
  console.log(`[${time(date)}] ${mark} ${jobId.padEnd(14)} ${text}`);
scheduler.on('job:executed', (e) => log(e.timestamp, '✔', e.jobId, `ok in ${e.durationMs} ms`));
scheduler.on('job:error', (e) =>
  log(e.timestamp, '✖', e.jobId, `failed: ${e.error instanceof Error ? e.error.message : String(e.error)}`),
);
scheduler.on('job:max-instances', (e) => log(e.timestamp, '⏭', e.jobId, 'skipped: the previous run is still busy'));
scheduler.on('job:added', (e) => log(e.timestamp, '+', e.jobId, 'added'));
scheduler.on('job:removed', (e) => log(e.timestamp, '−', e.jobId, `removed (${e.reason})`));
// With the file: a run left by a demo that was killed (not shut down), found after the restart;
// a stored job whose task is not registered (any more) is left in the file and reported.
scheduler.on('job:abandoned', (e) => log(e.timestamp, '⚠', e.jobId, `run of ${e.node} abandoned (it was killed)`));
scheduler.on('job:invalid', (e) =>
  log(e.timestamp, '⚠', e.jobId, `cannot run: ${e.error instanceof Error ? e.error.message : String(e.error)}`),
);

// --- the web app ----------------------------------------------------------------------------------
const app = express();
app.use('/scheduler', schedulerRouter(scheduler, { auth: { basic: { username: USERNAME, password: PASSWORD } } }));
app.get('/', (_req, res) => res.redirect('/scheduler/dashboard'));

const server = app.listen(PORT, HOST);
try {
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
} catch (error) {
  await scheduler.shutdown();
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    console.error(
      `Cannot listen on http://${HOST}:${PORT}: ${code === 'EADDRINUSE' ? 'the port is already in use' : 'permission denied'}.\n` +
        `Stop the program using it, or pick another port:  PORT=3001 npm run demo`,
    );
    process.exit(1);
  }
  throw error;
}
const { port } = server.address() as AddressInfo;
const origin = `http://${HOST}:${port}`;

const about = (id: string) => DEMO_JOBS.find((demo) => demo.options.id === id)?.about;
const jobLines = jobs.map(
  (job) => `    ${job.id.padEnd(15)} ${(fresh && about(job.id)) || job.trigger.toString()}${job.paused ? ' (paused)' : ''}`,
);
const unscheduled = jobs.some((job) => job.task === 'cleanup-temp')
  ? ''
  : `  Task "cleanup-temp" is registered but not scheduled: add it from the dashboard's form.\n`;
console.log(`
  timetable web demo
  ──────────────────
  Dashboard:   ${origin}/scheduler/dashboard
  REST API:    ${origin}/scheduler      e.g.  curl -u ${USERNAME}:${PASSWORD} ${origin}/scheduler/jobs
  Sign in as:  user "${USERNAME}", password "${PASSWORD}"   (HTTP Basic; DEMO_PASSWORD=... changes it)
  Store:       ${storeLabel}

  ${fresh ? 'The demo jobs, added to the empty store:' : `${jobs.length} job(s) kept in the store from the last run:`}
${jobLines.join('\n')}
${unscheduled}  Ctrl-C stops the demo gracefully.
`);
scheduler.resume();

// --- shutdown -------------------------------------------------------------------------------------
let stopping = false;
async function stop(why: string): Promise<void> {
  if (stopping) {
    console.log(`${why} again: not waiting for running jobs`);
    await scheduler.shutdown({ wait: false });
    return;
  }
  stopping = true;
  console.log(`${why}: closing the server and shutting down, waiting for running jobs...`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections(); // also the dashboards' open event streams
  await Promise.all([closed, scheduler.shutdown()]);
  console.log('Shut down; the process exits by itself.');
}
const onSignal = (signal: NodeJS.Signals) => {
  stop(signal).catch((error: unknown) => {
    console.error('shutdown failed:', error);
    process.exitCode = 1;
  });
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// --- smoke mode: one authenticated look at the API and the dashboard, then exit -------------------
if (SMOKE) {
  const authorization = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
  let ok = true;
  const info = await fetch(`${origin}/scheduler`, { headers: { authorization } });
  const body = (await info.json()) as { state?: string; jobCount?: number; auth?: string };
  console.log(`smoke: GET /scheduler -> ${info.status} state=${body.state} jobs=${body.jobCount} auth=${body.auth}`);
  ok &&= info.status === 200 && body.state === 'running';
  const page = await fetch(`${origin}/scheduler/dashboard`, { headers: { authorization } });
  const html = await page.text();
  const hasCsp = (page.headers.get('content-security-policy') ?? '').includes("default-src 'none'");
  console.log(
    `smoke: GET /scheduler/dashboard -> ${page.status} ${page.headers.get('content-type')}` +
      ` csp=${hasCsp ? 'strict' : 'missing'} title="${/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? ''}"`,
  );
  ok &&= page.status === 200 && hasCsp;
  const anonymous = await fetch(`${origin}/scheduler/jobs`);
  console.log(`smoke: GET /scheduler/jobs without credentials -> ${anonymous.status}`);
  ok &&= anonymous.status === 401;
  console.log(ok ? 'smoke: ok' : 'smoke: FAILED');
  if (!ok) process.exitCode = 1;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await stop('smoke test done');
}
