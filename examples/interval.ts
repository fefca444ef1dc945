/**
 * An interval job: a task every 2 seconds, three runs, then a graceful shutdown.
 *
 * Run:  npx tsx examples/interval.ts
 * See:  three "tick" lines about 2 s apart (each with the slot it ran for), then
 *       "shut down after 3 runs" after about 6 s, and the process exits by itself.
 *
 * (An application imports from 'timetable'; the examples import the sources so that they run
 * from a checkout without a build.)
 */
import { IntervalTrigger, Scheduler, type JobContext } from '../src/index.js';

const started = Date.now();
const elapsed = () => `+${((Date.now() - started) / 1000).toFixed(1)}s`;

const scheduler = new Scheduler();

// The task receives the job's args (none here) and then a context describing this run.
// `scheduledRunTime` is the slot on the 2 s grid, not the moment the task actually started.
function tick(context: JobContext): string {
  console.log(`${elapsed()} tick for slot ${context.scheduledRunTime.toISOString()}`);
  return 'ok';
}

// Without a startDate the first run is one interval after start(), then every 2 s.
await scheduler.addJob(tick, new IntervalTrigger({ seconds: 2 }), { id: 'tick' });

// Count finished runs through events rather than inside the task: a task must not await
// shutdown() itself, because a graceful shutdown waits for the running task to end.
let runs = 0;
const threeRuns = new Promise<void>((resolve) => {
  scheduler.on('job:executed', () => {
    runs += 1;
    if (runs === 3) resolve();
  });
});

await scheduler.start();
console.log(`${elapsed()} started; next run at ${(await scheduler.getJob('tick'))?.nextRunTime?.toISOString()}`);
await threeRuns;

// wait: true (the default) lets a run in progress finish. After shutdown() no timer of the
// scheduler is left, so Node exits on its own: no process.exit() needed.
await scheduler.shutdown();
console.log(`${elapsed()} shut down after ${runs} runs (state: ${scheduler.state})`);
