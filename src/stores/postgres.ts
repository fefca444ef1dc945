/**
 * `timetable/stores/postgres`: a persistent job store in PostgreSQL (pg ^8, an optional peer
 * dependency: `npm install pg`), shared by any number of schedulers.
 *
 * @example
 * ```ts
 * import { Scheduler } from 'timetable';
 * import { PostgresJobStore } from 'timetable/stores/postgres';
 *
 * const store = new PostgresJobStore({ connectionString: process.env.DATABASE_URL! });
 * const scheduler = new Scheduler({ stores: { default: store } });
 * ```
 *
 * @module
 */
// Named, not default: the declarations must also type-check without esModuleInterop.
import type { Pool as PgPool } from 'pg';
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
import { checkHandle, checkObject, checkSchema, checkTablePrefix, checkText, oneOf } from './sql/options.js';
import { postgresDialect, type PostgresSource } from './sql/postgres.js';

export { UNREADABLE_TRIGGER_TYPE } from './sql/records.js';

/** How a {@link PostgresJobStore} connects: a connection string, or the application's pool. */
export type PostgresConnection =
  | {
      /**
       * A `postgres://user:password@host:port/database` URL. The store makes its own pool (pg's
       * defaults: at most 10 connections, one of them held for notifications) and ends it at
       * shutdown.
       */
      connectionString: string;
    }
  | {
      /**
       * The application's own `pg.Pool`. The store holds one of its clients for notifications
       * while started, and never ends the pool.
       */
      pool: PgPool;
    };

/** Options of a {@link PostgresJobStore}. */
export interface PostgresJobStoreOptions {
  /** The schema of the tables, created if missing. Default `'public'`. */
  schema?: string;
  /** Prefix of the store's table names (`<prefix>jobs`, `<prefix>runs`, `<prefix>meta`). Default `'timetable_'`. */
  tablePrefix?: string;
}

/**
 * A persistent job store in PostgreSQL, for one or many schedulers: jobs survive restarts,
 * every due slot is started exactly once across the schedulers sharing the tables, and a change
 * made by one reaches the others at once (LISTEN/NOTIFY), so there is no `pollInterval`. See
 * `docs/stores.md` for the tables, running several nodes and faults.
 *
 * @example
 * ```ts
 * const store = new PostgresJobStore({ pool }, { schema: 'jobs', tablePrefix: 'app_' });
 * ```
 */
export class PostgresJobStore implements JobStore, SharedRuns {
  /** Always `true`: jobs outlive the process. */
  readonly persistent = true;
  readonly #engine: SqlEngine;

  /**
   * Checks the arguments; nothing connects until {@link PostgresJobStore.start}.
   *
   * @param connection - `{ connectionString }` or `{ pool }`
   * @param options - schema and table prefix
   * @throws `InvalidArgumentError` naming the field at fault
   */
  constructor(connection: PostgresConnection, options: PostgresJobStoreOptions = {}) {
    const given = checkObject(options, 'options', ['schema', 'tablePrefix']);
    const schema = checkSchema(given.schema);
    const prefix = checkTablePrefix(given.tablePrefix);
    const { key, value } = oneOf(connection, ['connectionString', 'pool']);
    const source: PostgresSource =
      key === 'connectionString'
        ? { connectionString: checkText(value, 'connection.connectionString') }
        : { pool: checkHandle<PgPool>(value, 'connection.pool', ['connect', 'query'], 'a pg.Pool') };
    this.#engine = new SqlEngine(postgresDialect(source, schema, prefix), prefix, `${schema}.${prefix}*`);
  }

  /**
   * Connects, creates or upgrades the tables, and starts listening for other schedulers' changes.
   *
   * @throws `StoreError` naming host and database (never the password) when the server cannot
   *   be reached, or when its schema is newer than this version
   */
  start(context: JobStoreContext): Promise<void> {
    return this.#engine.start(context);
  }

  /** Stops listening and closes the connections (not an application's own pool). */
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
