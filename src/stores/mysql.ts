/**
 * `timetable/stores/mysql`: a persistent job store in MySQL 8+ or MariaDB 10.6+ (mysql2 ^3, an
 * optional peer dependency: `npm install mysql2`), shared by any number of schedulers.
 *
 * @example
 * ```ts
 * import { Scheduler } from 'timetable';
 * import { MysqlJobStore } from 'timetable/stores/mysql';
 *
 * const store = new MysqlJobStore({ uri: process.env.MYSQL_URL! });
 * const scheduler = new Scheduler({ stores: { default: store } });
 * ```
 *
 * @module
 */
// Named, not default: the declarations must also type-check without esModuleInterop.
import type { Pool as CallbackPool } from 'mysql2';
import type { Pool as PromisePool } from 'mysql2/promise';
import { SqlEngine } from './sql/engine.js';
import { SqlJobStore } from './sql/sql-job-store.js';
import { mysqlDialect, type MysqlSource } from './sql/mysql.js';
import { checkObject } from '../internal/entry-options.js';
import { checkHandle, checkPollInterval, checkTablePrefix, checkText, oneOf } from './sql/options.js';

export { UNREADABLE_TRIGGER_TYPE } from './sql/records.js';
export { SqlJobStore } from './sql/sql-job-store.js';

/** How a {@link MysqlJobStore} connects: a URI, or the application's pool. */
export type MysqlConnection =
  | {
      /**
       * A `mysql://user:password@host:port/database` URI. The store makes its own pool (mysql2's
       * defaults: at most 10 connections) and ends it at shutdown.
       */
      uri: string;
    }
  | {
      /** The application's own mysql2 pool (callback or promise API). The store never ends it. */
      pool: CallbackPool | PromisePool;
    };

/** Options of a {@link MysqlJobStore}. */
export interface MysqlJobStoreOptions {
  /** Prefix of the store's table names (`<prefix>jobs`, `<prefix>runs`, `<prefix>meta`). Default `'timetable_'`. */
  tablePrefix?: string;
  /**
   * Seconds between two looks at the store for changes made by other schedulers (MySQL cannot
   * notify them). Default 1; `0` never polls (one scheduler only).
   */
  pollInterval?: number;
}

/**
 * A persistent job store in MySQL 8+ or MariaDB 10.6+, for one or many schedulers: jobs survive
 * restarts, and every due slot is started exactly once across the schedulers sharing the
 * tables. A change made by one reaches the others within `pollInterval`. See `docs/stores.md`
 * for the tables, running several nodes and faults.
 *
 * @example
 * ```ts
 * const store = new MysqlJobStore({ uri: 'mysql://app:secret@db:3306/app' }, { tablePrefix: 'app_' });
 * ```
 */
export class MysqlJobStore extends SqlJobStore {
  /** Seconds between looks for other schedulers' changes (`0`: never). */
  readonly pollInterval: number;

  /**
   * Checks the arguments; nothing connects until {@link MysqlJobStore.start}.
   *
   * @param connection - `{ uri }` or `{ pool }`
   * @param options - table prefix and poll interval
   * @throws `InvalidArgumentError` naming the field at fault
   */
  constructor(connection: MysqlConnection, options: MysqlJobStoreOptions = {}) {
    const given = checkObject(options, 'options', ['tablePrefix', 'pollInterval']);
    const prefix = checkTablePrefix(given.tablePrefix);
    const pollInterval = checkPollInterval(given.pollInterval);
    const { key, value } = oneOf(connection, ['uri', 'pool']);
    const source: MysqlSource =
      key === 'uri'
        ? { uri: checkText(value, 'connection.uri') }
        : { pool: checkHandle<CallbackPool | PromisePool>(value, 'connection.pool', ['getConnection', 'end'], 'a mysql2 pool') };
    super(new SqlEngine(mysqlDialect(source, prefix), prefix, `${prefix}*`));
    this.pollInterval = pollInterval;
  }
}
