/**
 * MySQL's and MariaDB's side of the SQL store (mysql2). Rows are locked with `FOR UPDATE [SKIP
 * LOCKED]` (MySQL 8+, MariaDB 10.6+) in READ COMMITTED transactions (no gap locks); the schema
 * is created under `GET_LOCK`. Text is stored in a binary, no-pad collation, so ids and owners
 * compare byte for byte ('a' is not 'A', nor 'a ').
 *
 * @internal
 * @module
 */
import { createHash } from 'node:crypto';
import { Kysely, MysqlDialect, sql, type MysqlPool } from 'kysely';
import mysql from 'mysql2';
import type { Pool as PromisePool } from 'mysql2/promise';
import { StoreError } from 'timetable';
import { answering, type Db, type SqlDialect } from './dialect.js';
import type { Tables } from './tables.js';

/** Where the MySQL store's data is. */
export type MysqlSource = { uri: string } | { pool: mysql.Pool | PromisePool };

/** Seconds a starting store waits for another one creating the schema. */
const SCHEMA_LOCK_SECONDS = 60;
/** Binary collations without trailing-space padding, best first (MySQL 8, MariaDB). */
const NOPAD_BIN = ['utf8mb4_0900_bin', 'utf8mb4_nopad_bin'] as const;

const errnoOf = (error: unknown): unknown => (error as { errno?: unknown } | null)?.errno;

/** The callback pool under a mysql2 pool of either API. */
function corePool(pool: mysql.Pool | PromisePool): mysql.Pool {
  return typeof (pool as mysql.Pool).promise === 'function' ? (pool as mysql.Pool) : (pool as PromisePool).pool;
}

/** Host, port and database of a URI or pool, and its password. */
function describe(source: MysqlSource): { where: string; secrets: string[] } {
  let host: string | undefined;
  let port: string | number | undefined;
  let database: string | undefined;
  const secrets: string[] = [];
  if ('uri' in source) {
    try {
      const url = new URL(source.uri);
      host = url.hostname;
      port = url.port;
      database = decodeURIComponent(url.pathname.replace(/^\//, ''));
      if (url.password !== '') secrets.push(url.password, decodeURIComponent(url.password));
    } catch {
      // Not a URL: mysql2 will say so when connecting.
    }
  } else {
    const config = (corePool(source.pool) as unknown as { config?: { connectionConfig?: Record<string, unknown> } }).config?.connectionConfig ?? {};
    host = typeof config.host === 'string' ? config.host : undefined;
    port = typeof config.port === 'number' ? config.port : undefined;
    database = typeof config.database === 'string' ? config.database : undefined;
    if (typeof config.password === 'string') secrets.push(config.password);
  }
  return { where: `host ${host || 'localhost'}:${port || 3306}, database ${database || '(none)'}`, secrets };
}

/** The MySQL dialect for a URI or an application's pool. */
export function mysqlDialect(source: MysqlSource, prefix: string): SqlDialect {
  const own = 'uri' in source;
  const { where, secrets } = describe(source);
  // The collation of the tables, found when the schema is created (see prepareSchema).
  let collation: string = NOPAD_BIN[0];
  return {
    label: 'MySQL',
    where,
    secrets,
    rowLocks: true,
    lockBeforeSort: true,
    ddl: {
      idText: sql`longtext`,
      bigText: sql`longtext`,
      hash: sql`char(64) character set ascii collate ascii_bin`,
      keyText: sql`varchar(191)`,
      text: sql`text`,
      bigint: sql`bigint`,
      get tableOptions() {
        // `collation` is one of NOPAD_BIN or utf8mb4_bin: a constant, never user input.
        return sql`engine=InnoDB default charset=utf8mb4 collate=${sql.raw(collation)}`;
      },
      async createIndex(db, name, table, columns) {
        // MySQL 8 has no CREATE INDEX IF NOT EXISTS; DDL there is not transactional, so a
        // migration cut short is completed by the next start.
        const found = await sql<{ n: number }>`select count(*) as n from information_schema.statistics
          where table_schema = database() and table_name = ${table} and index_name = ${name}`.execute(db);
        if (Number(found.rows[0]?.n ?? 0) > 0) return;
        await db.schema.createIndex(name).on(table).columns([...columns]).execute();
      },
    },
    async open() {
      const pool = own ? mysql.createPool({ uri: source.uri, charset: 'utf8mb4' }) : corePool(source.pool);
      // The application's pool is theirs to end: Kysely's destroy() ends what it is given.
      const handle: MysqlPool = own
        ? (pool as unknown as MysqlPool)
        : { getConnection: (callback) => pool.getConnection(callback as never), end: (callback) => callback(null) };
      const db = await answering(new Kysely<Tables>({ dialect: new MysqlDialect({ pool: handle }) }));
      return { db, close: () => db.destroy() };
    },
    transaction: (db, fn) => db.transaction().setIsolationLevel('read committed').execute(fn),
    withSchemaLock: (db, fn) =>
      db.connection().execute(async (conn) => {
        // GET_LOCK is server-wide: the name covers the database and the prefix (64 characters at most).
        const { rows } = await sql<{ db: string | null }>`select database() as db`.execute(conn);
        const name = `timetable:${createHash('sha256').update(`${rows[0]?.db ?? ''}.${prefix}`).digest('hex').slice(0, 40)}`;
        const lock = await sql<{ ok: number | null }>`select get_lock(${name}, ${SCHEMA_LOCK_SECONDS}) as ok`.execute(conn);
        if (Number(lock.rows[0]?.ok) !== 1) {
          throw new StoreError(`MySQL job store (${where}): another node held the schema lock for ${SCHEMA_LOCK_SECONDS} s`);
        }
        try {
          return await fn(conn);
        } finally {
          await sql`select release_lock(${name})`.execute(conn).catch(() => undefined);
        }
      }),
    async prepareSchema(conn: Db) {
      const found = await sql<{ name: string }>`select collation_name as name from information_schema.collations
        where collation_name in (${sql.join([...NOPAD_BIN])})`.execute(conn);
      const names = new Set(found.rows.map((row) => row.name));
      collation = NOPAD_BIN.find((name) => names.has(name)) ?? 'utf8mb4_bin';
    },
    // ER_DUP_ENTRY.
    isUniqueViolation: (error) => errnoOf(error) === 1062,
    // ER_LOCK_DEADLOCK: InnoDB rolled the transaction back.
    isRetryable: (error) => errnoOf(error) === 1213,
  };
}
