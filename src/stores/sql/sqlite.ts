/**
 * SQLite's side of the SQL store (better-sqlite3). One connection per store; every writing
 * transaction starts with `BEGIN IMMEDIATE`, which takes the file's write lock at once, so
 * processes sharing the file (in WAL mode) take turns instead of deadlocking, and an
 * acquisition or commit is atomic across them.
 *
 * @internal
 * @module
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { answering, type Db, type SqlDialect } from './dialect.js';
import type { Tables } from './tables.js';

/**
 * better-sqlite3 waits for a busy database by blocking the thread: the whole process would stop,
 * and a transaction of another store instance in this same process could never finish. The store
 * opens its files with no busy wait and retries busy calls itself, asynchronously (see
 * `isBusy`).
 */
const BUSY_TIMEOUT_MS = 0;

/** Where the SQLite store's data is. */
export type SqliteSource = { path: string } | { database: Database.Database };

/** The error code of a better-sqlite3 error, if any. */
const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** Runs `fn` in a `BEGIN IMMEDIATE` transaction on the store's one connection. */
function immediate<T>(db: Db, fn: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      // SQLite may have rolled back already (a full disk, say): then there is nothing to end.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/** The SQLite dialect for a file path or an application's open database. */
export function sqliteDialect(source: SqliteSource): SqlDialect {
  const where = 'path' in source ? `file ${JSON.stringify(source.path)}` : `the application's database ${JSON.stringify(source.database.name)}`;
  return {
    label: 'SQLite',
    where,
    secrets: [],
    rowLocks: false,
    lockBeforeSort: false,
    ddl: {
      idText: sql`text`,
      bigText: sql`text`,
      hash: sql`text`,
      keyText: sql`text`,
      text: sql`text`,
      bigint: sql`integer`,
      tableOptions: null,
      async createIndex(db, name, table, columns) {
        await db.schema.createIndex(name).ifNotExists().on(table).columns([...columns]).execute();
      },
    },
    async open() {
      let database: Database.Database;
      if ('path' in source) {
        database = new Database(source.path, { timeout: BUSY_TIMEOUT_MS });
        try {
          // WAL: readers never wait for the writer, and several processes can share the file.
          // NORMAL is durable across a crash of the process (SIGKILL included); only an
          // operating-system crash or power loss may undo the last commits.
          database.pragma('journal_mode = WAL');
          database.pragma('synchronous = NORMAL');
        } catch (error) {
          database.close();
          throw error;
        }
      } else {
        database = source.database;
      }
      const own = 'path' in source;
      // The application's database is theirs to close: Kysely's destroy() closes what it is given.
      const handle = own ? database : { prepare: (text: string) => database.prepare(text), close: () => undefined };
      const db = await answering(new Kysely<Tables>({ dialect: new SqliteDialect({ database: handle }) }));
      return { db, close: () => db.destroy() };
    },
    transaction: immediate,
    withSchemaLock: immediate,
    isUniqueViolation: (error) => codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY' || codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE',
    // BEGIN IMMEDIATE never deadlocks.
    isRetryable: () => false,
    // SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, ...): nothing was written.
    isBusy: (error) => typeof codeOf(error) === 'string' && (codeOf(error) as string).startsWith('SQLITE_BUSY'),
  };
}
