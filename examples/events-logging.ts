/**
 * Events: subscribe to every scheduler event and print it, as a logging or metrics hook would.
 *
 * Run:  npx tsx examples/events-logging.ts
 * See:  one line per event for about 3 s: scheduler:started, job:added, job:submitted,
 *       job:executed (with the return value), job:error (from a task that fails every other
 *       run), job:max-instances (a 1.5 s task on a 1 s interval), job:modified, job:removed and
 *       scheduler:shutdown. Exits by itself.
 *
 * (An application imports from 'timetable'; the examples import the sources so that they run
 * from a checkout without a build.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SCHEDULER_EVENT_NAMES, Scheduler, type SchedulerEventMap, type SchedulerEventName } from '../src/index.js';


const started = Date.now();
const time = (date: Date) => `+${((date.getTime() - started) / 1000).toFixed(1)}s`;

/** One readable line per event: the fields worth logging, whatever the event type. */
function format(event: SchedulerEventMap[SchedulerEventName]): string {
  const parts = [time(event.timestamp), event.type.padEnd(18)];
  if ('jobId' in event) parts.push(`job=${event.jobId}`);
  if ('alias' in event) parts.push(`alias=${event.alias}`);
  if ('scheduledRunTime' in event) parts.push(`slot=${time(event.scheduledRunTime)}`);
  if ('reason' in event) parts.push(`reason=${event.reason}`);
  if ('returnValue' in event) parts.push(`returned=${JSON.stringify(event.returnValue)}`);
  if ('error' in event) parts.push(`error=${event.error instanceof Error ? event.error.message : String(event.error)}`);
  if ('durationMs' in event) parts.push(`in ${event.durationMs} ms`);
  return parts.join(' ').trimEnd();
}

const scheduler = new Scheduler();
for (const name of SCHEDULER_EVENT_NAMES) {
  scheduler.on(name, (event) => console.log(format(event)));
}

let greetings = 0;
await scheduler.addJob(() => `hello #${++greetings}`, { type: 'interval', seconds: 1 }, { id: 'greet' });

// A thrown error (or a rejected promise) never reaches the scheduler loop: it becomes job:error.
let flakyRuns = 0;
await scheduler.addJob(
  () => {
    if (++flakyRuns % 2 === 1) throw new Error(`upstream unavailable (run ${flakyRuns})`);
    return 'fetched';
  },
  { type: 'interval', seconds: 1 },
  { id: 'flaky' },
);

// A run that outlasts the interval: with maxInstances 1 (the default) the next slot is skipped
// (job:max-instances) rather than queued, and the schedule moves on.
await scheduler.addJob(() => sleep(1500).then(() => 'slow done'), { type: 'interval', seconds: 1 }, { id: 'slow' });

// Wait for the interesting events instead of a fixed time, so the output is the same every run.
const seen = (name: 'job:error' | 'job:max-instances') =>
  new Promise<void>((resolve) => scheduler.once(name, () => resolve()));
const interesting = Promise.all([seen('job:error'), seen('job:max-instances')]);

await scheduler.start();
await interesting;
await scheduler.modifyJob('greet', { name: 'greeter' }); // job:modified
await scheduler.removeJob('flaky'); // job:removed reason=removed
await scheduler.shutdown(); // waits for the slow run still in flight, then scheduler:shutdown
