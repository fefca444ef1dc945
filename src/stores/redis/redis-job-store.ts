/**
 * The public class of `timetable/stores/redis`: every {@link JobStore} and {@link SharedRuns}
 * call, each one script on the store's keys (see `keys.ts` for the layout and `lua/` for the
 * scripts).
 *
 * @module
 */
import { StoreError } from 'timetable';
import type { AbandonedRun, CommitResult, JobRecord, JobRelease, JobStore, JobStoreContext, RunStart, SharedRuns } from 'timetable';
import { addJob, getJob, getJobs, getNextRunTime, removeAllJobs, removeJob, updateJob } from './job-calls.js';
import { acquire, checkReleases, commit } from './lease-calls.js';
import { checkSettings, type RedisSettings } from './options.js';
import { extend, finish, reap } from './run-calls.js';
import { storeFault } from './faults.js';
import { labelOf, openSession, type OpenSession, type Session } from './session.js';

/**
 * An ioredis client, `Redis` or `Cluster` (ioredis 5 or 6), as far as the store's declarations
 * describe it. Structural on purpose: the store's declarations import nothing from ioredis, so
 * they type-check the same against either version, and without ioredis's own declarations
 * (which need `@types/redis-errors` under `skipLibCheck: false`) for a user who only gives a URL.
 */
export interface IoredisClient {
  /** `false` for a `Redis`, `true` for a `Cluster`. */
  readonly isCluster: boolean;
  /** The connection's state (`'wait'`, `'connecting'`, `'ready'`, ...). */
  readonly status: string;
  /** Makes a new client with the same options (the store's change listener is one). */
  duplicate(...args: never[]): unknown;
  /** Runs a cached script (the store runs all its work this way). */
  evalsha(...args: never[]): unknown;
}

/** How a {@link RedisJobStore} connects: a URL, or the application's ioredis client. */
export type RedisConnection =
  | {
      /**
       * A `redis://[user:password@]host:port/db` (or `rediss://`) URL, or a socket path. The
       * store makes its own client (and one more connection for change messages), set to fail
       * fast rather than queue calls while disconnected, and closes both at shutdown.
       */
      url: string;
    }
  | {
      /**
       * The application's own ioredis client (`Redis`, or `Cluster`: every key of a store shares
       * one hash tag, so all of them are on one shard). The store runs its scripts on it and
       * duplicates it once for change messages; it never closes it. Its settings apply: with
       * ioredis's defaults a call made while disconnected waits in the offline queue, and one
       * whose reply was lost is sent again (harmless here, but the caller may then see an
       * error for a write that was made): `enableOfflineQueue: false` and
       * `autoResendUnfulfilledCommands: false` behave as the store's own client does.
       */
      client: IoredisClient;
    };

/** Options of a {@link RedisJobStore}. */
export interface RedisJobStoreOptions {
  /**
   * Prefix of the store's keys, which all start with the hash tag `{<prefix>}`: 1 to 64 letters,
   * digits, `_ . : -`. Default `'timetable_'`. Stores with different prefixes share a database
   * without meeting.
   */
  prefix?: string;
  /**
   * Seconds between two looks at the store, a safety net under the change messages (which wake
   * the other schedulers at once, and after a lost connection's return): a change whose message
   * was lost anyway is seen within this time. Default 5; `0` never polls.
   */
  pollInterval?: number;
}

/**
 * A persistent job store in Redis 7+ (ioredis, an optional peer dependency: `npm install
 * ioredis`), for one or many schedulers: jobs survive restarts as long as Redis keeps its data
 * (configure persistence), every due slot is started exactly once across the schedulers sharing
 * the keys, and a change made by one reaches the others at once (pub/sub). See `docs/stores.md`
 * for the keys, running several nodes and faults.
 *
 * @example
 * ```ts
 * const store = new RedisJobStore({ url: 'redis://127.0.0.1:6379/0' }, { prefix: 'app_' });
 * ```
 */
export class RedisJobStore implements JobStore, SharedRuns {
  /** Always `true`: jobs outlive the process. */
  readonly persistent = true;
  /** Seconds between looks at the store besides the change messages (`0`: never). */
  readonly pollInterval: number;
  readonly #settings: RedisSettings;
  #session: OpenSession | null = null;

  /**
   * Checks the arguments; nothing connects until {@link RedisJobStore.start}.
   *
   * @param connection - `{ url }` or `{ client }`
   * @param options - key prefix and poll interval
   * @throws `InvalidArgumentError` naming the field at fault
   */
  constructor(connection: RedisConnection, options: RedisJobStoreOptions = {}) {
    this.#settings = checkSettings(connection, options);
    this.pollInterval = this.#settings.pollInterval;
  }

  /**
   * Connects (or checks that the application's client answers, 10 s at most), records the key
   * layout's version on first use, and subscribes to other schedulers' changes.
   *
   * @throws `StoreError` naming the server, database and key prefix (never a password) when it
   *   cannot be reached, or when its keys are of a layout newer than this version knows
   */
  async start(context: JobStoreContext): Promise<void> {
    if (this.#session !== null) return;
    this.#session = await openSession(this.#settings, context);
  }

  /** Unsubscribes and closes what the store opened (never an application's own client). */
  async shutdown(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    session?.close();
  }

  /** @inheritDoc */
  addJob(record: JobRecord): Promise<void> {
    return this.#run('addJob', (s) => addJob(s, record));
  }

  /** @inheritDoc */
  updateJob(record: JobRecord): Promise<void> {
    return this.#run('updateJob', (s) => updateJob(s, record));
  }

  /** @inheritDoc */
  removeJob(id: string): Promise<void> {
    return this.#run('removeJob', (s) => removeJob(s, id));
  }

  /** @inheritDoc */
  removeAllJobs(): Promise<void> {
    return this.#run('removeAllJobs', (s) => removeAllJobs(s));
  }

  /** @inheritDoc */
  getJob(id: string): Promise<JobRecord | undefined> {
    return this.#run('getJob', (s) => getJob(s, id));
  }

  /** @inheritDoc */
  getJobs(): Promise<JobRecord[]> {
    return this.#run('getJobs', (s) => getJobs(s));
  }

  /** @inheritDoc */
  getNextRunTime(): Promise<string | null> {
    return this.#run('getNextRunTime', (s) => getNextRunTime(s));
  }

  /** @inheritDoc */
  acquireDueJobs(now: string, owner: string, leaseMs: number, limit: number): Promise<JobRecord[]> {
    return this.#run('acquireDueJobs', (s) => acquire(s, now, owner, leaseMs, limit));
  }

  /** @inheritDoc */
  async releaseJobs(owner: string, releases: JobRelease[]): Promise<string[]> {
    if (releases.length === 0) return [];
    const result = await this.#run('releaseJobs', (s) => {
      checkReleases(releases);
      return commit(s, owner, releases, [], '', 0, false);
    });
    return result.removed;
  }

  /** @inheritDoc */
  async commitJobs(owner: string, releases: JobRelease[], runs: RunStart[], now: string, leaseMs: number): Promise<CommitResult> {
    if (releases.length === 0 && runs.length === 0) return { removed: [], started: [], atLimit: [] };
    return this.#run('commitJobs', (s) => {
      checkReleases(releases);
      return commit(s, owner, releases, runs, now, leaseMs, true);
    });
  }

  /** @inheritDoc */
  async extendRuns(node: string, runIds: string[], now: string, leaseMs: number): Promise<void> {
    if (runIds.length === 0) return;
    await this.#run('extendRuns', (s) => extend(s, node, runIds, now, leaseMs));
  }

  /** @inheritDoc */
  async finishRuns(runIds: string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.#run('finishRuns', (s) => finish(s, runIds));
  }

  /** @inheritDoc */
  reapRuns(now: string): Promise<AbandonedRun[]> {
    return this.#run('reapRuns', (s) => reap(s, now));
  }

  /** Runs one call's work; what it throws becomes a `StoreError` unless it is a library error. */
  async #run<T>(action: string, fn: (session: Session) => Promise<T>): Promise<T> {
    const session = this.#session;
    if (session === null) {
      const { where, tag } = labelOf(this.#settings);
      throw new StoreError(`Redis job store (${where}, keys ${tag}*): ${action} before start(); add the store to a scheduler, or call start() first`);
    }
    try {
      return await fn(session);
    } catch (error) {
      throw storeFault(error, session.label, action);
    }
  }
}
