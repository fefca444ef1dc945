/**
 * `timetable/stores/sqlite`: a persistent job store in an SQLite file (better-sqlite3 ^12, an
 * optional peer dependency: `npm install better-sqlite3`).
 *
 * @example
 * ```ts
 * import { Scheduler } from 'timetable';
 * import { SqliteJobStore } from 'timetable/stores/sqlite';
 *
 * const scheduler = new Scheduler({ stores: { default: new SqliteJobStore({ path: './jobs.db' }) } });
 * ```
 *
 * @module
 */
// Named, not default: the declarations must also type-check without esModuleInterop.
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { SqlEngine } from './sql/engine.js';
import { SqlJobStore } from './sql/sql-job-store.js';
import { checkObject } from '../internal/entry-options.js';
import { checkHandle, checkPollInterval, checkTablePrefix, checkText, oneOf } from './sql/options.js';
import { sqliteDialect, type SqliteSource } from './sql/sqlite.js';

export { UNREADABLE_TRIGGER_TYPE } from './sql/records.js';
export { SqlJobStore } from './sql/sql-job-store.js';

/** Where a {@link SqliteJobStore} keeps its jobs: a file, or the application's open database. */
export type SqliteConnection =
  | {
      /**
       * The database file, created if missing (its directory must exist). The store opens it in
       * WAL mode, so several processes on one machine can share it, and closes it at shutdown.
       * `':memory:'` keeps the jobs in this process only.
       */
      path: string;
    }
  | {
      /**
       * An open better-sqlite3 database of the application. The store creates its tables in it
       * and runs its transactions on it, but never closes it and leaves its settings (journal
       * mode, busy timeout) as they are: use WAL and a busy timeout to share the file with
       * other processes. Give each store its own database object.
       */
      database: SqliteDatabase;
    };

/** Options of a {@link SqliteJobStore}. */
export interface SqliteJobStoreOptions {
  /** Prefix of the store's table names (`<prefix>jobs`, `<prefix>runs`, `<prefix>meta`). Default `'timetable_'`. */
  tablePrefix?: string;
  /**
   * Seconds between two looks at the store for changes made by other processes sharing the file
   * (SQLite cannot notify them). Default 1; `0` never polls (one process only).
   */
  pollInterval?: number;
}

/**
 * A persistent job store in an SQLite file: jobs survive restarts, and several scheduler
 * processes on one machine can share the file, each due slot started exactly once among them.
 * See `docs/stores.md` for the tables and for sharing.
 *
 * @example
 * ```ts
 * const store = new SqliteJobStore({ path: './jobs.db' }, { tablePrefix: 'app_' });
 * ```
 */
export class SqliteJobStore extends SqlJobStore {
  /** Seconds between looks for other processes' changes (`0`: never). */
  readonly pollInterval: number;

  /**
   * Checks the arguments; nothing is opened until {@link SqliteJobStore.start}.
   *
   * @param connection - `{ path }` or `{ database }`
   * @param options - table prefix and poll interval
   * @throws `InvalidArgumentError` naming the field at fault
   */
  constructor(connection: SqliteConnection, options: SqliteJobStoreOptions = {}) {
    const given = checkObject(options, 'options', ['tablePrefix', 'pollInterval']);
    const prefix = checkTablePrefix(given.tablePrefix);
    const pollInterval = checkPollInterval(given.pollInterval);
    const { key, value } = oneOf(connection, ['path', 'database']);
    const source: SqliteSource =
      key === 'path'
        ? { path: checkText(value, 'connection.path') }
        : { database: checkHandle<SqliteDatabase>(value, 'connection.database', ['prepare', 'close'], 'an open better-sqlite3 Database') };
    super(new SqlEngine(sqliteDialect(source), prefix, `${prefix}*`));
    this.pollInterval = pollInterval;
  }
}
