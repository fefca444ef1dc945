/**
 * PostgreSQL's side of the SQL store (pg). Rows are locked with `FOR UPDATE [SKIP LOCKED]`;
 * the schema is created under a transaction-scoped advisory lock; every change to jobs sends a
 * `NOTIFY` inside its transaction, and a LISTEN connection wakes the other schedulers.
 *
 * @internal
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql, WithSchemaPlugin } from 'kysely';
import pg from 'pg';
import type { JobStoreContext } from 'timetable';
import { answering, type Db, type SqlDialect } from './dialect.js';
import { detailOf } from './faults.js';
import { PgListener } from './pg-listener.js';
import { sha256 } from './records.js';
import type { Tables } from './tables.js';

/** Where the PostgreSQL store's data is. */
export type PostgresSource = { connectionString: string } | { pool: pg.Pool };

/** PostgreSQL's longest identifier, in bytes (a channel name is one). */
const MAX_IDENTIFIER = 63;

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** Host, port and database of a connection string or pool options, and its password. */
function describe(options: pg.PoolConfig): { where: string; secrets: string[] } {
  let host = options.host;
  let port: string | number | undefined = options.port;
  let database = options.database;
  const secrets: string[] = typeof options.password === 'string' ? [options.password] : [];
  if (typeof options.connectionString === 'string') {
    try {
      const url = new URL(options.connectionString);
      host = decodeURIComponent(url.hostname) || url.searchParams.get('host') || host;
      port = url.port || port;
      database = decodeURIComponent(url.pathname.replace(/^\//, '')) || database;
      if (url.password !== '') secrets.push(url.password, decodeURIComponent(url.password));
    } catch {
      // Not a URL (pg also takes a socket path): fall back to the options and the environment.
    }
  }
  host ||= process.env.PGHOST || 'localhost';
  port ||= process.env.PGPORT || 5432;
  database ||= process.env.PGDATABASE || '(the user\'s default database)';
  return { where: `host ${host}:${port}, database ${database}`, secrets };
}

/** The channel of a store's notifications: its schema and prefix, hashed when too long. */
export function channelOf(schema: string, prefix: string): string {
  const readable = `${schema}.${prefix}jobs`;
  return Buffer.byteLength(readable) <= MAX_IDENTIFIER ? readable : `timetable_${sha256(readable).slice(0, 40)}`;
}

/** The PostgreSQL dialect for a connection string or an application's pool. */
export function postgresDialect(source: PostgresSource, schema: string, prefix: string): SqlDialect {
  const own = 'connectionString' in source;
  const { where, secrets } = describe(own ? { connectionString: source.connectionString } : source.pool.options);
  const channel = channelOf(schema, prefix);
  // This store's own notifications carry this token and do not wake it.
  const token = randomUUID();
  // The pool in use while started (the application's, or the one this store made).
  let pool: pg.Pool | null = own ? null : source.pool;
  return {
    label: 'PostgreSQL',
    where,
    secrets,
    rowLocks: true,
    lockBeforeSort: false,
    ddl: {
      // "C": byte order, the order of ids the store's queries tie-break by.
      idText: sql`text collate "C"`,
      bigText: sql`text`,
      hash: sql`varchar(64)`,
      keyText: sql`varchar(191)`,
      text: sql`text`,
      bigint: sql`bigint`,
      tableOptions: null,
      async createIndex(db, name, table, columns) {
        await db.schema.createIndex(name).ifNotExists().on(table).columns([...columns]).execute();
      },
    },
    async open(context: JobStoreContext) {
      if (own) {
        pool = new pg.Pool({ connectionString: source.connectionString, keepAlive: true });
        // An idle client whose connection dies emits 'error' on the pool: without a listener
        // that would crash the process. The pool replaces the client; the next query reconnects.
        pool.on('error', (error) => context.log('warn', `PostgreSQL job store (${where}): an idle connection failed: ${detailOf(error, secrets)}`));
      }
      const current = pool as pg.Pool;
      // A client this store has checked out has no 'error' listener (the pool removes its own
      // while a client is lent): a connection cut between two statements of a transaction would
      // crash the process. Each lent client gets one until it goes back; the statement in
      // progress fails with the cause, and the pool drops the dead client at release.
      const lost = (error: Error): void =>
        context.log('warn', `PostgreSQL job store (${where}): a connection in use failed: ${detailOf(error, secrets)}`);
      const handle = {
        async connect() {
          const client = await current.connect();
          client.on('error', lost);
          const release = client.release.bind(client);
          client.release = (error?: Error | boolean) => {
            client.off('error', lost);
            client.release = release;
            release(error);
          };
          return client;
        },
        // The application's pool is theirs to end: Kysely's destroy() ends what it is given.
        end: async () => (own ? current.end() : undefined),
      };
      const db = await answering(new Kysely<Tables>({ dialect: new PostgresDialect({ pool: handle }), plugins: [new WithSchemaPlugin(schema)] }));
      return {
        db,
        close: async () => {
          await db.destroy();
          if (own) pool = null;
        },
      };
    },
    transaction: (db, fn) => db.transaction().setIsolationLevel('read committed').execute(fn),
    withSchemaLock: (db, fn) =>
      db.transaction().execute(async (trx) => {
        // One 64-bit key per schema and prefix; released at commit.
        const key = BigInt.asIntN(64, BigInt(`0x${sha256(`timetable:${schema}.${prefix}`).slice(0, 16)}`));
        await sql`select pg_advisory_xact_lock(${key.toString()}::bigint)`.execute(trx);
        return fn(trx);
      }),
    async prepareSchema(conn: Db) {
      const found = await sql<{ one: number }>`select 1 as one from information_schema.schemata where schema_name = ${schema}`.execute(conn);
      // Only when missing: CREATE SCHEMA IF NOT EXISTS needs the CREATE right even when it exists.
      if (found.rows.length === 0) await sql`create schema if not exists ${sql.id(schema)}`.execute(conn);
    },
    isUniqueViolation: (error) => codeOf(error) === '23505',
    // deadlock_detected, serialization_failure.
    isRetryable: (error) => codeOf(error) === '40P01' || codeOf(error) === '40001',
    async notify(trx: Db) {
      await sql`select pg_notify(${channel}, ${token})`.execute(trx);
    },
    async listen(context: JobStoreContext) {
      const listener = new PgListener(pool as pg.Pool, channel, token, context, `PostgreSQL job store (${where})`, secrets);
      await listener.connect();
      return listener;
    },
  };
}
