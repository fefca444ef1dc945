/**
 * One node of W6: `node w6-node.mjs <namespace json> <identity> <log file>`. A scheduler on the
 * shared store that runs the task `fire`; every run, and every run event that stands for a slot
 * not started here, is appended to the log with a synchronous write, so a line written survives
 * a SIGKILL a moment later. Lines:
 *
 *   R <job> <slot ms> <start ms>                  a run started (the task was called)
 *   A <job> <slot ms> <node>                      job:abandoned: a run of <node> found dead
 *   M <job> <first ms> <last ms> <count>          job:max-instances: slots skipped
 *   X <job> <first ms> <last ms> <count>          job:missed: slots dropped
 *   E <message>                                   store:error
 *
 * Prints `@@ready` once started; SIGTERM shuts the scheduler down and exits. Exits at once when
 * its stdin ends: the orchestrator holds the other end, so a node never outlives it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Scheduler } from '../../dist/index.js';
import { preciseNow } from './_common.mjs';
import { openStore } from './_stores.mjs';

const [nsJson, identity, logPath] = process.argv.slice(2);
const fd = openSync(logPath, 'a');
const write = (line) => writeSync(fd, `${line}\n`);
const jobIndex = (id) => Number(id.slice('job-'.length));
const slots = (event) => {
  const times = event.scheduledRunTimes ?? [event.scheduledRunTime];
  return `${times[0].getTime()} ${times[times.length - 1].getTime()} ${event.slotCount ?? times.length}`;
};

const store = await openStore(JSON.parse(nsJson));
const scheduler = new Scheduler({
  identity,
  timezone: 'UTC',
  stores: { default: store },
  tasks: { fire: (i, context) => write(`R ${i} ${context.scheduledRunTime.getTime()} ${preciseNow().toFixed(1)}`) },
});
scheduler.on('job:abandoned', (e) => write(`A ${jobIndex(e.jobId)} ${e.scheduledRunTime.getTime()} ${e.node}`));
scheduler.on('job:max-instances', (e) => write(`M ${jobIndex(e.jobId)} ${slots(e)}`));
scheduler.on('job:missed', (e) => write(`X ${jobIndex(e.jobId)} ${slots(e)}`));
scheduler.on('store:error', (e) => write(`E ${String(e.error?.message ?? e.error).replace(/\s+/g, ' ').slice(0, 300)}`));
await scheduler.start();
process.stdout.write('@@ready\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', async () => {
  await scheduler.shutdown();
  closeSync(fd);
  process.exit(0);
});
