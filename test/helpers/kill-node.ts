/**
 * One scheduler node of the kill tests (`test/stores/kill.test.ts`, `npm run chaos`): a child
 * process that runs a {@link Scheduler} on a shared SQL store and writes what it does to a log
 * that every node appends to.
 *
 * Started as `node --import tsx test/helpers/kill-node.ts` (from the repository root, so that
 * the stores' `timetable` import resolves through tsconfig `paths`) with its {@link NodeConfig}
 * as JSON in `KILL_NODE_CONFIG`. It prints `ready` once started, shuts down gracefully on
 * SIGTERM, and exits on its own at `deadline` or when its parent goes away (stdin closes).
 *
 * Log lines (one `appendFileSync` each: with O_APPEND a small write lands whole, after every
 * other process's lines, and is in the file the moment the call returns, so a SIGKILL right
 * after it loses nothing):
 *
 * - `run <job> <slot> <node> <pid> <ms>`: written first thing when the task is called;
 * - `abandoned <job> <slot> <deadNode> <node> <pid> <ms>`: a run another node recorded and
 *   never ended (`job:abandoned`), which this node found;
 * - `missed|max-instances|error <job> <slot> <node> <pid> <ms>`: slots that did not run;
 * - `store-error - - <node> <pid> <ms>`, `up - - <node> <pid> <ms>`: for the figures.
 *
 * `<slot>` is ISO-8601 (`toISOString()`), `<ms>` the epoch milliseconds of the write.
 *
 * @module
 */
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Scheduler, type JobContext, type JobStore } from '../../src/index.js';
import { MysqlJobStore } from '../../src/stores/mysql.js';
import { PostgresJobStore } from '../../src/stores/postgres.js';
import { RedisJobStore } from '../../src/stores/redis.js';
import { SqliteJobStore } from '../../src/stores/sqlite.js';

/** The stores the kill tests run on. */
export type StoreKind = 'postgres' | 'mysql' | 'sqlite' | 'redis';

/** Where a node finds its store. */
export interface StoreConfig {
  kind: StoreKind;
  /** PostgreSQL connection string, MySQL URI, Redis URL, or the SQLite file's path. */
  url: string;
  /** PostgreSQL schema, or Redis key prefix (ignored by the other stores). */
  schema: string;
}

/** What a node is told by its parent. */
export interface NodeConfig {
  store: StoreConfig;
  /** The scheduler's identity. */
  node: string;
  /** The shared log file. */
  log: string;
  /** The scheduler's `leaseTime`, in seconds. */
  leaseTime: number;
  /** Longest pretend work of a run after its line is written, in ms (random below it). */
  workMs: number;
  /** Epoch ms at which the node exits whatever happens. */
  deadline: number;
  /** SIGKILL itself right after writing this many run lines (a kill at an exact point). */
  dieAfterRuns?: number;
}

/** The task every job of the kill tests names. */
export const TASK = 'tick';

/** A new store on `config` (it connects at `start()`). */
export function openStore(config: StoreConfig): JobStore {
  switch (config.kind) {
    case 'postgres':
      return new PostgresJobStore({ connectionString: config.url }, { schema: config.schema });
    case 'mysql':
      return new MysqlJobStore({ uri: config.url });
    case 'sqlite':
      return new SqliteJobStore({ path: config.url });
    case 'redis':
      return new RedisJobStore({ url: config.url }, { prefix: config.schema });
  }
}

async function main(config: NodeConfig): Promise<void> {
  const { node, log, workMs } = config;
  const pid = process.pid;
  const write = (kind: string, job: string, slot: string, extra = ''): void =>
    appendFileSync(log, `${kind} ${job} ${slot} ${extra}${node} ${pid} ${Date.now()}\n`);

  // A hard bound whatever state the scheduler is in: the parent also kills what it started.
  setTimeout(() => process.exit(3), Math.max(0, config.deadline - Date.now()));
  process.stdin.on('end', () => process.exit(4));
  process.stdin.resume();

  let runs = 0;
  const tick = async (context: JobContext): Promise<void> => {
    write('run', context.job.id, context.scheduledRunTime.toISOString());
    if (++runs === config.dieAfterRuns) process.kill(pid, 'SIGKILL');
    // Pretend work, so that a kill often finds runs in flight (their leases must be extended
    // while they last, and reported as abandoned once the node is gone).
    if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * workMs));
  };
  const scheduler = new Scheduler({
    stores: { default: openStore(config.store) },
    tasks: { [TASK]: tick },
    identity: node,
    leaseTime: config.leaseTime,
    logger: { info: () => undefined, warn: () => undefined, error: (message) => process.stderr.write(`${message}\n`) },
  });
  scheduler.on('job:abandoned', (e) => write('abandoned', e.jobId, e.scheduledRunTime.toISOString(), `${e.node} `));
  for (const type of ['job:missed', 'job:max-instances', 'job:error'] as const) {
    const kind = type.slice(4);
    scheduler.on(type, (e) => {
      for (const slot of e.scheduledRunTimes) write(kind, e.jobId, slot.toISOString());
    });
  }
  scheduler.on('store:error', () => write('store-error', '-', '-'));

  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    scheduler.shutdown().then(
      () => process.exit(0),
      () => process.exit(5),
    );
  });

  await scheduler.start();
  write('up', '-', '-');
  process.stdout.write('ready\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = JSON.parse(process.env.KILL_NODE_CONFIG ?? 'null') as NodeConfig | null;
  if (config === null) {
    process.stderr.write('kill-node: KILL_NODE_CONFIG is not set\n');
    process.exit(2);
  }
  main(config).catch((error: unknown) => {
    process.stderr.write(`kill-node ${config.node}: ${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  });
}
