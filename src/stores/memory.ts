/**
 * The in-memory job store: a map of records plus an indexed min-heap by next run time, so add,
 * update, remove, get and "next due job" cost O(log n) or less.
 *
 * @module
 */
import { ConcurrentModificationError, ConflictingIdError, JobNotFoundError } from '../errors.js';
import { IndexedHeap } from './heap.js';
import type { JobRecord, JobRelease, JobStore } from './job-store.js';

/** A stored record with its next run time parsed once, at write time. */
interface Entry {
  readonly record: JobRecord;
  /** `Date.parse(record.nextRunTime)`, or `null` while paused. */
  readonly timeMs: number | null;
}

/** Who holds a job's lease, and until when (epoch ms, exclusive). */
interface Lease {
  readonly owner: string;
  readonly until: number;
}

function toEntry(record: JobRecord): Entry {
  return { record, timeMs: record.nextRunTime === null ? null : Date.parse(record.nextRunTime) };
}

/** Orders entries by next run time (paused last), then by id. */
function compareEntries(a: Entry, b: Entry): number {
  if (a.timeMs !== b.timeMs) {
    if (a.timeMs === null) return 1;
    if (b.timeMs === null) return -1;
    return a.timeMs - b.timeMs;
  }
  return a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;
}

/**
 * Keeps jobs in the process's memory. Jobs are lost when the process exits, but survive a
 * scheduler's shutdown and restart within the process (unlike APScheduler 3, whose memory store
 * is cleared on shutdown). Records are kept and returned as the very objects given, never copied.
 *
 * A lease lasts `leaseMs` from the acquiring call's `now` and has expired once a later call's
 * `now` reaches its end. Every {@link MemoryJobStore.acquireDueJobs} call first returns all
 * expired leases' jobs to the queue, whoever held them; until then the holder may still release.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({ stores: { default: new MemoryJobStore() } });
 * ```
 */
export class MemoryJobStore implements JobStore {
  /** Always `false`: jobs live only as long as the process. */
  readonly persistent = false;

  /** Every job by id. */
  readonly #entries = new Map<string, Entry>();
  /** The jobs that can become due: not paused and not leased. */
  readonly #queue = new IndexedHeap();
  /** Leased jobs. Every key is also in `#entries` (removing a job drops its lease). */
  readonly #leases = new Map<string, Lease>();

  /** Creates an empty store. */
  constructor() {}

  /** Does nothing: the store needs no resources, and keeps its jobs across restarts. */
  async start(): Promise<void> {}

  /** Does nothing: jobs stay in memory so a restarted scheduler finds them again. */
  async shutdown(): Promise<void> {}

  /** @inheritDoc */
  async addJob(record: JobRecord): Promise<void> {
    if (this.#entries.has(record.id)) throw new ConflictingIdError(record.id);
    const entry = toEntry(record);
    this.#entries.set(record.id, entry);
    if (entry.timeMs !== null) this.#queue.insert(record.id, entry.timeMs);
  }

  /**
   * Replaces a job. `record.version` must be the stored version plus one. A leased job keeps its
   * lease: the new record is what the lease holder's release will see.
   *
   * @throws `JobNotFoundError` if the id is missing; `ConcurrentModificationError` if the
   *   stored version is not `record.version - 1`.
   */
  async updateJob(record: JobRecord): Promise<void> {
    const stored = this.#entries.get(record.id);
    if (stored === undefined) throw new JobNotFoundError(record.id);
    if (record.version !== stored.record.version + 1)
      throw new ConcurrentModificationError(record.id);
    const entry = toEntry(record);
    this.#entries.set(record.id, entry);
    // A leased job is out of the queue until its release (or expiry) puts it back.
    if (!this.#leases.has(record.id)) this.#enqueue(record.id, entry.timeMs);
  }

  /**
   * Removes a job. Removing a leased job also drops its lease, so the holder's release finds
   * nothing to do and a job later added under the same id starts unleased.
   *
   * @throws `JobNotFoundError` if the id is missing.
   */
  async removeJob(id: string): Promise<void> {
    if (!this.#entries.delete(id)) throw new JobNotFoundError(id);
    this.#queue.remove(id);
    this.#leases.delete(id);
  }

  /** @inheritDoc */
  async removeAllJobs(): Promise<void> {
    this.#entries.clear();
    this.#queue.clear();
    this.#leases.clear();
  }

  /** @inheritDoc */
  async getJob(id: string): Promise<JobRecord | undefined> {
    return this.#entries.get(id)?.record;
  }

  /** @inheritDoc */
  async getJobs(): Promise<JobRecord[]> {
    return [...this.#entries.values()].sort(compareEntries).map((entry) => entry.record);
  }

  /**
   * The earliest `nextRunTime` of the jobs that are not paused and not leased, or `null`. A
   * leased job counts from `max(lease expiry, nextRunTime)`: the scheduler must wake up then to
   * take the job over if its holder never releases it.
   */
  async getNextRunTime(): Promise<string | null> {
    const top = this.#queue.peek();
    let bestMs = top === undefined ? Infinity : top.timeMs;
    let best = top === undefined ? null : (this.#entries.get(top.id)?.record.nextRunTime ?? null);
    // Leases are few (at most the jobs in flight), so a scan beats a second heap.
    for (const [id, lease] of this.#leases) {
      const entry = this.#entries.get(id);
      if (entry === undefined || entry.timeMs === null) continue;
      const wakeMs = Math.max(lease.until, entry.timeMs);
      if (wakeMs < bestMs) {
        bestMs = wakeMs;
        best = wakeMs === entry.timeMs ? entry.record.nextRunTime : new Date(wakeMs).toISOString();
      }
    }
    return best;
  }

  /** @inheritDoc */
  async acquireDueJobs(
    now: string,
    owner: string,
    leaseMs: number,
    limit: number,
  ): Promise<JobRecord[]> {
    const nowMs = Date.parse(now);
    for (const [id, lease] of this.#leases) {
      if (lease.until > nowMs) continue;
      // Deleting the current key while iterating a Map is safe.
      this.#leases.delete(id);
      this.#enqueue(id, this.#entries.get(id)?.timeMs ?? null);
    }
    const acquired: JobRecord[] = [];
    while (acquired.length < limit) {
      const top = this.#queue.peek();
      if (top === undefined || top.timeMs > nowMs) break;
      this.#queue.pop();
      this.#leases.set(top.id, { owner, until: nowMs + leaseMs });
      acquired.push((this.#entries.get(top.id) as Entry).record);
    }
    return acquired;
  }

  /**
   * Ends leases held by `owner`: moves each job to its new next run time (a new record with
   * `version + 1`) or removes it. A release whose lease is no longer held by `owner`, or whose
   * job changed its `nextRunTime` since it was acquired, leaves the stored job as it is. A lease
   * that expired but was not yet taken back by an `acquireDueJobs` call is still held.
   */
  async releaseJobs(owner: string, releases: JobRelease[]): Promise<string[]> {
    const removed: string[] = [];
    for (const release of releases) {
      const lease = this.#leases.get(release.id);
      if (lease === undefined || lease.owner !== owner) continue;
      this.#leases.delete(release.id);
      const stored = this.#entries.get(release.id) as Entry;
      // A stored nextRunTime other than the acquired one means the job was paused, rescheduled
      // or replaced while it ran: that newer write wins over the holder's view.
      if (stored.record.nextRunTime !== release.acquiredRunTime) {
        this.#enqueue(release.id, stored.timeMs);
      } else if (release.nextRunTime === null) {
        this.#entries.delete(release.id);
        removed.push(release.id);
      } else {
        const record = {
          ...stored.record,
          nextRunTime: release.nextRunTime,
          version: stored.record.version + 1,
        };
        const entry = toEntry(record);
        this.#entries.set(release.id, entry);
        this.#enqueue(release.id, entry.timeMs);
      }
    }
    return removed;
  }

  /** Puts an unleased job into the queue at `timeMs`, or takes it out when paused (`null`). */
  #enqueue(id: string, timeMs: number | null): void {
    if (timeMs === null) this.#queue.remove(id);
    else if (this.#queue.has(id)) this.#queue.update(id, timeMs);
    else this.#queue.insert(id, timeMs);
  }
}
