/**
 * The worker executor: CPU-heavy tasks in worker threads while the main thread keeps its timing,
 * a timeout that ends a task which never looks at its signal, and a task's error with its code.
 *
 * Run:  npx tsx examples/executors/worker.ts
 * See:  a heartbeat job on the main thread every 100 ms; two prime counts (a few hundred ms
 *       of CPU each) on the two worker threads; a runaway task reported as timed out after 1 s
 *       and ended with its thread 0.5 s later; a task failing with code E_BAD_MONTH; a job
 *       naming a task the module lacks refused at addJob; then the heartbeat's lateness while
 *       all that ran, and the process exits by itself after shutdown. ~3 s.
 *
 * (An application imports from 'timetable' and 'timetable/executors/worker'; the examples import
 * the sources so that they run from a checkout without a build.)
 */
import { Scheduler, type JobContext } from '../../src/index.js';
import { WorkerExecutor } from '../../src/executors/worker/index.js';

const started = Date.now();
const log = (line: string) => console.log(`+${((Date.now() - started) / 1000).toFixed(1)}s ${line}`);

const cpu = new WorkerExecutor({
  taskModule: new URL('./report-tasks.mjs', import.meta.url),
  workers: 2,
  killAfter: 0.5, // seconds after a timeout before a task that ignores its signal is ended
  resourceLimits: { maxOldGenerationSizeMb: 128 },
});
// The promise executor stays the default: jobs without `executor` run on the main thread.
const scheduler = new Scheduler({ executors: { cpu } });

const lateness: number[] = [];
scheduler.registerTask('heartbeat', (context: JobContext) => {
  lateness.push(Date.now() - context.scheduledRunTime.getTime());
});
scheduler.on('job:executed', (event) => {
  if (event.jobId !== 'heartbeat') log(`${event.jobId}: ${JSON.stringify(event.returnValue)} in ${event.durationMs} ms`);
});
scheduler.on('job:error', (event) => {
  const error = event.error as Error & { code?: string };
  log(`${event.jobId} failed: ${error.name} [${error.code}] ${error.message}`);
});

await scheduler.start();
const soon = (ms: number) => ({ type: 'date', runDate: new Date(Date.now() + ms).toISOString() }) as const;
await scheduler.addJob('heartbeat', { type: 'interval', seconds: 0.1 }, { id: 'heartbeat' });
await scheduler.addJob('countPrimes', soon(200), { id: 'primes-a', executor: 'cpu', args: [20_000_000] });
await scheduler.addJob('runaway', soon(200), { id: 'runaway', executor: 'cpu', timeout: 1 });
await scheduler.addJob('countPrimes', soon(1_800), { id: 'primes-b', executor: 'cpu', args: [20_000_000] });
await scheduler.addJob('validateMonth', soon(2_000), { id: 'validate', executor: 'cpu', args: ['2026-13'] });
try {
  await scheduler.addJob('renderPdf', soon(200), { executor: 'cpu' });
} catch (error) {
  log(`renderPdf refused: [${(error as { code: string }).code}] ${(error as Error).message}`);
}

await new Promise((resolve) => setTimeout(resolve, 3_000));
await scheduler.shutdown();
const sorted = [...lateness].sort((a, b) => a - b);
const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
log(`heartbeat: ${sorted.length} runs on the main thread, p99 lateness ${p99} ms, max ${sorted.at(-1)} ms`);
log('shut down; the worker threads are gone and the process exits by itself');
