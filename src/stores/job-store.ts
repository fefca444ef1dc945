/**
 * The job store contract (types only). A store keeps plain JSON job records and answers three
 * questions quickly: which job has this id, when is the next run due, and which jobs are due
 * now. Every method is async so the same contract fits an in-memory heap, an embedded database
 * and a server shared by several scheduler processes.
 *
 * Run the shared contract suite (`test/contracts/job-store.contract.ts`) against any new store.
 *
 * @module
 */
import type { JsonValue } from '../json.js';
import type { AnyTriggerSpec } from '../triggers/specs.js';
import type { Clock } from '../clock/clock.js';

/**
 * What to do when several run times of a job are due at once: run once for the `'latest'`, once
 * for the `'earliest'`, or once for each (`'all'`).
 */
export type CoalescePolicy = 'latest' | 'earliest' | 'all';

/**
 * A job as a store keeps it: JSON-safe, with dates as ISO-8601 strings. A store must return
 * records exactly as they were written (no field added, removed or reformatted).
 *
 * Records are immutable values: once handed to or returned by a store, neither side mutates
 * them (the scheduler always writes a new object), so an in-memory store may keep and return
 * the very object it was given.
 */
export interface JobRecord {
  /** Unique id of the job. */
  id: string;
  /** Display name. */
  name: string;
  /** The registered task name the job runs. */
  task: string;
  /**
   * `true` when the task is a function passed directly to `addJob` that is held only in the
   * scheduler's memory (allowed in non-persistent stores only).
   */
  inlineTask: boolean;
  /** Positional arguments passed to the task before the job context. */
  args: JsonValue[];
  /** The trigger's JSON spec. */
  trigger: AnyTriggerSpec;
  /** Alias of the executor that runs the job. */
  executor: string;
  /** Seconds a run may start late before it counts as missed; `null` = no limit. */
  misfireGraceTime: number | null;
  /** What to do when several run times are due at once. */
  coalesce: CoalescePolicy;
  /** Most runs of this job in flight at once. */
  maxInstances: number;
  /** Largest random delay in seconds added to each run; `null` = the trigger's own, or none. */
  jitter: number | null;
  /** Seconds after which a run's signal is aborted and the run reported as failed; `null` = none. */
  timeout: number | null;
  /** ISO-8601 instant of the next run; `null` while the job is paused. */
  nextRunTime: string | null;
  /** Free JSON data for the application. */
  metadata: { [key: string]: JsonValue };
  /** Starts at 1 and grows by one on every write; stores use it for optimistic concurrency. */
  version: number;
}

/** How a due job leaves the scheduler's hands, given to {@link JobStore.releaseJobs}. */
export interface JobRelease {
  /** The job id. */
  id: string;
  /**
   * The `nextRunTime` the job had when it was acquired. If the stored record no longer has it,
   * or no longer has the trigger it had then (the job was paused, rescheduled or replaced
   * meanwhile), the store keeps the stored record and only drops the lease.
   */
  acquiredRunTime: string;
  /**
   * The job's new next run time, or `null` to remove the job (its trigger is finished), or to
   * pause it with {@link JobRelease.pause}.
   */
  nextRunTime: string | null;
  /**
   * With `nextRunTime: null`: keep the job, paused (its `nextRunTime` set to `null` and its
   * version increased), instead of removing it. The scheduler does this when a trigger failed to
   * give the slot after the job's due ones, so that nothing is lost.
   */
  pause?: boolean;
  /**
   * Only in {@link SharedRuns.commitJobs} (`releaseJobs` ignores it): the job moves to
   * `nextRunTime` as usual, but stays leased to the same owner until `now + leaseMs` instead of
   * being handed back. A release to the stored `nextRunTime` with `hold` only renews the lease
   * (the version is unchanged). The scheduler holds a job this way while it runs one slot of a
   * coalesce-`'all'` catch-up, with the job already pointing at the next slot: if it dies, the
   * lease expires and another scheduler goes on from there.
   */
  hold?: boolean;
}

/** Context a store receives when the scheduler starts it. */
export interface JobStoreContext {
  /** The alias the store is registered under. */
  alias: string;
  /** The scheduler's identity (who holds leases and runs, as shown in events). */
  identity: string;
  /** The scheduler's clock: use it for every timestamp and timer. */
  clock: Clock;
  /**
   * Makes the scheduler look at the store at once. A store that learns of a change made by
   * another scheduler (a PostgreSQL notification, a Redis message) calls it.
   */
  wakeup(): void;
  /** Reports a problem outside any call (a lost notification connection); never throws. */
  log(level: 'info' | 'warn' | 'error', message: string, ...details: unknown[]): void;
}

/**
 * A place that keeps jobs. Methods may be called concurrently; each must be atomic on its own.
 *
 * Leases: {@link JobStore.acquireDueJobs} hands due jobs to one lease owner until
 * {@link JobStore.releaseJobs} or until the lease expires, so schedulers sharing a store never
 * run the same slot twice. A leased job is not returned as due to anyone else and does not count
 * for {@link JobStore.getNextRunTime} until its lease expires. An expired lease is taken over by
 * another owner only: the owner still holding it is still processing the job (the scheduler uses
 * a new owner name, `<identity>#<pass>`, for every pass of its loop).
 */
export interface JobStore {
  /**
   * `true` if jobs outlive the process. Such a store only accepts jobs whose task is registered
   * by name (never an inline function).
   */
  readonly persistent: boolean;

  /**
   * Seconds between two looks at the store, for a store shared by several schedulers that cannot
   * tell them about each other's changes (no notifications): a job added elsewhere runs at most
   * this late. Leave it out when the store pushes changes, or is not shared.
   */
  readonly pollInterval?: number;

  /** Called when the scheduler starts (or when the store is added to a running scheduler). */
  start?(context: JobStoreContext): Promise<void>;

  /** Called when the scheduler shuts down or the store is removed. Must release all handles. */
  shutdown?(): Promise<void>;

  /**
   * Adds a job.
   * @throws `ConflictingIdError` if the id exists.
   */
  addJob(record: JobRecord): Promise<void>;

  /**
   * Replaces a job. `record.version` must be the stored version plus one.
   * @throws `JobNotFoundError` if the id is missing; `ConcurrentModificationError` if the
   *   stored version is not `record.version - 1`.
   */
  updateJob(record: JobRecord): Promise<void>;

  /**
   * Removes a job (and its lease, so a job later added with the same id starts unleased).
   * @throws `JobNotFoundError` if the id is missing.
   */
  removeJob(id: string): Promise<void>;

  /** Removes every job. */
  removeAllJobs(): Promise<void>;

  /** The job with this id, or `undefined`. */
  getJob(id: string): Promise<JobRecord | undefined>;

  /**
   * Every job, by next run time (earliest first; equal instants by id in JavaScript string
   * order, i.e. by UTF-16 code unit, `COLLATE "C"` in SQL), paused jobs last (by id).
   */
  getJobs(): Promise<JobRecord[]>;

  /**
   * The earliest instant at which a job may be acquired, or `null` when none can: for an
   * unleased job its `nextRunTime`, for a leased one the later of its `nextRunTime` and its
   * lease expiry. Paused jobs do not count.
   */
  getNextRunTime(): Promise<string | null>;

  /**
   * Leases up to `limit` jobs whose `nextRunTime` is at or before `now` and that are not leased
   * (or whose lease, held by another owner, expired), earliest first, and returns them. A lease
   * has expired once `now >= acquired-at + leaseMs`; every call first takes back the expired
   * leases of other owners, after which a release by their former owner is ignored. A job whose
   * lease `owner` itself holds is never returned to it again, expired or not: it is still being
   * processed, and only a release (or another owner, after expiry) frees it.
   *
   * @param now - the current instant (ISO-8601); for a store that is not persistent and does not
   *   implement `SharedRuns`, possibly a due instant up to 50 ms ahead: the scheduler takes a few
   *   of an instant's jobs shortly before it to prepare their runs, and the leases count from it
   * @param owner - the lease owner: the scheduler's identity and its pass (`<identity>#<n>`)
   * @param leaseMs - how long the lease lasts
   * @param limit - most jobs to return
   */
  acquireDueJobs(now: string, owner: string, leaseMs: number, limit: number): Promise<JobRecord[]>;

  /**
   * Ends leases held by `owner`: moves each job to its new next run time, removes it, or pauses
   * it. A release whose lease is no longer held by `owner`, or whose job changed its
   * `nextRunTime` or its `trigger` (compared as JSON) since it was acquired, leaves the stored
   * job as it is and only drops the lease: a change made while the job was processed wins.
   *
   * @returns the ids of the jobs this call removed (so the scheduler reports exactly those)
   */
  releaseJobs(owner: string, releases: JobRelease[]): Promise<string[]>;
}
