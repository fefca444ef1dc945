/**
 * The part the PostgreSQL and MySQL examples have in common (not an example of its own): two
 * schedulers on one database run a one-second job, each slot once between them; then a third,
 * started after both have shut down, finds the job still there.
 */
import type { Scheduler } from '../../src/index.js';

/** How many slots of the job the two nodes run before they shut down. */
const SLOTS = 4;

/**
 * @param node - makes a scheduler (with its own store on the shared database) named `identity`
 * @param where - what the nodes share, for the log ("schema ...", "tables ...")
 * @param reaches - how node-b learns of the job node-a adds, for the log
 */
export async function shareOneJob(node: (identity: string) => Scheduler, where: string, reaches: string): Promise<void> {
  const nodes = [node('node-a'), node('node-b')];
  const ranBy = new Map<string, string[]>();
  const done = new Promise<void>((resolve) => {
    for (const scheduler of nodes) {
      scheduler.on('job:executed', (e) => {
        const slot = e.scheduledRunTime.toISOString();
        ranBy.set(slot, [...(ranBy.get(slot) ?? []), e.node]);
        console.log(`slot ${slot.slice(11, 23)} ran on ${e.node}: ${String(e.returnValue)}`);
        if (ranBy.size === SLOTS) resolve();
      });
    }
  });
  await Promise.all(nodes.map((scheduler) => scheduler.start())); // creates the tables on first start
  console.log(`node-a and node-b started on ${where}`);

  await nodes[0]!.addJob('report', { type: 'interval', seconds: 1 }, { id: 'report' });
  console.log(`node-a added job "report" (every second); node-b ${reaches}`);
  await done;
  await Promise.all(nodes.map((scheduler) => scheduler.shutdown()));
  const once = [...ranBy.values()].every((ran) => ran.length === 1);
  console.log(`slots: ${ranBy.size}, each slot ran once: ${once ? 'yes' : 'NO'}; both nodes shut down`);

  // A restart: a new scheduler on the same database finds the job where the others left it.
  const later = node('node-c');
  await later.start({ paused: true });
  const job = await later.getJob('report');
  console.log(`node-c found after the restart: ${job?.id} ${job?.trigger.toString()}, next run ${job?.nextRunTime?.toISOString()}`);
  await later.shutdown();
}
