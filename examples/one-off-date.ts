/**
 * A one-off job: a DateTrigger fires once, 1 second from now, and the job then leaves the store.
 *
 * Run:  npx tsx examples/one-off-date.ts
 * See:  the job listed with its run date; after ~1 s "job:submitted", then
 *       "job:removed reason=finished" (the job is gone as soon as its last run is submitted,
 *       before that run even ends), the task's output, "job:executed", and finally an empty
 *       job list. Exits by itself after about 1.5 s.
 *
 * (An application imports from 'timetable'; the examples import the sources so that they run
 * from a checkout without a build.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTrigger, Scheduler } from '../src/index.js';

const started = Date.now();
const log = (line: string) => console.log(`+${((Date.now() - started) / 1000).toFixed(2)}s ${line}`);

const scheduler = new Scheduler();
scheduler.on('job:submitted', (e) => log(`job:submitted    job=${e.jobId}`));
scheduler.on('job:removed', (e) => log(`job:removed      job=${e.jobId} reason=${e.reason}`));
scheduler.on('job:executed', (e) => log(`job:executed     job=${e.jobId} returned ${JSON.stringify(e.returnValue)}`));

// Args must be JSON: they are stored with the job (and copied for each run).
async function sendReminder(text: string): Promise<string> {
  await sleep(200); // pretend to talk to a mail server
  log(`task: reminder sent: "${text}"`);
  return 'delivered';
}

await scheduler.start();
// A DateTrigger also accepts an ISO string such as '2026-12-24T18:00' plus a { timezone }.
const job = await scheduler.addJob(sendReminder, new DateTrigger(new Date(Date.now() + 1000)), {
  id: 'reminder',
  args: ['stand-up in 5 minutes'],
});
log(`added ${job.id}: ${job.trigger.toString()}`);
log(`jobs in the store: ${(await scheduler.getJobs()).map((j) => j.id).join(', ')}`);

await new Promise<void>((resolve) => scheduler.once('job:executed', () => resolve()));
log(`jobs in the store: ${(await scheduler.getJobs()).length}`);
await scheduler.shutdown();
