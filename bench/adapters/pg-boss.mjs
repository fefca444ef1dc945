/**
 * pg-boss (a PostgreSQL job queue with cron schedules), for W7 only: it has no in-process API
 * for the other workloads. In pg-boss 10 a schedule belongs to a queue (`schedule(name, cron)`,
 * one per queue name), so n schedules are n queues, each with a schedule and a worker
 * (`work()`, polling every 2 s by default). Its cron monitor looks at the schedules every 30 s
 * (`cronMonitorIntervalSeconds`) and sends each due one to an internal queue, whose worker
 * (every 5 s, `cronWorkerIntervalSeconds`) creates the job; then the queue's worker fetches it.
 * Defaults throughout, as a user gets them.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PgBoss = require('pg-boss');

export const info = { label: 'pg-boss', package: 'pg-boss' };

/** The pg module pg-boss uses (its own copy), for counting statements. */
export const pgModule = createRequire(require.resolve('pg-boss'))('pg');

/**
 * n schedules `* * * * *` on a fresh `schema`; `onFire(i, createdOnMs)` is called as job i's
 * worker receives a job (`createdOnMs`: when pg-boss created the job, the database's clock).
 * Returns `{ errors, sentMinutes(), stop() }`.
 *
 * `sentMinutes()` → `Map<i, minute ms[]>`: the minutes the cron monitor sent schedule i for, in
 * order. A job does not say which minute it is for, and when pg-boss runs behind it creates a
 * minute's job in a later minute; but it sends each schedule once per minute (an internal job
 * with a 60 s singleton: `singleton_on` is the minute), and those are turned into jobs in order,
 * so the k-th job of queue i is for the k-th minute sent for it.
 */
export async function minuteCron({ url, schema, n, onFire, concurrency = 50 }) {
  const boss = new PgBoss({ connectionString: url, schema });
  const errors = [];
  boss.on('error', (error) => errors.push(String(error?.message ?? error)));
  await boss.start();
  try {
    await setUp(boss, n, onFire, concurrency);
  } catch (error) {
    await boss.stop({ graceful: false, wait: true, timeout: 1000 }).catch(() => undefined);
    throw error;
  }
  return {
    errors,
    async sentMinutes() {
      const { rows } = await boss.getDb().executeSql(
        `select data->>'name' as queue, extract(epoch from singleton_on) * 1000 as minute
           from "${schema}".job where name = '__pgboss__send-it' order by 1, 2`,
      );
      const sent = new Map();
      for (const { queue, minute } of rows) {
        const i = Number(queue.slice('minute-'.length));
        if (!sent.has(i)) sent.set(i, []);
        sent.get(i).push(Number(minute));
      }
      return sent;
    },
    async stop() {
      await boss.stop({ graceful: false, wait: true, timeout: 5000 });
    },
  };
}

async function setUp(boss, n, onFire, concurrency) {
  const names = Array.from({ length: n }, (_, i) => `minute-${i}`);
  // One at a time: each queue is a partition table, and concurrent CREATE TABLEs deadlock.
  for (const name of names) await boss.createQueue(name);
  for (let first = 0; first < n; first += concurrency) {
    const work = [];
    for (let i = first; i < Math.min(n, first + concurrency); i++) {
      work.push(
        boss.schedule(names[i], '* * * * *').then(() =>
          boss.work(names[i], { includeMetadata: true }, async (jobs) => {
            for (const job of jobs) onFire(i, new Date(job.createdOn).getTime());
          }),
        ),
      );
    }
    await Promise.all(work);
  }
}
