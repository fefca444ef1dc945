/**
 * The job operations behind the scheduler's public methods: pending jobs while stopped, store
 * writes while started. Every change is validated in full before a store is touched, and the
 * writes this process makes to one job are queued one after another.
 *
 * @internal
 * @module
 */
import { ConflictingIdError, JobNotFoundError, MaxInstancesReachedError } from '../errors.js';
import type { JobRecord, JobStore } from '../stores/job-store.js';
import { withNextRunTime } from '../stores/next-record.js';
import { toIso } from '../triggers/dates.js';
import type { SchedulerContext } from './context.js';
import { firstFireTime } from './fire-times.js';
import type { Job, TaskFunction } from './job.js';
import { JobWriter, MAX_ATTEMPTS, codeOf, type Located } from './job-writes.js';
import { KeyedQueue } from './keyed-queue.js';
import type { SchedulingLoop } from './loop.js';
import { applyChanges, buildNewJob, type NewJob } from './records.js';
import type { Runner } from './runner.js';
import { newRunId, sharedRuns } from './shared-runs.js';
import type { StoppedReads } from './stopped-reads.js';
import { triggerOfRecord } from './trigger-input.js';

/** A change of one record: the next record, and the job's new inline function if it changes. */
type Change = (
  record: JobRecord,
  persistent: boolean,
) => { record: JobRecord; inline?: TaskFunction | null | undefined };

/** Jobs: add, change, find, remove, run now. */
export class JobOperations {
  /** Jobs added while stopped, written to their stores at start, by id. */
  readonly pending = new Map<string, NewJob>();
  /** Whole-job writes (add, replace, and their undo). */
  readonly writer: JobWriter;
  /** This process's writes, queued per job id. */
  readonly #queue = new KeyedQueue();

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly runner: Runner,
    private readonly loop: SchedulingLoop,
    /** The start or shutdown in progress, if any: job calls wait for it to end. */
    private readonly transition: () => Promise<void> | undefined,
    /** Reads of the stores while the scheduler is stopped. */
    private readonly stoppedReads: StoppedReads,
  ) {
    this.writer = new JobWriter(ctx);
  }

  async add(task: unknown, trigger: unknown, options: unknown): Promise<Job> {
    const job = buildNewJob(this.ctx, task, trigger, options);
    const { record } = job;
    if (job.freshId && this.ctx.state === 'running' && this.transition() === undefined) {
      // Nobody knows a fresh id before this call returns, so no other write of this process can
      // be queued on it: the queue per id is skipped, as is the look across the stores.
      await this.writer.putFresh(job);
      this.announce(job, undefined);
      return this.ctx.toJob(record, job.store);
    }
    return this.#queue.run(record.id, async () => {
      await this.transition();
      if (this.ctx.state === 'stopped') {
        if (this.pending.has(record.id) && !job.replaceExisting) throw new ConflictingIdError(record.id);
        this.pending.delete(record.id);
        this.pending.set(record.id, job);
        return this.ctx.toJob(record, job.store, true);
      }
      if (job.replaceExisting) this.loop.changing(record.id);
      const { replaced } = await this.writer.put(job);
      this.announce(job, replaced);
      return this.ctx.toJob(record, job.store);
    });
  }

  /**
   * Emits the events of a {@link JobWriter.put} and lets the loop look at the new job. Kept
   * apart from the write so `start()` reports its writes only once all of them stand.
   */
  announce(job: NewJob, replaced: Located | undefined): void {
    const { id } = job.record;
    if (replaced) this.ctx.emit('job:removed', { jobId: id, store: replaced.store, reason: 'replaced' });
    this.ctx.emit('job:added', { jobId: id, store: job.store });
    this.loop.wakeup();
  }

  async modify(id: string, changes: unknown): Promise<Job> {
    const given = (typeof changes === 'object' && changes) || {};
    // For a pending job: an explicit nextRunTime is kept at start; a new trigger is computed then.
    const explicit = 'nextRunTime' in given ? true : 'trigger' in given ? false : undefined;
    return this.#queue.run(String(id), () =>
      this.#update(id, (record, persistent) => applyChanges(this.ctx, record, persistent, changes), explicit),
    );
  }

  async pause(id: string): Promise<Job> {
    return this.#queue.run(String(id), () =>
      this.#update(id, (record) => ({ record: withNextRunTime(record, null) })),
    );
  }

  /** Resumes from now (runs missed while paused are skipped); removes a finished job. */
  async resume(id: string): Promise<Job | undefined> {
    // One queued section: nothing of this process can slip in between the update and the removal.
    return this.#queue.run(String(id), async () => {
      let finished = false;
      const job = await this.#update(id, (record) => {
        // The same checks as a new trigger gets: a broken trigger fails here, the job unchanged.
        const next = firstFireTime(triggerOfRecord(this.ctx, record), this.ctx.clock.now());
        finished = next === null;
        return { record: withNextRunTime(record, next === null ? null : toIso(next)) };
      });
      if (!finished) return job;
      await this.#remove(id, 'finished');
      return undefined;
    });
  }

  async remove(id: string, reason: 'removed' | 'finished' = 'removed'): Promise<void> {
    return this.#queue.run(String(id), async () => {
      await this.transition();
      await this.#remove(id, reason);
    });
  }

  async removeAll(alias: string | undefined): Promise<void> {
    await this.transition();
    const aliases = alias === undefined ? [...this.ctx.stores.keys()] : [(this.ctx.store(alias), alias)];
    for (const [id, job] of this.pending) if (aliases.includes(job.store)) this.pending.delete(id);
    if (this.ctx.state !== 'stopped') {
      this.loop.changing(null);
      for (const name of aliases) {
        const store = this.ctx.store(name);
        if (!store.persistent) for (const record of await store.getJobs()) this.ctx.slots.setTask(record.id, null);
        await store.removeAllJobs();
      }
    }
    this.ctx.emit('jobs:cleared', { store: alias ?? null });
  }

  async get(id: string): Promise<Job | undefined> {
    await this.transition();
    if (this.ctx.state === 'stopped') {
      const job = this.pending.get(id);
      if (job) return this.ctx.toJob(job.record, job.store, true);
      const read = await this.stoppedReads.read([...this.ctx.stores.keys()], () => this.#find(id));
      // A start began before the read's turn: read from the started stores.
      return read === null ? this.get(id) : read.value;
    }
    return this.#find(id);
  }

  async #find(id: string): Promise<Job | undefined> {
    const found = typeof id === 'string' ? await this.writer.find(id) : undefined;
    return found && this.ctx.toJob(found.record, found.store);
  }

  /**
   * Jobs by next run time, paused last. While stopped: the jobs in the stores (each opened for
   * the read), then the pending jobs; a pending job replaces a stored one of the same id, as it
   * will at start.
   */
  async list(alias: string | undefined): Promise<Job[]> {
    await this.transition();
    const aliases = alias === undefined ? [...this.ctx.stores.keys()] : [(this.ctx.store(alias), alias)];
    if (this.ctx.state !== 'stopped') return this.#stored(aliases, this.ctx.stores);
    const pending = [...this.pending.values()].filter((job) => aliases.includes(job.store));
    const read = await this.stoppedReads.read(aliases, (stores) => this.#stored(aliases, stores));
    // A start began before the read's turn: list the started stores.
    if (read === null) return this.list(alias);
    const stored = read.value;
    const ids = new Set(pending.map((job) => job.record.id));
    return [
      ...stored.filter((job) => !ids.has(job.id)),
      ...pending.map((job) => this.ctx.toJob(job.record, job.store, true)),
    ];
  }

  /** The jobs of these stores, by next run time, paused last. */
  async #stored(aliases: readonly string[], stores: ReadonlyMap<string, JobStore>): Promise<Job[]> {
    const all: Located[] = [];
    for (const name of aliases) {
      const store = stores.get(name);
      if (store) for (const record of await store.getJobs()) all.push({ record, store: name });
    }
    all.sort((a, b) => compareRecords(a.record, b.record));
    return all.map(({ record, store }) => this.ctx.toJob(record, store));
  }

  /** Runs a job now, outside its schedule; the schedule is not changed. */
  async runNow(id: string): Promise<void> {
    await this.transition();
    const found = await this.#require(id);
    const fn = this.ctx.taskOf(found.record);
    const now = this.ctx.clock.now();
    const run = { scheduledRunTime: now, span: null };
    const shared = sharedRuns(this.ctx.store(found.store));
    if (shared === null) {
      if (!this.runner.submit(found.record, found.store, fn, this.ctx.slots.of(id), run, 0)) {
        throw new MaxInstancesReachedError(id, found.record.maxInstances);
      }
      return;
    }
    // A shared store counts the job's runs in flight on every scheduler: record the run first.
    const start = {
      runId: newRunId(),
      jobId: id,
      node: this.ctx.identity,
      scheduledRunTime: toIso(now),
      maxInstances: found.record.maxInstances,
    };
    const { started } = await shared.commitJobs(this.ctx.identity, [], [start], toIso(now), this.ctx.leaseMs);
    if (!started.includes(start.runId)) {
      this.runner.atLimit(found.record, found.store, run);
      throw new MaxInstancesReachedError(id, found.record.maxInstances);
    }
    this.ctx.runLeases.started(found.store, start.runId);
    this.runner.submit(found.record, found.store, fn, this.ctx.slots.of(id), run, 0, false, start.runId);
  }

  async #require(id: string): Promise<Located> {
    if (typeof id !== 'string') throw new JobNotFoundError(String(id));
    const found = await this.writer.find(id);
    if (!found) throw new JobNotFoundError(id);
    return found;
  }

  async #remove(id: string, reason: 'removed' | 'finished'): Promise<void> {
    if (this.ctx.state === 'stopped') {
      if (!this.pending.delete(id)) throw new JobNotFoundError(id);
      return;
    }
    const found = await this.#require(id);
    // A run held for its due instant must not start once the job is gone.
    this.loop.changing(id);
    await this.ctx.store(found.store).removeJob(id);
    this.ctx.slots.setTask(id, null);
    this.ctx.emit('job:removed', { jobId: id, store: found.store, reason });
  }

  /** Reads, changes and writes a job, retrying when another process changed it in between. */
  async #update(id: string, change: Change, explicitNextRunTime?: boolean): Promise<Job> {
    await this.transition();
    if (this.ctx.state === 'stopped') {
      const job = this.pending.get(id);
      if (!job) throw new JobNotFoundError(id);
      const { record, inline } = change(job.record, this.ctx.store(job.store).persistent);
      this.pending.set(id, {
        ...job,
        record,
        inline: inline === undefined ? job.inline : inline,
        explicitNextRunTime: explicitNextRunTime ?? job.explicitNextRunTime,
      });
      return this.ctx.toJob(record, job.store, true);
    }
    for (let attempt = 1; ; attempt++) {
      const found = await this.#require(id);
      const store = this.ctx.store(found.store);
      const { record, inline } = change(found.record, store.persistent);
      const restoreInline = this.writer.setInline(id, inline);
      // A run held for its due instant was planned from the old record: the new one must win.
      this.loop.changing(id);
      try {
        await store.updateJob(record);
      } catch (error) {
        restoreInline();
        if (codeOf(error) === 'ERR_CONCURRENT_MODIFICATION' && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      this.ctx.emit('job:modified', { jobId: id, store: found.store });
      this.loop.wakeup();
      return this.ctx.toJob(record, found.store);
    }
  }

}

/** Order of `getJobs()`: by next run time, then id; paused last. */
export function compareRecords(a: JobRecord, b: JobRecord): number {
  if (a.nextRunTime !== b.nextRunTime) {
    if (a.nextRunTime === null) return 1;
    if (b.nextRunTime === null) return -1;
    const diff = Date.parse(a.nextRunTime) - Date.parse(b.nextRunTime);
    if (diff !== 0) return diff;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
