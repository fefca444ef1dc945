/**
 * The job operations behind the scheduler's public methods: pending jobs while stopped, store
 * writes while started. Every change is validated in full before a store is touched.
 *
 * @internal
 * @module
 */
import {
  ConflictingIdError,
  JobNotFoundError,
  MaxInstancesReachedError,
} from '../errors.js';
import type { JobRecord } from '../stores/job-store.js';
import { toIso } from '../triggers/dates.js';
import type { SchedulerContext } from './context.js';
import type { Job, TaskFunction } from './job.js';
import type { SchedulingLoop } from './loop.js';
import { applyChanges, buildNewJob, type NewJob } from './records.js';
import type { Runner } from './runner.js';

/** How often a change is retried when another writer changed the job in between. */
const MAX_RETRIES = 5;
/** Store errors that mean "the job changed under us": read it again and retry. */
const RETRYABLE = new Set(['ERR_CONCURRENT_MODIFICATION', 'ERR_JOB_NOT_FOUND', 'ERR_CONFLICTING_ID']);

interface Located {
  record: JobRecord;
  store: string;
}

/** Jobs: add, change, find, remove, run now. */
export class JobOperations {
  /** Jobs added while stopped, written to their stores at start, by id. */
  readonly pending = new Map<string, NewJob>();

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly runner: Runner,
    private readonly loop: SchedulingLoop,
    /** The start or shutdown in progress, if any: job calls wait for it to end. */
    private readonly transition: () => Promise<void> | undefined,
  ) {}

  async add(task: unknown, trigger: unknown, options: unknown): Promise<Job> {
    await this.transition();
    const job = buildNewJob(this.ctx, task, trigger, options);
    const { record } = job;
    if (this.ctx.state === 'stopped') {
      if (this.pending.has(record.id) && !job.replaceExisting) throw new ConflictingIdError(record.id);
      this.pending.delete(record.id);
      this.pending.set(record.id, job);
      return this.ctx.toJob(record, job.store, true);
    }
    await this.write(job);
    return this.ctx.toJob(record, job.store);
  }

  /** Writes a validated job to its store (replacing an existing one if asked). */
  async write(job: NewJob): Promise<void> {
    const { record, store } = job;
    let existing: Located | undefined;
    for (let attempt = 1; ; attempt++) {
      existing = await this.find(record.id);
      if (existing && !job.replaceExisting) throw new ConflictingIdError(record.id);
      const found = existing;
      try {
        await this.#withInline(record.id, job.inline, async () => {
          if (found && found.store === store) {
            await this.ctx.store(store).updateJob({ ...record, version: found.record.version + 1 });
          } else {
            if (found) await this.ctx.store(found.store).removeJob(record.id);
            await this.ctx.store(store).addJob(record);
          }
        });
        break;
      } catch (error) {
        // The job being replaced moved on meanwhile (a run advanced it, or it finished): look again.
        if (!job.replaceExisting || attempt >= MAX_RETRIES || !RETRYABLE.has((error as { code?: string }).code ?? '')) {
          throw error;
        }
      }
    }
    if (existing) this.ctx.emit('job:removed', { jobId: record.id, store: existing.store, reason: 'replaced' });
    this.ctx.emit('job:added', { jobId: record.id, store });
    this.loop.wakeup();
  }

  async modify(id: string, changes: unknown): Promise<Job> {
    const given = (typeof changes === 'object' && changes) || {};
    // For a pending job: an explicit nextRunTime is kept at start; a new trigger is computed then.
    const explicit = 'nextRunTime' in given ? true : 'trigger' in given ? false : undefined;
    return this.#update(id, (record, persistent) => applyChanges(this.ctx, record, persistent, changes), explicit);
  }

  async pause(id: string): Promise<Job> {
    return this.#update(id, (record) => ({ record: { ...record, nextRunTime: null, version: record.version + 1 } }));
  }

  /** Resumes from now (runs missed while paused are skipped); removes a finished job. */
  async resume(id: string): Promise<Job | undefined> {
    const now = new Date(this.ctx.clock.now());
    let finished = false;
    const job = await this.#update(id, (record) => {
      const next = this.ctx.triggerOf(record).getNextFireTime(null, now);
      finished = next === null;
      return { record: { ...record, nextRunTime: next && toIso(next.getTime()), version: record.version + 1 } };
    });
    if (!finished) return job;
    await this.remove(id, 'finished');
    return undefined;
  }

  async remove(id: string, reason: 'removed' | 'finished' = 'removed'): Promise<void> {
    await this.transition();
    if (this.ctx.state === 'stopped') {
      if (!this.pending.delete(id)) throw new JobNotFoundError(id);
      return;
    }
    const found = await this.#require(id);
    await this.ctx.store(found.store).removeJob(id);
    this.ctx.inlineTasks.delete(id);
    this.ctx.emit('job:removed', { jobId: id, store: found.store, reason });
  }

  async removeAll(alias: string | undefined): Promise<void> {
    await this.transition();
    const aliases = alias === undefined ? [...this.ctx.stores.keys()] : [(this.ctx.store(alias), alias)];
    for (const [id, job] of this.pending) if (aliases.includes(job.store)) this.pending.delete(id);
    if (this.ctx.state !== 'stopped') {
      for (const name of aliases) {
        const store = this.ctx.store(name);
        if (!store.persistent) for (const record of await store.getJobs()) this.ctx.inlineTasks.delete(record.id);
        await store.removeAllJobs();
      }
    }
    this.ctx.emit('jobs:cleared', { store: alias ?? null });
  }

  async get(id: string): Promise<Job | undefined> {
    await this.transition();
    if (this.ctx.state === 'stopped') {
      const job = this.pending.get(id);
      return job && this.ctx.toJob(job.record, job.store, true);
    }
    const found = await this.find(id);
    return found && this.ctx.toJob(found.record, found.store);
  }

  /** Jobs by next run time, paused last (pending jobs while stopped). */
  async list(alias: string | undefined): Promise<Job[]> {
    await this.transition();
    if (alias !== undefined) this.ctx.store(alias);
    if (this.ctx.state === 'stopped') {
      return [...this.pending.values()]
        .filter((job) => alias === undefined || job.store === alias)
        .map((job) => this.ctx.toJob(job.record, job.store, true));
    }
    const all: Located[] = [];
    for (const [name, store] of this.ctx.stores) {
      if (alias !== undefined && name !== alias) continue;
      for (const record of await store.getJobs()) all.push({ record, store: name });
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
    if (!this.runner.submit(found.record, found.store, fn, [{ scheduledRunTime: now, scheduledRunTimes: [now] }], 0)) {
      throw new MaxInstancesReachedError(id, found.record.maxInstances);
    }
  }

  /** Finds a job in the stores (first match in store order). */
  async find(id: string): Promise<Located | undefined> {
    for (const [store, jobStore] of this.ctx.stores) {
      const record = await jobStore.getJob(id);
      if (record) return { record, store };
    }
    return undefined;
  }

  async #require(id: string): Promise<Located> {
    if (typeof id !== 'string') throw new JobNotFoundError(String(id));
    const found = await this.find(id);
    if (!found) throw new JobNotFoundError(id);
    return found;
  }

  /** Reads, changes and writes a job, retrying when another writer got there first. */
  async #update(
    id: string,
    change: (record: JobRecord, persistent: boolean) => { record: JobRecord; inline?: TaskFunction | null | undefined },
    explicitNextRunTime?: boolean,
  ): Promise<Job> {
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
      try {
        await this.#withInline(id, inline, () => store.updateJob(record));
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_CONCURRENT_MODIFICATION' && attempt < MAX_RETRIES) continue;
        throw error;
      }
      this.ctx.emit('job:modified', { jobId: id, store: found.store });
      this.loop.wakeup();
      return this.ctx.toJob(record, found.store);
    }
  }

  /**
   * Sets the job's inline function (or clears it for a registered task) around a store write,
   * and restores the old one if the write fails. `undefined` leaves it alone.
   */
  async #withInline(id: string, inline: TaskFunction | null | undefined, write: () => Promise<void>): Promise<void> {
    if (inline === undefined) return write();
    const before = this.ctx.inlineTasks.get(id);
    if (inline) this.ctx.inlineTasks.set(id, inline);
    else this.ctx.inlineTasks.delete(id);
    try {
      await write();
    } catch (error) {
      if (before) this.ctx.inlineTasks.set(id, before);
      else this.ctx.inlineTasks.delete(id);
      throw error;
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

