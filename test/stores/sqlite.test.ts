import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJobStore } from '../../src/stores/sqlite.js';
import { codeOf, fieldAtFault } from '../contracts/harness.js';
import { contractContext, jobStoreContract, makeRecord } from '../contracts/job-store.contract.js';
import { sqlStoreContract, type SqlFixture } from '../contracts/sql-store.contract.js';
import { sqliteScratch } from '../helpers/databases.js';

const scratch = sqliteScratch();
afterAll(() => scratch.drop());
let files = 0;

jobStoreContract('SqliteJobStore', async () => {
  const path = scratch.file(`contract-${files++}.db`);
  return { store: new SqliteJobStore({ path }), open: () => new SqliteJobStore({ path }) };
}, { persistent: true, sharedRuns: true });

/** The version-1 layout, as a store of that version created it. */
const v1Layout = (p: string): string[] => [
  `CREATE TABLE "${p}meta" ("name" text primary key, "value" text not null)`,
  `INSERT INTO "${p}meta" ("name", "value") VALUES ('schema_version', '1')`,
  `CREATE TABLE "${p}jobs" ("id_hash" text primary key, "id" text not null, "data" text not null, "trigger_hash" text not null,
    "next_run_time" text, "next_run_ms" integer, "version" integer not null, "lease_owner" text, "lease_until" integer, "lease_trigger_hash" text)`,
  `CREATE INDEX "${p}jobs_lease" ON "${p}jobs" ("lease_until", "next_run_ms")`,
];

const sqlFile = scratch.file('sql.db');
const raw = new Database(sqlFile);
raw.pragma('journal_mode = WAL');
afterAll(() => raw.close());
sqlStoreContract('SQLite', (): SqlFixture => ({
  make: (prefix) => new SqliteJobStore({ path: sqlFile }, { tablePrefix: prefix }),
  async exec(text, values = []) {
    const statement = raw.prepare(text);
    if (statement.reader) return statement.all(...values) as Record<string, unknown>[];
    statement.run(...values);
    return [];
  },
  table: (name) => `"${name}"`,
  v1Layout,
}));

describe('SqliteJobStore', () => {
  it('checks its arguments, naming the field at fault', () => {
    const field = fieldAtFault;
    const args = (field: string) => ({ code: 'ERR_INVALID_ARGUMENT', field });
    expect(field(() => new SqliteJobStore({ path: '' }))).toStrictEqual(args('connection.path'));
    expect(field(() => new SqliteJobStore({} as never))).toStrictEqual(args('connection'));
    expect(field(() => new SqliteJobStore({ path: 'a.db', database: raw } as never))).toStrictEqual(args('connection'));
    expect(field(() => new SqliteJobStore({ database: {} as never }))).toStrictEqual(args('connection.database'));
    expect(field(() => new SqliteJobStore({ path: 'a.db' }, { tablePrefix: 'x; drop table y' }))).toStrictEqual(args('options.tablePrefix'));
    expect(field(() => new SqliteJobStore({ path: 'a.db' }, { tablePrefix: '1abc' }))).toStrictEqual(args('options.tablePrefix'));
    expect(field(() => new SqliteJobStore({ path: 'a.db' }, { tablePrefix: 'a'.repeat(41) }))).toStrictEqual(args('options.tablePrefix'));
    expect(field(() => new SqliteJobStore({ path: 'a.db' }, { pollInterval: 0.01 }))).toStrictEqual(args('options.pollInterval'));
    expect(field(() => new SqliteJobStore({ path: 'a.db' }, { pollInterval: Number.NaN }))).toStrictEqual(args('options.pollInterval'));
    expect(field(() => new SqliteJobStore({ path: 'a.db' }, { schema: 'x' } as never))).toStrictEqual(args('options.schema'));
    const store = new SqliteJobStore({ path: 'a.db' });
    expect([store.persistent, store.pollInterval]).toStrictEqual([true, 1]);
    expect(new SqliteJobStore({ path: 'a.db' }, { pollInterval: 0 }).pollInterval).toBe(0);
  });

  it('opens its file in WAL mode and closes it at shutdown', async () => {
    const path = scratch.file('wal.db');
    const store = new SqliteJobStore({ path });
    await store.start(contractContext());
    await store.addJob(makeRecord({ id: 'a' }));
    const check = new Database(path, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    check.close();
    await store.shutdown();
    expect(await codeOf(store.getJobs())).toBe('ERR_STORE');
    await store.start(contractContext());
    expect((await store.getJob('a'))?.id).toBe('a');
    await store.shutdown();
  });

  it('uses an application’s open database without closing it or changing its settings', async () => {
    const database = new Database(scratch.file('app.db'));
    database.exec('CREATE TABLE app_data (x integer)');
    const store = new SqliteJobStore({ database }, { tablePrefix: 'jobs_' });
    await store.start(contractContext());
    await store.addJob(makeRecord({ id: 'a' }));
    await store.shutdown();
    expect(database.open).toBe(true);
    expect(database.pragma('journal_mode', { simple: true })).toBe('delete');
    const tables = database.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toStrictEqual(['app_data', 'jobs_jobs', 'jobs_meta', 'jobs_runs']);
    database.close();
  });

  it('rejects start() with a StoreError naming the file when it cannot be opened', async () => {
    const path = scratch.file('no/such/dir/jobs.db');
    const store = new SqliteJobStore({ path });
    const error = (await store.start(contractContext()).then(() => null, (e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('ERR_STORE');
    expect(error.message).toContain(path);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('takes turns with a connection of another process that holds the write lock, without blocking the event loop', async () => {
    const path = scratch.file('busy.db');
    const store = new SqliteJobStore({ path });
    await store.start(contractContext());
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const adding = store.addJob(makeRecord({ id: 'a' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    other.exec('COMMIT');
    await adding;
    clearInterval(ticker);
    other.close();
    // The store waited for the lock while timers kept running.
    expect(ticks).toBeGreaterThan(10);
    expect((await store.getJob('a'))?.id).toBe('a');
    await store.shutdown();
  });
});
