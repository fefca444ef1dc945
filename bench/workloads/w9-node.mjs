/**
 * One node of W9: `node w9-node.mjs <config json>`, started by w9.mjs. A timetable scheduler
 * (memory store, or a `RedisJobStore` on the run's prefix) or a BullMQ `Worker` on the run's
 * queue; every fire goes into a `FireLog` (job index, `Date.now()`, precise time, the slot the
 * library says the fire is for), written to `config.log` as binary columns when the node stops.
 *
 * Talks with w9.mjs by lines. It prints `@@ready` once started. On stdin:
 *
 *   add                      adds the n jobs (the first node only; `@@added {json}` when done):
 *                            timetable `addJob('fire', '* * * * * *', { id, args: [i] })`, 50
 *                            at a time; BullMQ `queue.upsertJobScheduler('j<i>', { every: 1000,
 *                            startDate }, { name: 'fire', data: { i } })`, 50 at a time
 *                            (see adapters/bullmq.mjs)
 *   window {json}            `{ cpuAt: [a, b], stopAt }`: reads its CPU time at a and b, and at
 *                            stopAt shuts down, writes the log and prints `@@done {json}` (its
 *                            CPU over [a, b], the fires in it, errors), then exits
 *
 * It exits at once when its stdin ends (w9.mjs holds the other end, so a node never outlives
 * it), and at `config.deadline` (epoch ms) whatever it is doing.
 */
import { writeFileSync } from 'node:fs';
import { FireLog, until } from './_common.mjs';

const config = JSON.parse(process.argv[2]);
const { lib, store, n } = config;
/** Jobs added at once (as W5's adapter does). */
const ADD_CONCURRENCY = 50;
/** Longest a shutdown may take before the node writes its log anyway. */
const SHUTDOWN_LIMIT_MS = 5_000;

setTimeout(() => {
  process.stderr.write(`w9 node ${config.identity}: deadline reached\n`);
  process.exit(3);
}, Math.max(0, config.deadline - Date.now())).unref();
process.stdin.on('end', () => process.exit(0));

/** The library's `{ add(), stop() }`, once started; w9.mjs sends nothing before `@@ready`. */
let node = null;
let pending = '';
process.stdin.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  for (const line of lines) {
    if (line === 'add') {
      const started = performance.now();
      node.add().then(
        (info) => process.stdout.write(`@@added ${JSON.stringify({ ...info, addMs: performance.now() - started })}\n`),
        (error) => {
          process.stderr.write(`w9 node ${config.identity}: adds failed: ${error?.stack ?? error}\n`);
          process.exit(2);
        },
      );
    } else if (line.startsWith('window ')) runWindow(JSON.parse(line.slice('window '.length)));
  }
});

// Room for every slot of the run: the window and 40 s more (the adds, the wait before the
// window); fires past that are counted as `dropped` and reported.
const log = new FireLog(n * (config.windowSeconds + 40) + 1000);
const errors = [];
const noteError = (error) => {
  if (errors.length < 1000) errors.push(String(error?.message ?? error).replace(/\s+/g, ' ').slice(0, 300));
};

/** `{ add(), stop() }` of the library this node runs. */
async function startTimetable() {
  const { Scheduler } = await import('../../dist/index.js');
  let stores = {};
  if (store === 'redis') {
    const { RedisJobStore } = await import('../../dist/stores/redis.js');
    stores = { stores: { default: new RedisJobStore({ url: config.url }, { prefix: config.prefix }) } };
  }
  const scheduler = new Scheduler({
    identity: config.identity,
    timezone: 'UTC',
    ...stores,
    tasks: { fire: (i, context) => log.record(i, context.scheduledRunTime.getTime()) },
  });
  scheduler.on('store:error', (e) => noteError(e.error));
  scheduler.on('job:error', (e) => noteError(e.error));
  await scheduler.start();
  return {
    async add() {
      for (let first = 0; first < n; first += ADD_CONCURRENCY) {
        const adds = [];
        for (let i = first; i < Math.min(n, first + ADD_CONCURRENCY); i++) adds.push(scheduler.addJob('fire', '* * * * * *', { id: `job-${i}`, args: [i] }));
        await Promise.all(adds);
      }
      return {};
    },
    stop: () => scheduler.shutdown(),
  };
}

async function startBullmq() {
  const bullmq = await import('../adapters/bullmq.mjs');
  const worker = await bullmq.startWorker({ url: config.url, queue: config.queue, concurrency: config.concurrency, onFire: (i, slot) => log.record(i, slot), onError: noteError });
  return {
    add: () => bullmq.upsertSchedulers({ url: config.url, queue: config.queue, n, concurrency: ADD_CONCURRENCY, onError: noteError }),
    stop: () => worker.close(),
  };
}

node = lib === 'bullmq' ? await startBullmq() : await startTimetable();
process.stdout.write('@@ready\n');

async function runWindow({ cpuAt, stopAt }) {
  await until(cpuAt[0]);
  const cpu0 = process.cpuUsage();
  const cpuT0 = Date.now();
  await until(cpuAt[1]);
  const cpu = process.cpuUsage(cpu0);
  const cpuT1 = Date.now();
  await until(stopAt);
  const stopStart = performance.now();
  let timer;
  const stopped = await Promise.race([
    node.stop().then(() => true, (error) => {
      noteError(error);
      return true;
    }),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(false), SHUTDOWN_LIMIT_MS);
    }),
  ]);
  clearTimeout(timer);
  const shutdownMs = performance.now() - stopStart;
  let cpuFires = 0;
  for (let k = 0; k < log.length; k++) if (log.ms[k] >= cpuT0 && log.ms[k] < cpuT1) cpuFires++;
  const length = log.length;
  // Columns, each as long as the log: ms, precise, slot (Float64), then job (Int32).
  const parts = [
    Buffer.from(log.ms.buffer, 0, length * 8),
    Buffer.from(log.precise.buffer, 0, length * 8),
    Buffer.from(log.slots.buffer, 0, length * 8),
    Buffer.from(log.jobs.buffer, 0, length * 4),
  ];
  writeFileSync(config.log, Buffer.concat(parts));
  const done = { identity: config.identity, fires: length, dropped: log.dropped, cpuUs: cpu.user + cpu.system, cpuT0, cpuT1, cpuFires, shutdownMs, stopped, errors: errors.length, errorExamples: errors.slice(0, 3) };
  process.stdout.write(`@@done ${JSON.stringify(done)}\n`);
  process.exit(0);
}
