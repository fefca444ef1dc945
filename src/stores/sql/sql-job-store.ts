/**
 * The public face the three SQL stores share: every {@link JobStore} and {@link SharedRuns} call,
 * carried out by one `SqlEngine` over the store's dialect. A store class adds only its
 * connection options and documentation.
 *
 * @module
 */
import type {
  AbandonedRun,
  CommitResult,
  JobRecord,
  JobRelease,
  JobStore,
  JobStoreContext,
  RunStart,
  SharedJobStore,
  SharedRuns,
} from 'timetable';

/**
 * What does the work (the `SqlEngine`), seen through the contract only, so the public
 * declarations name no type of the bundled SQL layer.
 */
type Engine = Omit<SharedJobStore, 'persistent' | 'pollInterval'> & Required<Pick<JobStore, 'start' | 'shutdown'>>;

/**
 * A persistent job store in an SQL database, shareable by several schedulers (see
 * `docs/stores.md`). Use one of its subclasses: `SqliteJobStore`, `PostgresJobStore`,
 * `MysqlJobStore`.
 */
export abstract class SqlJobStore implements JobStore, SharedRuns {
  /** Always `true`: jobs outlive the process. */
  readonly persistent = true;
  readonly #engine: Engine;

  /** @internal */
  protected constructor(engine: Engine) {
    this.#engine = engine;
  }

  /**
   * Connects (opens the file), creates or upgrades the tables, and, where the database can
   * notify, starts listening for other schedulers' changes.
   *
   * @throws `StoreError` naming the server and database or the file (never a password) when it
   *   cannot be reached, or when its schema is newer than this version knows
   */
  start(context: JobStoreContext): Promise<void> {
    return this.#engine.start(context);
  }

  /** Stops listening and closes what the store opened (never an application's own pool or database). */
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
