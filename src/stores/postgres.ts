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
import { SqlEngine } from './sql/engine.js';
import { SqlJobStore } from './sql/sql-job-store.js';
import { checkObject } from '../internal/entry-options.js';
import { checkHandle, checkSchema, checkTablePrefix, checkText, oneOf } from './sql/options.js';
import { postgresDialect, type PostgresSource } from './sql/postgres.js';

export { UNREADABLE_TRIGGER_TYPE } from './sql/records.js';
export { SqlJobStore } from './sql/sql-job-store.js';

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
export class PostgresJobStore extends SqlJobStore {

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
    super(new SqlEngine(postgresDialect(source, schema, prefix), prefix, `${schema}.${prefix}*`));
  }
}
