/**
 * W5 stores: `node w5.mjs <memory|sqlite|postgres|mysql> <n>`. n jobs `* * * * * *` on one
 * scheduler whose store is the given one (a fresh SQLite file, PostgreSQL schema or MySQL table
 * prefix), for 20 s: fires delivered, duplicate and early fires, lateness, CPU per fire of this
 * process and of the database server (the work for this process's connections, and the whole
 * server), statements sent per fire (counted in the driver), and how busy the server's other
 * clients were meanwhile (see `serverProbe`).
 */
import { dispatch, round, runChild } from './_common.mjs';
import { countStatements, createNamespace, dropNamespace, openStore, serverProbe } from './_stores.mjs';
import { onStore } from '../adapters/timetable.mjs';

const [kind, n] = process.argv.slice(2);
await runChild(async () => {
  const counter = countStatements(kind);
  const ns = await createNamespace(kind, 'w5');
  const server = await serverProbe(ns);
  try {
    const store = await openStore(ns);
    const probe = {
      read: async () => ({ statements: counter?.statements ?? null, server: server === null ? null : await server.read() }),
      diff: (a, b) => ({
        statements: counter === null ? null : b.statements - a.statements,
        server: server === null ? null : server.diff(a.server, b.server, b.statements - a.statements),
      }),
    };
    const result = await dispatch({ lib: 'timetable', n: Number(n), kind: 'cron', period: 1000, windowMs: 20_000, cron: '* * * * * *', adapter: onStore(store), probe });
    const { probe: totals, cpuFires } = result;
    const perFire = (x) => (x === null || x === undefined || cpuFires === 0 ? null : round(x / cpuFires, 3));
    return {
      ...result,
      store: kind,
      server: server?.version ?? null,
      serverLocal: server?.local ?? null,
      statementsPerFire: perFire(totals.statements),
      dbCpuUsPerFire: perFire(totals.server?.ownCpuUs),
      dbAllCpuUsPerFire: perFire(totals.server?.allCpuUs),
      othersWork: totals.server?.othersWork ?? null,
      othersWorkUnit: totals.server?.othersWorkUnit ?? null,
    };
  } finally {
    await server?.close();
    await dropNamespace(ns);
  }
});
