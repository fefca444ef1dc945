/**
 * The shared-run part of the job store contract (types only): how schedulers sharing one store
 * record the runs they start, so that every due slot is started exactly once across all of them,
 * `maxInstances` counts the runs in flight on every node, and the runs of a node that died are
 * found and reported.
 *
 * A store that implements {@link SharedRuns} (the SQL and Redis stores) gets these calls instead
 * of {@link JobStore.releaseJobs} for due jobs: the scheduler first **commits** (moves each job to
 * its next run time and records the run it is about to start, in one atomic step), and only then
 * calls the task. A node killed after the commit has started the slot and no other node will
 * start it again; the run it never finished is found once its lease has expired, and reported as
 * `job:abandoned`. A store without it (the memory store) is used by one process only, and
 * `maxInstances` counts that process's runs.
 *
 * @module
 */
import type { JobRelease, JobStore } from './job-store.js';

/** A run a scheduler is about to start, recorded in the store while it is in flight. */
export interface RunStart {
  /** A unique id for the run (a UUID). */
  runId: string;
  /** The job it runs. */
  jobId: string;
  /** The scheduler starting it: its identity, as in events. */
  node: string;
  /** The slot it runs for (ISO-8601). */
  scheduledRunTime: string;
  /**
   * The job's `maxInstances`: the run is recorded only if fewer runs of the job are in flight
   * (their lease not expired), on every node together.
   */
  maxInstances: number;
}

/** A run whose node stopped extending its lease: it died, or lost the store for too long. */
export interface AbandonedRun {
  /** The run's id. */
  runId: string;
  /** The job it ran. */
  jobId: string;
  /** The node that started it. */
  node: string;
  /** The slot it ran for (ISO-8601). */
  scheduledRunTime: string;
  /** When its lease expired (ISO-8601). */
  leaseUntil: string;
}

/** What {@link SharedRuns.commitJobs} did. */
export interface CommitResult {
  /** Ids of the jobs it removed (their trigger is finished), as {@link JobStore.releaseJobs}. */
  removed: string[];
  /** Ids of the runs it recorded: the scheduler starts exactly these. */
  started: string[];
  /**
   * Ids of the runs it refused because their job already had `maxInstances` runs in flight (the
   * scheduler reports them as `job:max-instances`). A run in neither list was dropped because its
   * job's release was not applied (another owner holds the job, or it changed meanwhile).
   */
  atLimit: string[];
}

/**
 * Runs in flight, kept in a store shared by several schedulers. Every method is atomic on its
 * own. Times are ISO-8601 instants from the calling scheduler's clock.
 */
export interface SharedRuns {
  /**
   * In one atomic step: ends the leases `owner` holds as {@link JobStore.releaseJobs} does (same
   * rules: a release whose lease is gone, or whose job changed its `nextRunTime` or trigger,
   * only drops the lease; a release with {@link JobRelease.hold} keeps the job leased to `owner`
   * until `now + leaseMs`), then records each run of `runs` whose job's release was applied (a
   * run of a job another owner took over is never recorded), or that has no release in this
   * call (a run started with `runJob`), as long as fewer than its `maxInstances` runs of that
   * job are in flight; recorded runs hold a lease until `now + leaseMs`.
   *
   * @param owner - the lease owner of the releases (`<identity>#<pass>`)
   * @param releases - jobs to hand back, as for {@link JobStore.releaseJobs}
   * @param runs - runs about to start, at most one per job
   * @param now - the current instant
   * @param leaseMs - how long a recorded run counts as in flight unless extended
   */
  commitJobs(owner: string, releases: JobRelease[], runs: RunStart[], now: string, leaseMs: number): Promise<CommitResult>;

  /**
   * Extends the leases of runs `node` still has in flight to `now + leaseMs`. A run already
   * reaped (its lease expired and another node found it) is not brought back.
   */
  extendRuns(node: string, runIds: string[], now: string, leaseMs: number): Promise<void>;

  /** Forgets runs that ended (whatever their outcome); unknown ids are ignored. */
  finishRuns(runIds: string[]): Promise<void>;

  /**
   * Removes and returns the runs whose lease expired before `now`: their node stopped extending
   * them. Each is returned to exactly one caller.
   */
  reapRuns(now: string): Promise<AbandonedRun[]>;
}

/** A job store that also keeps the runs in flight of the schedulers sharing it. */
export type SharedJobStore = JobStore & SharedRuns;
