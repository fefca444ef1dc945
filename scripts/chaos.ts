/**
 * The long form of the kill test (`test/stores/kill.test.ts`): scheduler processes on one
 * store, jobs every second, one node killed with SIGKILL and restarted every few seconds; prints
 * how many slots were started exactly once, twice, or lost, and how late the runs were.
 *
 *   npm run chaos -- --store postgres|mysql|sqlite|redis [--seconds 60] [--jobs 100] [--nodes 3]
 *                    [--kill-every 5] [--lease 3] [--max-instances 10] [--work-ms 50]
 *                    [--keep-log FILE]
 *
 * Needs the servers of the store tests (`TIMETABLE_PG_URL`, `TIMETABLE_MYSQL_URL`); works in a
 * fresh schema / database / temporary file, dropped afterwards. Exits 1 if any slot ran twice or
 * was lost (or a node crashed), 2 on bad arguments.
 *
 * @module
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { formatFigures, killAll, runKill, type KillOptions } from '../test/helpers/kill-harness.js';
import type { StoreKind } from '../test/helpers/kill-node.js';

const USAGE =
  'usage: npm run chaos -- --store postgres|mysql|sqlite|redis [--seconds 60] [--jobs 100] [--nodes 3] ' +
  '[--kill-every 5] [--lease 3] [--max-instances 10] [--work-ms 50] [--keep-log FILE]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** `name`'s value as a number of at least `min`, or its default. */
function numberOf(values: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) fail(`--${name} must be a number >= ${min}, not ${JSON.stringify(text)}`);
  return value;
}

function options(): KillOptions {
  const names = ['store', 'seconds', 'jobs', 'nodes', 'kill-every', 'lease', 'max-instances', 'work-ms', 'keep-log'];
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])) }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  const store = values.store;
  if (store !== 'postgres' && store !== 'mysql' && store !== 'sqlite' && store !== 'redis') fail('--store is required: postgres, mysql, sqlite or redis');
  const lease = numberOf(values, 'lease', 3, 1);
  return {
    store: store as StoreKind,
    seconds: numberOf(values, 'seconds', 60, lease + 20),
    jobs: Math.round(numberOf(values, 'jobs', 100, 1)),
    nodes: Math.round(numberOf(values, 'nodes', 3, 2)),
    killEvery: numberOf(values, 'kill-every', 5, 1),
    leaseTime: lease,
    maxInstances: Math.round(numberOf(values, 'max-instances', 10, 1)),
    workMs: numberOf(values, 'work-ms', 50, 0),
    ...(values['keep-log'] === undefined ? {} : { keepLog: values['keep-log'] }),
    progress: (line) => console.log(`[${new Date().toISOString()}] ${line}`),
  };
}

const chosen = options();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}
const cpu = cpus();
console.log(
  `chaos: ${chosen.store}, ${chosen.seconds} s, ${chosen.jobs} jobs every second, ${chosen.nodes} nodes, ` +
    `a kill every ~${chosen.killEvery} s, lease ${chosen.leaseTime} s, maxInstances ${chosen.maxInstances}, work up to ${chosen.workMs} ms`,
);
console.log(`machine: ${cpu.length} cpus (${cpu[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform}`);
const started = Date.now();
const figures = await runKill(chosen);
console.log(formatFigures(figures));
console.log(`wall time:                  ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(figures.ok ? 0 : 1);
