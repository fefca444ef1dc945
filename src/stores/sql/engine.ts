/**
 * The one SQL job store, over Kysely: every method of `JobStore` and `SharedRuns`, for any
 * {@link SqlDialect}. The public classes (`SqliteJobStore`, `PostgresJobStore`,
 * `MysqlJobStore`) are thin wrappers that pick the dialect and validate their options.
 *
 * @internal
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConcurrentModificationError,
  ConflictingIdError,
  JobNotFoundError,
  StoreError,
  type AbandonedRun,
  type CommitResult,
  type JobRecord,
  type JobRelease,
  type JobStoreContext,
  type RunStart,
} from 'timetable';
import type { Db, Listener, Opened, SqlDialect } from './dialect.js';
import { detailOf, storeFault, type StoreLabel } from './faults.js';
import { acquire, checkReleases, commit, type Scope } from './leases.js';
import { migrate } from './migrations.js';
import { allJobs, nextRunTime } from './reads.js';
import { fromRow, instantMs, sha256, toColumns, UNREADABLE_TRIGGER_TYPE } from './records.js';
import { extend, finish, reap } from './runs.js';
import { tableNames, type TableNames } from './tables.js';

/** How often a transaction that hit a deadlock or serialization failure is tried in all. */
const ATTEMPTS = 3;
/** Pauses between tries of a call that found the database busy: growing to 50 ms, 5 s in all. */
const BUSY = { firstMs: 1, maxMs: 50, totalMs: 5_000 } as const;

/** The SQL store's state and methods; one per public store instance. */
export class SqlEngine {
  readonly #dialect: SqlDialect;
  readonly #t: TableNames;
  readonly #prefix: string;
  readonly #label: StoreLabel;
  #opened: Opened | null = null;
  #listener: Listener | null = null;

  /**
   * @param dialect - the database's side
   * @param prefix - the table prefix (validated)
   * @param tables - how the tables are named in messages, e.g. `public.timetable_*`
   */
  constructor(dialect: SqlDialect, prefix: string, tables: string) {
    this.#dialect = dialect;
    this.#prefix = prefix;
    this.#t = tableNames(prefix);
    this.#label = { label: dialect.label, where: dialect.where, tables, secrets: dialect.secrets };
  }

  /** Connects, creates or upgrades the tables, and starts listening where the database can push. */
  async start(context: JobStoreContext): Promise<void> {
    if (this.#opened !== null) return;
    const { label, where, secrets } = this.#label;
    let opened: Opened;
    try {
      opened = await this.#unlessBusy(() => this.#dialect.open(context));
    } catch (error) {
      throw new StoreError(`cannot connect to the ${label} job store at ${where}: ${detailOf(error, secrets)}`, { cause: error });
    }
    try {
      await this.#unlessBusy(() => migrate(opened.db, this.#dialect, this.#prefix, `${where} (tables ${this.#label.tables})`));
      this.#listener = (await this.#dialect.listen?.(context)) ?? null;
    } catch (error) {
      await opened.close().catch(() => undefined);
      throw storeFault(error, this.#label, 'creating or upgrading its tables');
    }
    this.#opened = opened;
  }

  /** Stops listening and closes what the store opened (never the application's own pool or database). */
  async shutdown(): Promise<void> {
    const [opened, listener] = [this.#opened, this.#listener];
    this.#opened = null;
    this.#listener = null;
    await listener?.close().catch(() => undefined);
    await opened?.close();
  }

  async addJob(record: JobRecord): Promise<void> {
    await this.#run('addJob', async (db) => {
      const columns = toColumns(record);
      await this.#change(db, async (trx) => {
        try {
          await trx.insertInto(this.#t.jobs).values(columns).execute();
        } catch (error) {
          if (this.#dialect.isUniqueViolation(error)) throw new ConflictingIdError(record.id);
          throw error;
        }
        return true;
      });
    });
  }

  async updateJob(record: JobRecord): Promise<void> {
    await this.#run('updateJob', async (db) => {
      if (record.trigger?.type === UNREADABLE_TRIGGER_TYPE) {
        // The stand-in of a row the store cannot read: writing it would destroy that row.
        throw new StoreError(
          `job ${JSON.stringify(record.id)} is not updated: its stored row cannot be read, and is left as it is (correct the row by hand, or remove the job)`,
        );
      }
      const { id_hash, data, trigger_hash, next_run_time, next_run_ms, version } = toColumns(record);
      await this.#change(db, async (trx) => {
        const updated = await trx
          .updateTable(this.#t.jobs)
          .set({ data, trigger_hash, next_run_time, next_run_ms, version })
          .where('id_hash', '=', id_hash)
          .where('version', '=', version - 1)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) return true;
        const stored = await trx.selectFrom(this.#t.jobs).select('version').where('id_hash', '=', id_hash).executeTakeFirst();
        throw stored === undefined ? new JobNotFoundError(record.id) : new ConcurrentModificationError(record.id);
      });
    });
  }

  async removeJob(id: string): Promise<void> {
    await this.#run('removeJob', (db) =>
      this.#change(db, async (trx) => {
        const deleted = await trx.deleteFrom(this.#t.jobs).where('id_hash', '=', sha256(id)).executeTakeFirst();
        if (Number(deleted.numDeletedRows) === 0) throw new JobNotFoundError(id);
        return true;
      }),
    );
  }

  async removeAllJobs(): Promise<void> {
    await this.#run('removeAllJobs', (db) =>
      this.#change(db, async (trx) => {
        await trx.deleteFrom(this.#t.jobs).execute();
        return true;
      }),
    );
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    return this.#run('getJob', async (db) => {
      const row = await db
        .selectFrom(this.#t.jobs)
        .select(['id_hash', 'id', 'data', 'next_run_time', 'version'])
        .where('id_hash', '=', sha256(id))
        .executeTakeFirst();
      return row === undefined ? undefined : fromRow(row);
    });
  }

  async getJobs(): Promise<JobRecord[]> {
    return this.#run('getJobs', (db) => allJobs(db, this.#t));
  }

  async getNextRunTime(): Promise<string | null> {
    return this.#run('getNextRunTime', (db) => nextRunTime(db, this.#t));
  }

  async acquireDueJobs(now: string, owner: string, leaseMs: number, limit: number): Promise<JobRecord[]> {
    return this.#run('acquireDueJobs', (db) => {
      const nowMs = instantMs(now, 'now');
      return this.#transaction(db, (trx) => acquire(trx, this.#scope(), nowMs, owner, leaseMs, limit));
    });
  }

  async releaseJobs(owner: string, releases: JobRelease[]): Promise<string[]> {
    if (releases.length === 0) return [];
    return this.#run('releaseJobs', async (db) => {
      checkReleases(releases);
      const result = await this.#transaction(db, (trx) => commit(trx, this.#scope(), owner, releases, [], 0, '', 0, false));
      return result.removed;
    });
  }

  async commitJobs(owner: string, releases: JobRelease[], runs: RunStart[], now: string, leaseMs: number): Promise<CommitResult> {
    if (releases.length === 0 && runs.length === 0) return { removed: [], started: [], atLimit: [] };
    return this.#run('commitJobs', (db) => {
      checkReleases(releases);
      const nowMs = instantMs(now, 'now');
      return this.#transaction(db, (trx) => commit(trx, this.#scope(), owner, releases, runs, nowMs, now, leaseMs, true));
    });
  }

  async extendRuns(node: string, runIds: string[], now: string, leaseMs: number): Promise<void> {
    if (runIds.length === 0) return;
    const nowMs = instantMs(now, 'now');
    // In a transaction, so a deadlock with another node's commit is tried again like any call's.
    await this.#run('extendRuns', (db) => this.#transaction(db, (trx) => extend(trx, this.#t, node, runIds, nowMs, leaseMs)));
  }

  async finishRuns(runIds: string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.#run('finishRuns', (db) => this.#transaction(db, (trx) => finish(trx, this.#t, runIds)));
  }

  async reapRuns(now: string): Promise<AbandonedRun[]> {
    return this.#run('reapRuns', (db) => {
      const nowMs = instantMs(now, 'now');
      return this.#transaction(db, (trx) => reap(trx, this.#scope(), nowMs));
    });
  }

  #scope(): Scope {
    return { t: this.#t, dialect: this.#dialect };
  }

  /** Runs one method's work; what it throws becomes a `StoreError` unless it is a library error. */
  async #run<T>(action: string, fn: (db: Db) => Promise<T>): Promise<T> {
    const opened = this.#opened;
    if (opened === null) {
      throw new StoreError(`${this.#label.label} job store (${this.#label.where}): ${action} before start(); add the store to a scheduler, or call start() first`);
    }
    try {
      return await this.#unlessBusy(() => fn(opened.db));
    } catch (error) {
      throw storeFault(error, this.#label, action);
    }
  }

  /** Runs `fn`, again after a short pause while the database is busy (SQLite), 5 s at most. */
  async #unlessBusy<T>(fn: () => Promise<T>): Promise<T> {
    let waitedMs = 0;
    for (let pauseMs: number = BUSY.firstMs; ; pauseMs = Math.min(pauseMs * 2, BUSY.maxMs)) {
      try {
        return await fn();
      } catch (error) {
        if (this.#dialect.isBusy?.(error) !== true || waitedMs >= BUSY.totalMs) throw error;
      }
      // Real time, not the scheduler's clock: the lock is held by another connection or process,
      // which lets go in real time. Waiting here (not in the driver) keeps the event loop free,
      // so a transaction of this same process can finish meanwhile.
      await sleep(pauseMs);
      waitedMs += pauseMs;
    }
  }

  /** A transaction, tried again after a deadlock or serialization failure (nothing was written). */
  async #transaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#dialect.transaction(db, fn);
      } catch (error) {
        if (attempt >= ATTEMPTS || !this.#dialect.isRetryable(error)) throw error;
      }
    }
  }

  /**
   * A write other schedulers must hear of: where the database can push, it runs in a transaction
   * that sends the notification on commit (only when `fn` reports a change); elsewhere it is one
   * statement on its own, seen by the others' next poll.
   */
  async #change(db: Db, fn: (trx: Db) => Promise<boolean>): Promise<void> {
    const notify = this.#dialect.notify?.bind(this.#dialect);
    if (notify === undefined) {
      await fn(db);
      return;
    }
    await this.#transaction(db, async (trx) => {
      if (await fn(trx)) await notify(trx);
    });
  }
}
