/**
 * Several schedulers ("nodes") sharing one store: three schedulers, each with its own
 * SqliteJobStore on one file, as three processes on one machine would be. Every due slot is
 * started exactly once among them; the run events say which node ran it. Midway the node that
 * ran the third slot shuts down, and the others carry on without it.
 *
 * Run:  npx tsx examples/stores/shared-nodes.ts
 * See:  one line per run with the node that ran it (which node wins a slot varies), that node
 *       leaving after the third slot, then a summary: 6 slots, 6 runs, each slot ran once, and
 *       the runs per node. The file is in a temporary directory, deleted at the end. ~7 s.
 *
 * The same code shares a PostgreSQL or MySQL store between machines (see postgres.ts, mysql.ts).
 *
 * (An application imports from 'timetable' and 'timetable/stores/sqlite'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scheduler, type JobContext } from '../../src/index.js';
import { SqliteJobStore } from '../../src/stores/sqlite.js';

const SLOTS = 6;
const started = Date.now();
const log = (line: string) => console.log(`+${((Date.now() - started) / 1000).toFixed(1)}s ${line}`);

const dir = await mkdtemp(join(tmpdir(), 'timetable-shared-example-'));
const file = join(dir, 'jobs.db');

// Every node registers the same tasks: any of them may run any job of the store.
const tasks = { tick: (context: JobContext) => `ran for ${context.scheduledRunTime.toISOString()}` };

// Which nodes ran each slot (there must be exactly one per slot), and when all slots are done.
const ranBy = new Map<string, string[]>();
let allDone!: () => void;
const done = new Promise<void>((resolve) => (allDone = resolve));

const nodes = ['node-1', 'node-2', 'node-3'].map((identity) => {
  // Each node opens the file itself; pollInterval is how soon it sees the others' changes.
  const store = new SqliteJobStore({ path: file }, { pollInterval: 0.2 });
  const scheduler = new Scheduler({ identity, tasks, stores: { default: store } });
  scheduler.on('job:executed', (e) => {
    const slot = e.scheduledRunTime.toISOString();
    ranBy.set(slot, [...(ranBy.get(slot) ?? []), e.node]);
    log(`slot ${slot.slice(11, 23)} ran on ${e.node}`);
    if (ranBy.size === 3) void leave(scheduler); // the node that ran the third slot
    if (ranBy.size === SLOTS) allDone();
  });
  return scheduler;
});

async function leave(scheduler: Scheduler): Promise<void> {
  await scheduler.shutdown();
  log(`${scheduler.identity} shut down; the other nodes carry on`);
}

try {
  await Promise.all(nodes.map((scheduler) => scheduler.start()));
  // One node adds the job; it is in the shared file, so the others see it too.
  await nodes[0]!.addJob('tick', { type: 'interval', seconds: 1 }, { id: 'tick' });
  log('node-1 added job "tick" (every second); node-1, node-2 and node-3 share the file');
  await done;
  await Promise.all(nodes.filter((scheduler) => scheduler.state !== 'stopped').map((scheduler) => scheduler.shutdown()));

  const runs = [...ranBy.values()].flat();
  const once = [...ranBy.values()].every((ran) => ran.length === 1);
  console.log(`slots: ${ranBy.size}, runs: ${runs.length}, each slot ran once: ${once ? 'yes' : 'NO'}`);
  const perNode = nodes.map(({ identity }) => `${identity} ${runs.filter((node) => node === identity).length}`);
  console.log(`runs per node: ${perNode.join(', ')}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
