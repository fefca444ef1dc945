/**
 * One scheduler node of the Redis kill test (`test/stores/redis-processes.test.ts`): a child
 * process that runs a {@link Scheduler} on a shared {@link RedisJobStore} and appends what it
 * does to a log every node shares, in the format of `kill-node.ts`, so that `kill-judge.ts`
 * judges it:
 *
 * - `run <job> <slot> <node> <pid> <ms>`: written first thing when the task is called;
 * - `abandoned <job> <slot> <deadNode> <node> <pid> <ms>`: a run another node recorded and never
 *   ended, which this node found (`job:abandoned`);
 * - `missed|max-instances|error <job> <slot> <node> <pid> <ms>`, `store-error - - ...`, `up - - ...`.
 *
 * Started as `node --import tsx test/helpers/redis-kill-node.ts` from the repository root (so
 * that the store's `timetable` import resolves through tsconfig `paths`), with its
 * {@link RedisNodeConfig} as JSON in `REDIS_KILL_NODE`. It prints `ready` once started, shuts
 * down gracefully on SIGTERM, and exits on its own at `deadline` or when its parent goes away.
 *
 * @module
 */
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Scheduler, type JobContext } from '../../src/index.js';
import { RedisJobStore } from '../../src/stores/redis.js';

/** What a node is told by its parent. */
export interface RedisNodeConfig {
  url: string;
  prefix: string;
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
}

/** The task every job of the test names. */
export const TASK = 'tick';

async function main(config: RedisNodeConfig): Promise<void> {
  const { node, log, workMs } = config;
  const pid = process.pid;
  const write = (kind: string, job: string, slot: string, extra = ''): void =>
    appendFileSync(log, `${kind} ${job} ${slot} ${extra}${node} ${pid} ${Date.now()}\n`);

  setTimeout(() => process.exit(3), Math.max(0, config.deadline - Date.now()));
  process.stdin.on('end', () => process.exit(4));
  process.stdin.resume();

  const tick = async (context: JobContext): Promise<void> => {
    write('run', context.job.id, context.scheduledRunTime.toISOString());
    if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * workMs));
  };
  const scheduler = new Scheduler({
    stores: { default: new RedisJobStore({ url: config.url }, { prefix: config.prefix }) },
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
  const config = JSON.parse(process.env.REDIS_KILL_NODE ?? 'null') as RedisNodeConfig | null;
  if (config === null) {
    process.stderr.write('redis-kill-node: REDIS_KILL_NODE is not set\n');
    process.exit(2);
  }
  main(config).catch((error: unknown) => {
    process.stderr.write(`redis-kill-node ${config.node}: ${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  });
}
