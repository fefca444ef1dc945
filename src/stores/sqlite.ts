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
import type {
  AbandonedRun,
  CommitResult,
  JobRecord,
  JobRelease,
  JobStore,
  JobStoreContext,
  RunStart,
  SharedRuns,
} from 'timetable';
import { SqlEngine } from './sql/engine.js';
import { checkHandle, checkObject, checkPollInterval, checkTablePrefix, checkText, oneOf } from './sql/options.js';
import { sqliteDialect, type SqliteSource } from './sql/sqlite.js';

export { UNREADABLE_TRIGGER_TYPE } from './sql/records.js';

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
export class SqliteJobStore implements JobStore, SharedRuns {
  /** Always `true`: jobs outlive the process. */
  readonly persistent = true;
  /** Seconds between looks for other processes' changes (`0`: never). */
  readonly pollInterval: number;
  readonly #engine: SqlEngine;

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
    this.pollInterval = checkPollInterval(given.pollInterval);
    const { key, value } = oneOf(connection, ['path', 'database']);
    const source: SqliteSource =
      key === 'path'
        ? { path: checkText(value, 'connection.path') }
        : { database: checkHandle<SqliteDatabase>(value, 'connection.database', ['prepare', 'close'], 'an open better-sqlite3 Database') };
    this.#engine = new SqlEngine(sqliteDialect(source), prefix, `${prefix}*`);
  }

  /**
   * Opens the file, creates or upgrades the tables.
   *
   * @throws `StoreError` when the file cannot be opened or its schema is newer than this version
   */
  start(context: JobStoreContext): Promise<void> {
    return this.#engine.start(context);
  }

  /** Closes the file (not an application's own database). */
  shutdown(): Promise<void> {
    return this.#engine.shutdown();
  }

  /** @inheritDoc */
  addJob(record: JobRecord): Promise<void> {
    return this.#engine.addJob(record);
  }

  /** @inheritDoc */
  updateJob(record: JobRecord): Promise<void> {
    return this.#engine.updateJob(record);
  }

  /** @inheritDoc */
  removeJob(id: string): Promise<void> {
    return this.#engine.removeJob(id);
  }

  /** @inheritDoc */
  removeAllJobs(): Promise<void> {
    return this.#engine.removeAllJobs();
  }

  /** @inheritDoc */
  getJob(id: string): Promise<JobRecord | undefined> {
    return this.#engine.getJob(id);
  }

  /** @inheritDoc */
  getJobs(): Promise<JobRecord[]> {
    return this.#engine.getJobs();
  }

  /** @inheritDoc */
  getNextRunTime(): Promise<string | null> {
    return this.#engine.getNextRunTime();
  }

  /** @inheritDoc */
  acquireDueJobs(now: string, owner: string, leaseMs: number, limit: number): Promise<JobRecord[]> {
    return this.#engine.acquireDueJobs(now, owner, leaseMs, limit);
  }

  /** @inheritDoc */
  releaseJobs(owner: string, releases: JobRelease[]): Promise<string[]> {
    return this.#engine.releaseJobs(owner, releases);
  }

  /** @inheritDoc */
  commitJobs(owner: string, releases: JobRelease[], runs: RunStart[], now: string, leaseMs: number): Promise<CommitResult> {
    return this.#engine.commitJobs(owner, releases, runs, now, leaseMs);
  }

  /** @inheritDoc */
  extendRuns(node: string, runIds: string[], now: string, leaseMs: number): Promise<void> {
    return this.#engine.extendRuns(node, runIds, now, leaseMs);
  }

  /** @inheritDoc */
  finishRuns(runIds: string[]): Promise<void> {
    return this.#engine.finishRuns(runIds);
  }

  /** @inheritDoc */
  reapRuns(now: string): Promise<AbandonedRun[]> {
    return this.#engine.reapRuns(now);
  }
}
