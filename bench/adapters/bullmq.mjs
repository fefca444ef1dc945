/**
 * BullMQ (a Redis job queue), for W9 only: its repeating jobs are *job schedulers*
 * (`queue.upsertJobScheduler(id, { every }, template)`), each of which keeps one delayed job in
 * the queue: when a worker takes that job, it first has the scheduler add the next one (the
 * `updateJobScheduler` script: due `every` ms after this one's due time, or the next aligned
 * slot if that is already past, so missed slots are skipped), then runs it. Workers are
 * `new Worker(queue, processor, { connection, concurrency })`, on ioredis (bench/package.json).
 *
 * Which slot a run is for: a scheduler's job id is `repeat:<scheduler id>:<due ms>` (the due
 * time the scheduler computed, also the job's delayed-set score), so the slot is read from the
 * id, not inferred from the run's time.
 */
import { createRequire } from 'node:module';
import { unsupported } from './_shared.mjs';

const require = createRequire(import.meta.url);

export const info = { label: 'BullMQ', package: 'bullmq' };

/** BullMQ's module, or an n/a error when bench/node_modules lacks it. */
export async function load() {
  try {
    return await import('bullmq');
  } catch (error) {
    throw unsupported(`bullmq is not installed (npm ci in bench/): ${error.message}`);
  }
}

export const version = () => require('bullmq/package.json').version;

/** ioredis connection options from a `redis://` URL (BullMQ makes its connections from them). */
export function connectionOf(url) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    maxRetriesPerRequest: null, // what BullMQ asks of a worker's connection
  };
}

/** The slot of a job scheduler's job: its id is `repeat:<scheduler id>:<due ms>`. */
export const slotOfJobId = (id) => Number(id.slice(id.lastIndexOf(':') + 1));

/**
 * A worker on `queue`; `onFire(i, slot)` for every job it runs (`i` from the job's data).
 * Returns `{ close() }`.
 */
export async function startWorker({ url, queue, concurrency, onFire, onError }) {
  const { Worker } = await load();
  const worker = new Worker(queue, (job) => {
    onFire(job.data.i, slotOfJobId(job.id));
  }, { connection: connectionOf(url), concurrency });
  worker.on('error', onError);
  worker.on('failed', (job, error) => onError(error));
  await worker.waitUntilReady();
  return { close: () => worker.close() };
}

/**
 * n job schedulers `j0` ... `j<n-1>` on `queue`, every 1,000 ms, `concurrency` upserts at a time.
 * Each starts on a whole second (`startDate`, the next one at least a second away when its batch
 * is sent), so all n jobs are due at the same instants, the burst timetable's `* * * * * *` jobs
 * face; without a start date a scheduler's first slot is the instant of its upsert, and its later
 * slots keep that phase. Completed and failed jobs are not kept (`removeOnComplete`,
 * `removeOnFail`: 200,000 of them otherwise), as a user of a schedule this frequent sets.
 * Returns `{ lastStart }`: the latest start date given.
 */
export async function upsertSchedulers({ url, queue: name, n, concurrency, onError }) {
  const { Queue } = await load();
  const queue = new Queue(name, { connection: connectionOf(url) });
  queue.on('error', onError);
  let lastStart = 0;
  try {
    for (let first = 0; first < n; first += concurrency) {
      const startDate = Math.ceil((Date.now() + 1000) / 1000) * 1000;
      lastStart = startDate;
      const adds = [];
      for (let i = first; i < Math.min(n, first + concurrency); i++) {
        adds.push(queue.upsertJobScheduler(`j${i}`, { every: 1000, startDate }, { name: 'fire', data: { i }, opts: { removeOnComplete: true, removeOnFail: true } }));
      }
      await Promise.all(adds);
    }
  } finally {
    await queue.close();
  }
  return { lastStart };
}

/** Deletes everything of `queue` (`obliterate({ force: true })`). */
export async function obliterate({ url, queue: name }) {
  const { Queue } = await load();
  const queue = new Queue(name, { connection: connectionOf(url) });
  queue.on('error', () => undefined);
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}
