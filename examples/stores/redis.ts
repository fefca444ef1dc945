/**
 * The Redis store: two schedulers ("nodes", as on two app servers) share the jobs kept in one
 * Redis. Every due slot is started exactly once among them, and a change made on one node
 * reaches the other at once (pub/sub). Then a third scheduler, started after both have shut down,
 * finds the job still there.
 *
 * Run:  TIMETABLE_REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/stores/redis.ts
 *       (or REDIS_URL=redis://...; without either it says what to set and exits with 0)
 * See:  the keys under a fresh prefix; four runs of a one-second job, each with the node that ran
 *       it; "each slot ran once: yes"; the job found again by node-c; the keys deleted. ~5 s.
 *
 * (An application imports from 'timetable' and 'timetable/stores/redis', and installs `ioredis`;
 * the examples import the sources so that they run from a checkout without a build.)
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Scheduler } from '../../src/index.js';
import { shareOneJob } from './share-one-job.js';
import { RedisJobStore } from '../../src/stores/redis.js';

const url = process.env.TIMETABLE_REDIS_URL || process.env.REDIS_URL || exitWithHint();

function exitWithHint(): never {
  console.log(
    'This example needs a Redis 7+ server: set TIMETABLE_REDIS_URL (or REDIS_URL) to its URL, e.g.\n' +
      '  TIMETABLE_REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/stores/redis.ts',
  );
  process.exit(0);
}

// A fresh key prefix, so the example never touches existing keys; they are deleted at the end.
const prefix = `example_${randomBytes(4).toString('hex')}`;
const { host, pathname } = new URL(url); // printed without the user and password
const tasks = { report: () => 'report sent' };

/** A scheduler with its own store (its own connections) on the shared keys. */
function node(identity: string): Scheduler {
  const store = new RedisJobStore({ url }, { prefix });
  return new Scheduler({ identity, tasks, stores: { default: store } });
}

try {
  await shareOneJob(node, `${host}${pathname || '/0'}, keys {${prefix}}*`, 'is told at once (pub/sub)');
} finally {
  await deleteKeys().catch((error: unknown) => console.error(`could not delete the keys {${prefix}}*: ${String(error)}`));
}

/** Deletes the example's keys: every key of a store starts with its hash tag `{<prefix>}`. */
async function deleteKeys(): Promise<void> {
  const admin = new Redis(url, { lazyConnect: true });
  await admin.connect();
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) deleted += await admin.del(...keys);
    } while (cursor !== '0');
    console.log(`keys {${prefix}}* deleted (${deleted})`);
  } finally {
    admin.disconnect();
  }
}
