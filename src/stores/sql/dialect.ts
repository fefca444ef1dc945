/**
 * What differs between the databases under the one SQL store: connecting, transactions and
 * locks, column types, error codes and notifications. One small module per database implements
 * it (`sqlite.ts`, `postgres.ts`, `mysql.ts` beside this file); everything else is shared.
 *
 * @internal
 * @module
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { JobStoreContext } from 'timetable';
import type { Tables } from './tables.js';

/** A Kysely instance on the store's tables: the whole database or one transaction of it. */
export type Db = Kysely<Tables>;

/** `db` once the server answered it; destroyed (its pool closed), and the error thrown, if not. */
export async function answering(db: Db): Promise<Db> {
  try {
    await sql`select 1`.execute(db);
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** Column types and DDL quirks, for the migrations. */
export interface Ddl {
  /** Job ids: any length, compared and ordered byte by byte. */
  readonly idText: RawBuilder<unknown>;
  /** A record's JSON (up to megabytes). */
  readonly bigText: RawBuilder<unknown>;
  /** A SHA-256 in hex (64 ASCII characters), used as a key. */
  readonly hash: RawBuilder<unknown>;
  /** Short text that may be a key (run ids, setting names): at most 191 characters. */
  readonly keyText: RawBuilder<unknown>;
  /** Other text (owners, ISO instants). */
  readonly text: RawBuilder<unknown>;
  /** A 64-bit integer. */
  readonly bigint: RawBuilder<unknown>;
  /** Appended to `CREATE TABLE` (MySQL: engine and binary collation), or `null`. */
  readonly tableOptions: RawBuilder<unknown> | null;
  /** Creates an index unless it exists (MySQL 8 has no `CREATE INDEX IF NOT EXISTS`). */
  createIndex(db: Db, name: string, table: string, columns: readonly string[]): Promise<void>;
}

/** An open connection to the database: a Kysely instance and how to close it. */
export interface Opened {
  /** The store's tables (PostgreSQL: in its schema). */
  readonly db: Db;
  /** Frees what the store opened itself (never the application's own pool or database). */
  close(): Promise<void>;
}

/** The notification connection of a store that can push changes (PostgreSQL). */
export interface Listener {
  /** Stops listening and frees the connection. */
  close(): Promise<void>;
}

/** One database's side of the SQL store. */
export interface SqlDialect {
  /** The database's name in messages: `SQLite`, `PostgreSQL`, `MySQL`. */
  readonly label: string;
  /** Where the data is, for messages: host, port and database, or the file; never a password. */
  readonly where: string;
  /** Strings that must never appear in a message (passwords), cut out of driver messages. */
  readonly secrets: readonly string[];
  /**
   * Whether rows are locked with `SELECT ... FOR UPDATE [SKIP LOCKED]` (PostgreSQL, MySQL); SQLite
   * instead serializes every writing transaction with `BEGIN IMMEDIATE`.
   */
  readonly rowLocks: boolean;
  /**
   * Whether a locking read with `ORDER BY ... LIMIT` would lock every row it sorts (InnoDB sorts
   * after locking): the due jobs are then picked without locks first, and only those are locked.
   */
  readonly lockBeforeSort: boolean;
  /** Column types for the migrations. */
  readonly ddl: Ddl;

  /**
   * Connects (or opens the file) and checks that the database answers.
   *
   * @param context - for logging what happens outside any call (an idle connection lost)
   */
  open(context: JobStoreContext): Promise<Opened>;
  /**
   * Runs `fn` in a transaction that may write: `BEGIN IMMEDIATE` on SQLite (takes the write lock
   * at once, so two processes never deadlock upgrading a read lock), READ COMMITTED elsewhere.
   */
  transaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding the schema lock of these tables (PostgreSQL advisory lock, MySQL
   * `GET_LOCK`, SQLite `BEGIN IMMEDIATE`), so several stores starting at once on an empty
   * database create the schema once.
   */
  withSchemaLock<T>(db: Db, fn: (conn: Db) => Promise<T>): Promise<T>;
  /** Prepares the migrations under the schema lock (PostgreSQL: `CREATE SCHEMA IF NOT EXISTS`). */
  prepareSchema?(conn: Db): Promise<void>;
  /** Whether `error` is a primary-key violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Whether `error` is a deadlock or serialization failure, after which a transaction is retried. */
  isRetryable(error: unknown): boolean;
  /**
   * Whether `error` says another connection holds the write lock (SQLite's `SQLITE_BUSY`): nothing
   * was written, and the whole call is tried again after a short, growing pause.
   */
  isBusy?(error: unknown): boolean;
  /**
   * Tells the other schedulers that jobs changed; runs inside the writing transaction, so it is
   * sent on commit only. Absent where the database cannot push (they poll instead).
   */
  notify?(trx: Db): Promise<void>;
  /** Starts listening for other stores' notifications (PostgreSQL). */
  listen?(context: JobStoreContext): Promise<Listener>;
}
