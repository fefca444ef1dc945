/**
 * The console demo (`npm run demo`): a few jobs on the in-memory store, one readable line per
 * scheduler event for about 15 seconds, then a graceful shutdown.
 *
 * Run:  npm run demo    (or: npx tsx examples/demo.ts; Ctrl-C stops it early, also gracefully)
 * See:  a banner, then runs, failures, skipped runs and a one-off job's removal as they happen,
 *       a shutdown that waits for the slow job to finish, a summary, and exit code 0 after
 *       about 17 s.
 *
 * (An application imports from 'timetable'; the examples import the sources so that they run
 * from a checkout without a build.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTrigger, IntervalTrigger, Scheduler, type JobContext } from '../src/index.js';

const DEMO_SECONDS = 15;
const started = Date.now();
const clock = (date: Date) => `+${((date.getTime() - started) / 1000).toFixed(1).padStart(4, '0')}s`;
const line = (when: Date, mark: string, jobId: string, text: string) =>
  console.log(`[${clock(when)}] ${mark} ${jobId.padEnd(13)} ${text}`);

console.log(`
  timetable demo
  ──────────────
  A scheduler with four jobs on the in-memory store, for ${DEMO_SECONDS} seconds:
    heartbeat      every 2 s, always succeeds
    fetch-prices   every 3.5 s, fails on every third run (job:error)
    build-report   every 4 s, but takes 5 s: with maxInstances 1 the run that falls due
                   while it is still busy is skipped (job:max-instances)
    send-welcome   once, 6 s from now (a DateTrigger), then removed (job:removed 'finished')
  Each line is one event. Ctrl-C stops early; the shutdown always waits for running jobs.
`);

const scheduler = new Scheduler();

let beats = 0;
let fetches = 0;
scheduler.registerTask('heartbeat', () => `beat #${++beats}`);
scheduler.registerTask('fetch-prices', async () => {
  await sleep(50);
  if (++fetches % 3 === 0) throw new Error('upstream answered 503 Service Unavailable');
  return { eur: 1.08 + fetches / 1000 };
});
scheduler.registerTask('build-report', async ({ signal }: JobContext) => {
  await sleep(5000, undefined, { signal }); // aborted only by a timeout or shutdown({ wait: false })
  return 'report.pdf';
});
scheduler.registerTask('send-welcome', (user: string) => `welcome mail sent to ${user}`);

await scheduler.addJob('heartbeat', new IntervalTrigger({ seconds: 2 }), { id: 'heartbeat' });
await scheduler.addJob('fetch-prices', new IntervalTrigger({ seconds: 3.5 }), { id: 'fetch-prices' });
await scheduler.addJob('build-report', new IntervalTrigger({ seconds: 4 }), { id: 'build-report', maxInstances: 1 });
await scheduler.addJob('send-welcome', new DateTrigger(new Date(Date.now() + 6000)), {
  id: 'send-welcome',
  args: ['ada@example.com'],
});

const counts = { executed: 0, failed: 0, skipped: 0 };
scheduler.on('scheduler:started', (e) => console.log(`[${clock(e.timestamp)}] scheduler started`));
scheduler.on('job:added', (e) => line(e.timestamp, '+', e.jobId, 'added'));
scheduler.on('job:submitted', (e) => line(e.timestamp, '▶', e.jobId, 'started'));
scheduler.on('job:executed', (e) => {
  counts.executed += 1;
  line(e.timestamp, '✔', e.jobId, `done in ${e.durationMs} ms → ${JSON.stringify(e.returnValue)}`);
});
scheduler.on('job:error', (e) => {
  counts.failed += 1;
  line(e.timestamp, '✖', e.jobId, `failed: ${e.error instanceof Error ? e.error.message : String(e.error)}`);
});
scheduler.on('job:max-instances', (e) => {
  counts.skipped += 1;
  line(e.timestamp, '⏭', e.jobId, `skipped the ${clock(e.scheduledRunTime)} run: the previous one is still running`);
});
scheduler.on('job:missed', (e) => line(e.timestamp, '⌛', e.jobId, `missed the ${clock(e.scheduledRunTime)} run`));
scheduler.on('job:removed', (e) => line(e.timestamp, '−', e.jobId, `removed (${e.reason})`));
scheduler.on('scheduler:shutdown', (e) => console.log(`[${clock(e.timestamp)}] scheduler shut down`));

const stop = (why: string) => {
  if (scheduler.state === 'stopped') return; // already shutting down
  console.log(`[${clock(new Date())}] ${why}: shutting down, waiting for running jobs...`);
  scheduler.shutdown().catch((error: unknown) => console.error('shutdown failed:', error));
};
const timer = setTimeout(() => stop(`${DEMO_SECONDS} s are up`), DEMO_SECONDS * 1000);
process.once('SIGINT', () => console.log(`\n[${clock(new Date())}] Ctrl-C: shutting down, waiting for running jobs...`));

// run() starts, shuts down gracefully on SIGINT/SIGTERM, and resolves once shut down (here,
// usually after the timer above calls shutdown()).
await scheduler.run();
clearTimeout(timer);
console.log(`
  ${counts.executed} runs succeeded, ${counts.failed} failed, ${counts.skipped} skipped by maxInstances.
  Every timer is gone, so the process now exits by itself (code 0).
`);
