/**
 * The in-memory job store: a map of records plus a queue by next run time (buckets of jobs
 * sharing an instant, in a heap of instants), so add, update, remove, get and "next due job" cost
 * O(log n) or less, and O(1) among jobs due at the same instant.
 *
 * @module
 */
import { ConcurrentModificationError, ConflictingIdError, JobNotFoundError } from '../errors.js';
import { IsoMemo } from '../internal/iso-memo.js';
import { sameJson } from '../internal/json.js';
import { InstantQueue, type Bucket, type QueueNode } from './instant-queue.js';
import { LeaseList, type LeaseLink } from './lease-list.js';
import type { JobRecord, JobRelease, JobStore } from './job-store.js';
import { withNextRunTime } from './next-record.js';

/**
 * One stored job: its record, its next run time parsed once, and its place in the queue and
 * lease. Mutable, so a release or an update moves the job without allocating a new entry.
 */
class Entry implements QueueNode, LeaseLink<Entry> {
  /** Queue key (managed by the queue). */
  key = 0;
  /** Queue bucket, `null` when not queued (managed by the queue). */
  bucket: Bucket<QueueNode> | null = null;
  /** Position in the bucket (managed by the queue). */
  slot = -1;
  /** Who holds the job's lease, `null` when not leased. */
  leaseOwner: string | null = null;
  /** When the lease ends (epoch ms, exclusive). */
  leaseUntil = 0;
  /** The trigger spec the job had when it was leased: a release after a new trigger is ignored. */
  leaseTrigger: JobRecord['trigger'] | null = null;
  /** Links of the store's lease list (managed by the list). */
  leasePrev: Entry | null = null;
  leaseNext: Entry | null = null;

  constructor(
    readonly id: string,
    /** The stored record, replaced (never mutated) on every write. */
    public record: JobRecord,
    /** `Date.parse(record.nextRunTime)`, or `null` while paused. */
    public timeMs: number | null,
  ) {}
}

/** Orders entries by next run time (paused last), then by id. */
function compareEntries(a: Entry, b: Entry): number {
  if (a.timeMs !== b.timeMs) {
    if (a.timeMs === null) return 1;
    if (b.timeMs === null) return -1;
    return a.timeMs - b.timeMs;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
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
  readonly #queue = new InstantQueue<Entry>();
  /** Leased jobs; each is also in `#entries` (removing a job drops its lease). */
  readonly #leased = new LeaseList<Entry>();
  /**
   * At most the earliest lease end in `#leased` (a removed lease does not raise it): until `now`
   * reaches it no lease can have expired, so acquiring skips the scan. With thousands of jobs
   * leased by one pass, that scan per batch was most of the cost of acquiring.
   */
  #leaseEndBound = Infinity;
  /** Parses next run times: jobs sharing a slot are written with one string. */
  readonly #iso = new IsoMemo();

  /** Creates an empty store. */
  constructor() {}

  /** Does nothing: the store needs no resources, and keeps its jobs across restarts. */
  async start(): Promise<void> {}

  /** Does nothing: jobs stay in memory so a restarted scheduler finds them again. */
  async shutdown(): Promise<void> {}

  /** @inheritDoc */
  async addJob(record: JobRecord): Promise<void> {
    if (this.#entries.has(record.id)) throw new ConflictingIdError(record.id);
    const entry = new Entry(record.id, record, this.#parse(record.nextRunTime));
    this.#entries.set(record.id, entry);
    if (entry.timeMs !== null) this.#queue.insert(entry, entry.timeMs);
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
    stored.record = record;
    stored.timeMs = this.#parse(record.nextRunTime);
    // A leased job is out of the queue until its release (or expiry) puts it back.
    if (stored.leaseOwner === null) this.#enqueue(stored);
  }

  /**
   * Removes a job. Removing a leased job also drops its lease, so the holder's release finds
   * nothing to do and a job later added under the same id starts unleased.
   *
   * @throws `JobNotFoundError` if the id is missing.
   */
  async removeJob(id: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry === undefined) throw new JobNotFoundError(id);
    this.#entries.delete(id);
    this.#queue.remove(entry);
    this.#leased.delete(entry);
  }

  /** @inheritDoc */
  async removeAllJobs(): Promise<void> {
    this.#entries.clear();
    this.#queue.clear();
    this.#leased.clear();
    this.#leaseEndBound = Infinity;
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
    let bestMs = top === undefined ? Infinity : top.key;
    let best = top === undefined ? null : top.record.nextRunTime;
    // Leases are few (at most the jobs in flight), so a scan beats a second heap.
    for (const entry of this.#leased) {
      if (entry.timeMs === null) continue;
      const wakeMs = Math.max(entry.leaseUntil, entry.timeMs);
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
    if (nowMs >= this.#leaseEndBound) this.#takeBackExpired(nowMs, owner);
    const acquired: JobRecord[] = [];
    while (acquired.length < limit) {
      const top = this.#queue.peek();
      if (top === undefined || top.key > nowMs) break;
      this.#queue.pop();
      top.leaseOwner = owner;
      top.leaseUntil = nowMs + leaseMs;
      top.leaseTrigger = top.record.trigger;
      this.#leased.add(top);
      if (top.leaseUntil < this.#leaseEndBound) this.#leaseEndBound = top.leaseUntil;
      acquired.push(top.record);
    }
    return acquired;
  }

  /**
   * Ends leases held by `owner`: moves each job to its new next run time (a new record with
   * `version + 1`), removes it, or pauses it. A release whose lease is no longer held by
   * `owner`, or whose job changed its `nextRunTime` or its trigger since it was acquired, leaves
   * the stored job as it is. A lease that expired but was not yet taken back by another owner's
   * `acquireDueJobs` call is still held.
   */
  async releaseJobs(owner: string, releases: JobRelease[]): Promise<string[]> {
    const removed: string[] = [];
    for (const release of releases) {
      // Jobs come back in the order they were leased, mostly: the oldest lease saves a lookup.
      const oldest = this.#leased.first;
      const stored = oldest !== null && oldest.id === release.id ? oldest : this.#entries.get(release.id);
      if (stored === undefined || stored.leaseOwner !== owner) continue;
      const acquiredTrigger = stored.leaseTrigger;
      this.#endLease(stored);
      // A stored nextRunTime or trigger other than the acquired one means the job was paused,
      // rescheduled or replaced while it was processed: that newer write wins over the holder's
      // view (even when a new trigger happens to start at the same instant).
      if (stored.record.nextRunTime !== release.acquiredRunTime || !sameJson(stored.record.trigger, acquiredTrigger)) {
        this.#enqueue(stored);
      } else if (release.nextRunTime === null && release.pause === true) {
        stored.record = withNextRunTime(stored.record, null);
        stored.timeMs = null;
        this.#enqueue(stored);
      } else if (release.nextRunTime === null) {
        this.#entries.delete(release.id);
        removed.push(release.id);
      } else {
        stored.record = withNextRunTime(stored.record, release.nextRunTime);
        stored.timeMs = this.#parse(release.nextRunTime);
        this.#enqueue(stored);
      }
    }
    return removed;
  }

  /** Returns the expired leases of owners other than `owner` to the queue. */
  #takeBackExpired(nowMs: number, owner: string): void {
    let bound = Infinity;
    for (const entry of this.#leased) {
      // An owner never gets back a job it still holds, even past its lease: it is still
      // processing it, and would run the same slot twice.
      if (entry.leaseUntil > nowMs || entry.leaseOwner === owner) {
        if (entry.leaseUntil < bound) bound = entry.leaseUntil;
        continue;
      }
      // The list lets the current node be deleted while iterating.
      this.#endLease(entry);
      this.#enqueue(entry);
    }
    this.#leaseEndBound = bound;
  }

  /** Puts an unleased job into the queue at its next run time, or takes it out when paused. */
  #enqueue(entry: Entry): void {
    if (entry.timeMs === null) this.#queue.remove(entry);
    else if (this.#queue.has(entry)) this.#queue.update(entry, entry.timeMs);
    else this.#queue.insert(entry, entry.timeMs);
  }

  #endLease(entry: Entry): void {
    entry.leaseOwner = null;
    entry.leaseTrigger = null;
    this.#leased.delete(entry);
    if (this.#leased.size === 0) this.#leaseEndBound = Infinity;
  }

  #parse(iso: string | null): number | null {
    return iso === null ? null : this.#iso.toMs(iso);
  }
}

