/**
 * A long-running service: `scheduler.run()` starts the scheduler and keeps going until SIGINT
 * (Ctrl-C) or SIGTERM (docker stop, systemd, Kubernetes), then shuts down gracefully: the batch
 * that is running finishes before the process exits. The task honours its AbortSignal, so a
 * run that hangs is stopped by the job's `timeout` instead of holding up the shutdown forever.
 *
 * Run:  npx tsx examples/graceful-shutdown.ts   (press Ctrl-C, or wait ~3.4 s)
 * See:  batch 1 hangs on item 3 and is aborted by its 1.5 s timeout (job:error); batch 2 starts;
 *       "SIGTERM received" arrives in the middle of it; batch 2 still finishes all 4 items; then
 *       "run() resolved" and the process exits with code 0 after about 4 s.
 *
 * (An application imports from 'timetable'; the examples import the sources so that they run
 * from a checkout without a build.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Scheduler, type JobContext } from '../src/index.js';

const started = Date.now();
const log = (line: string) => console.log(`+${((Date.now() - started) / 1000).toFixed(2)}s ${line}`);

let batches = 0;

async function syncBatch({ signal }: JobContext): Promise<void> {
  const batch = ++batches;
  log(`batch ${batch} started`);
  for (let item = 1; item <= 4; item++) {
    // Pass the signal to everything that waits (fetch, timers, database drivers...): when the
    // run times out, or the scheduler is shut down with { wait: false }, the await rejects and
    // the task stops instead of running on unobserved.
    const work = batch === 1 && item === 3 ? 60_000 : 250; // batch 1 gets stuck on item 3
    try {
      await sleep(work, undefined, { signal });
    } catch (error) {
      log(`batch ${batch} gave up at item ${item}: ${(signal.reason as Error).message}`);
      throw error;
    }
    log(`batch ${batch} item ${item}/4 done`);
  }
}

const scheduler = new Scheduler({ tasks: { syncBatch } });
scheduler.on('job:error', (e) => log(`job:error (${e.jobId}): ${(e.error as Error).message}`));
await scheduler.addJob('syncBatch', { type: 'interval', seconds: 1 }, { id: 'sync', timeout: 1.5 });

// Only for logging: run() installs its own SIGINT/SIGTERM handlers that call shutdown().
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => log(`${signal} received: finishing the running batch, starting no new one`));
}

// A real service would NOT do this: it waits for its supervisor to send the signal. It is here
// so that the example (and the test that runs it) ends by itself: 0.4 s into the second batch,
// about 3.4 s after start, the process sends itself SIGTERM. unref() keeps the timer from
// holding the process open.
let submitted = 0;
scheduler.on('job:submitted', () => {
  if (++submitted === 2) setTimeout(() => process.kill(process.pid, 'SIGTERM'), 400).unref();
});

log('service running; press Ctrl-C to stop');
await scheduler.run(); // resolves once the graceful shutdown has finished
log(`run() resolved (state: ${scheduler.state}); exiting with code 0`);
