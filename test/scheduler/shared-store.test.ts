/**
 * Schedulers sharing one persistent store, on one virtual clock: the shared scenarios (see
 * `helpers/shared-scenarios.ts`) on SQLite files, changes seen by the other nodes within
 * `pollInterval`, and on PostgreSQL and MariaDB the exactly-once test, connections cut mid-run and
 * PostgreSQL's notifications.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IntervalTrigger, type JobStore } from '../../src/index.js';
import { MysqlJobStore } from '../../src/stores/mysql.js';
import { PostgresJobStore } from '../../src/stores/postgres.js';
import { SqliteJobStore } from '../../src/stores/sqlite.js';
import { PG_URL, describeWithServer, mysqlScratch, pgScratch, probe, sqliteScratch } from '../helpers/databases.js';
import { Nodes } from '../helpers/nodes.js';
import { T0, ofType } from '../helpers/scheduler.js';
import { S, at, connectionsCut, exactlyOnce, sharedStoreScenarios, wakesAtOnce, type OpenOptions, type OpenedStore } from '../helpers/shared-scenarios.js';

const scratch = sqliteScratch();
afterAll(() => scratch.drop());
let files = 0;

let nodes: Nodes | null = null;
afterEach(async () => {
  await nodes?.shutdown();
  nodes = null;
});

/** Nodes on a fresh SQLite file; `store()` opens another instance on it. */
function onSqlite({ nodes: options = {}, store: storeOptions = {}, wrap = (store) => store }: OpenOptions = {}): { nodes: Nodes; store: () => OpenedStore } {
  const path = scratch.file(`nodes-${files++}.db`);
  const store = (): OpenedStore => new SqliteJobStore({ path }, storeOptions);
  nodes = new Nodes(() => wrap(store()), options);
  return { nodes, store };
}

describe('schedulers sharing an SQLite file', () => {
  sharedStoreScenarios(onSqlite);

  it("see another node's new job within the store's pollInterval", async () => {
    const { nodes } = onSqlite();
    const [a, b] = ['a', 'b'].map((name) => nodes.add(name));
    await a!.scheduler.start();
    await b!.scheduler.start({ paused: true }); // b only writes
    await nodes.drive(10 * S); // a now waits on an empty store
    await b!.scheduler.addJob('record', new IntervalTrigger({ seconds: 60, startDate: at(10 * S + 200) }), { id: 'late' });
    await nodes.drive(2 * S);
    expect(nodes.ran).toHaveLength(1);
    // pollInterval 1 s: run within a second of its slot.
    const started = ofType(a!.events, 'job:submitted')[0]!.timestamp.getTime();
    expect(started - (T0 + 10 * S + 200)).toBeLessThanOrEqual(S);
  }, 60_000);
});

const pgServer = await probe('postgres');
const pg = pgServer.ok ? await pgScratch() : null;
const mysqlServer = await probe('mysql');
const my = mysqlServer.ok ? await mysqlScratch() : null;
afterAll(async () => {
  await pg?.drop();
  await my?.drop();
});

describeWithServer('schedulers sharing a PostgreSQL store', pgServer, () => {
  let prefixes = 0;
  const store = (prefix: string): JobStore => new PostgresJobStore({ connectionString: PG_URL }, { schema: pg!.schema, tablePrefix: prefix });

  it('carry on when every connection is cut mid-run (pg_terminate_backend): nothing lost, nothing twice, no crash', async () => {
    const app = `${pg!.schema}_cut`;
    const url = new URL(PG_URL);
    url.searchParams.set('application_name', app);
    const prefix = `n${prefixes++}_`;
    nodes = new Nodes(() => new PostgresJobStore({ connectionString: url.toString() }, { schema: pg!.schema, tablePrefix: prefix }));
    await connectionsCut(nodes, async () => {
      const cut = await pg!.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
      return cut.rowCount ?? 0;
    });
  }, 60_000);

  it('start every due slot exactly once across three nodes', async () => {
    const prefix = `n${prefixes++}_`;
    nodes = new Nodes(() => store(prefix));
    await exactlyOnce(nodes, 30);
  }, 60_000);

  it("wake the other nodes at once when one adds a job (NOTIFY, no poll)", async () => {
    const prefix = `n${prefixes++}_`;
    nodes = new Nodes(() => store(prefix));
    await wakesAtOnce(nodes);
  }, 60_000);
});

describeWithServer('schedulers sharing a MariaDB store', mysqlServer, () => {
  it('start every due slot exactly once across three nodes', async () => {
    nodes = new Nodes(() => new MysqlJobStore({ uri: my!.url }, { tablePrefix: 'n0_' }));
    await exactlyOnce(nodes, 30);
  }, 60_000);

  it('carry on when the server kills every connection mid-run: nothing lost, nothing twice, no crash', async () => {
    nodes = new Nodes(() => new MysqlJobStore({ uri: my!.url }, { tablePrefix: 'n1_' }));
    await connectionsCut(nodes, async () => {
      const [rows] = await my!.admin.query('SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()', [my!.database]);
      const ids = (rows as { id: number }[]).map((row) => row.id);
      for (const id of ids) await my!.admin.query(`KILL ${Number(id)}`).catch(() => undefined);
      return ids.length;
    });
  }, 60_000);
});
