/**
 * The Redis store's key layout. Every key of a store starts with the hash tag `{<prefix>}`, so
 * on Redis Cluster all of them hash to one slot: each script touches keys of that slot only (the
 * per-job keys it builds from the prefixes it is given included), and a store's keys live on one
 * shard. A client's own `keyPrefix` (ioredis) goes in front of all of them, hash tag unchanged.
 *
 * | key | type | holds |
 * |---|---|---|
 * | `{p}meta` | hash | `schema`: the layout version (1) |
 * | `{p}jobs` | set | the id of every job |
 * | `{p}job:<id>` | hash | one job: `data` (its record as JSON, exactly as written), `next` (its `nextRunTime` as written; absent while paused), `ms` (that instant in epoch ms), `version`, `trigger` (a fingerprint of its trigger spec), and while leased `owner`, `until` (the lease's end, epoch ms) and `leased` (the trigger fingerprint it was acquired with) |
 * | `{p}due` | sorted set | ids of the jobs that are neither paused nor leased, by `ms` |
 * | `{p}leases` | sorted set | ids of the leased jobs, by lease end |
 * | `{p}wake` | sorted set | ids of the leased jobs that are not paused, by the later of `ms` and lease end (when they may next be acquired) |
 * | `{p}runs` | hash | run id → the run in flight as JSON (`jobId`, `node`, `scheduledRunTime`, `startedAt`) |
 * | `{p}run-leases` | sorted set | run ids by lease end: the runs in flight, and once expired the abandoned ones |
 * | `{p}job-runs:<jobId>` | sorted set | run ids of one job by lease end: what `maxInstances` counts |
 *
 * Changes are published on the channel `{p}changes` (with the client's `keyPrefix` in front).
 *
 * @internal
 * @module
 */

/** The names of a store's keys (before the client's `keyPrefix`, which ioredis adds). */
export interface Keys {
  readonly meta: string;
  readonly jobs: string;
  /** `<tag>job:`: a job's hash is this followed by its id. */
  readonly job: string;
  readonly due: string;
  readonly leases: string;
  readonly wake: string;
  readonly runs: string;
  readonly runLeases: string;
  /** `<tag>job-runs:`: a job's runs are this followed by its id. */
  readonly jobRuns: string;
  /** The pub/sub channel of changes (not a key: the client's `keyPrefix` is added by the store). */
  readonly channel: string;
}

/** The keys of the store with `prefix`. */
export function keysOf(prefix: string): Keys {
  const tag = `{${prefix}}`;
  return {
    meta: `${tag}meta`,
    jobs: `${tag}jobs`,
    job: `${tag}job:`,
    due: `${tag}due`,
    leases: `${tag}leases`,
    wake: `${tag}wake`,
    runs: `${tag}runs`,
    runLeases: `${tag}run-leases`,
    jobRuns: `${tag}job-runs:`,
    channel: `${tag}changes`,
  };
}

/** The layout version this code writes and reads (`{p}meta` field `schema`). */
export const SCHEMA_VERSION = 1;
