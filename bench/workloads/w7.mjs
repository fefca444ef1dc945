/**
 * W7 minute cron on PostgreSQL: `node w7.mjs <timetable|pg-boss>`. 1,000 jobs on a minute cron
 * (timetable: `0 * * * * *` on a PostgresJobStore; pg-boss: 1,000 queues with `schedule(name,
 * '* * * * *')` and a worker each), each in a fresh schema of the same server, for 3 minutes: the
 * three whole minutes from the first at least 5 s after the setup. Per minute: jobs that fired for
 * it, duplicates, and lateness (when the job's code was called minus the minute). Over the 3
 * minutes: CPU of this process and of the server's work for its connections, statements sent.
 *
 * Which minute a fire is for: timetable says (`scheduledRunTime`); pg-boss does not, and when it
 * runs behind it creates a minute's job in a later minute, so each queue's jobs are paired in
 * order with the minutes pg-boss's cron monitor sent that schedule for (see adapters/pg-boss.mjs);
 * where that fails, the minute of the job's `createdOn`.
 */
import { createRequire } from 'node:module';
import { preciseNow, percentile, round, runChild, until } from './_common.mjs';
import { countStatements, createNamespace, dropNamespace, openStore, serverProbe } from './_stores.mjs';

const N = 1_000;
const MINUTES = 3;
const MINUTE = 60_000;

const [lib] = process.argv.slice(2);

/** Counts calls of `pg.Client#query` of a given pg module (pg-boss has its own copy of pg). */
function countPg(pg) {
  const counter = { statements: 0 };
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function counted(...args) {
    if (!this.benchUncounted) counter.statements++;
    return original.apply(this, args);
  };
  return counter;
}

await runChild(async () => {
  if (lib !== 'timetable' && lib !== 'pg-boss') throw new Error(`w7 runs timetable or pg-boss, not ${lib}`);
  const ns = await createNamespace('postgres', 'w7');
  const server = await serverProbe(ns);
  const fires = []; // [job, minute, fired at]
  let stop = async () => {};
  let errors = [];
  let counter;
  let unpaired = 0;
  try {
    const setupStart = Date.now();
    if (lib === 'timetable') {
      counter = countStatements('postgres');
      const { Scheduler } = await import('../../dist/index.js');
      const scheduler = new Scheduler({
        timezone: 'UTC',
        stores: { default: await openStore(ns) },
        tasks: { fire: (i, context) => fires.push([i, context.scheduledRunTime.getTime(), preciseNow()]) },
      });
      scheduler.on('store:error', (e) => errors.push(String(e.error?.message ?? e.error)));
      await scheduler.start();
      for (let first = 0; first < N; first += 50) {
        const adds = [];
        for (let i = first; i < Math.min(N, first + 50); i++) adds.push(scheduler.addJob('fire', '0 * * * * *', { id: `job-${i}`, args: [i] }));
        await Promise.all(adds);
      }
      stop = () => scheduler.shutdown();
    } else {
      const boss = await import('../adapters/pg-boss.mjs');
      counter = countPg(boss.pgModule);
      const handle = await boss.minuteCron({
        url: ns.url,
        schema: ns.schema,
        n: N,
        onFire: (i, createdOn) => fires.push([i, Math.floor(createdOn / MINUTE) * MINUTE, preciseNow(), createdOn]),
      });
      errors = handle.errors;
      stop = async () => {
        // Which minute each fire is for (before the schema goes).
        const sent = await handle.sentMinutes();
        const byQueue = new Map();
        for (const fire of fires) {
          if (!byQueue.has(fire[0])) byQueue.set(fire[0], []);
          byQueue.get(fire[0]).push(fire);
        }
        for (const [i, list] of byQueue) {
          const minutes = sent.get(i) ?? [];
          list.sort((x, y) => x[3] - y[3] || x[2] - y[2]);
          if (list.length > minutes.length) {
            unpaired += list.length;
            continue;
          }
          list.forEach((fire, k) => {
            fire[1] = minutes[k];
          });
        }
        await handle.stop();
      };
    }
    const setupMs = Date.now() - setupStart;
    const first = Math.ceil((Date.now() + 5000) / MINUTE) * MINUTE;
    const end = first + MINUTES * MINUTE;

    // Readings from 1 s before the first minute to 1 s before the end of the last.
    await until(first - 1000);
    const a = { cpu: process.cpuUsage(), statements: counter.statements, server: await server.read() };
    await until(end - 1000);
    const cpu = process.cpuUsage(a.cpu);
    const statements = counter.statements - a.statements;
    const db = server.diff(a.server, await server.read());
    await stop();

    const minutes = [];
    const all = [];
    for (let m = 0; m < MINUTES; m++) {
      const minute = first + m * MINUTE;
      const seen = new Uint8Array(N);
      let duplicates = 0;
      let early = 0;
      const lateness = [];
      for (const [job, slot, at] of fires) {
        if (slot !== minute) continue;
        if (at < minute) early++;
        if (seen[job]) {
          duplicates++;
          continue;
        }
        seen[job] = 1;
        lateness.push(at - minute);
      }
      lateness.sort((x, y) => x - y);
      all.push(...lateness);
      minutes.push({
        firedDuring: fires.filter(([, , at]) => at >= minute && at < minute + MINUTE).length,
        delivered: lateness.length,
        duplicates,
        early,
        latenessP50: round(percentile(lateness, 50)),
        latenessP99: round(percentile(lateness, 99)),
        latenessMax: round(percentile(lateness, 100)),
      });
    }
    all.sort((x, y) => x - y);
    const perMinute = (x) => (x === null ? null : round(x / MINUTES, 3));
    return {
      lib,
      jobs: N,
      minutes,
      delivered: all.length,
      expected: N * MINUTES,
      duplicates: minutes.reduce((sum, m) => sum + m.duplicates, 0),
      early: minutes.reduce((sum, m) => sum + m.early, 0),
      latenessP50: round(percentile(all, 50)),
      latenessP99: round(percentile(all, 99)),
      latenessMax: round(percentile(all, 100)),
      within1s: all.filter((x) => x <= 1000).length,
      cpuSecondsPerMinute: perMinute((cpu.user + cpu.system) / 1e6),
      dbCpuSecondsPerMinute: perMinute(db.ownCpuUs === null ? null : db.ownCpuUs / 1e6),
      statementsPerMinute: perMinute(statements),
      othersWork: db.othersWork,
      othersWorkUnit: db.othersWorkUnit,
      server: server.version,
      setupMs,
      unpaired,
      errors: errors.length,
      errorExamples: errors.slice(0, 3),
      version: lib === 'pg-boss' ? createRequire(import.meta.url)('pg-boss/package.json').version : null,
    };
  } finally {
    await server?.close();
    await dropNamespace(ns);
  }
});
