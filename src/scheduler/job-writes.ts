/**
 * Store writes of whole jobs: finding a job across stores, writing a new one (replacing an
 * existing one if asked) in a way that can be taken back, and keeping the in-memory inline task
 * in step with the store.
 *
 * @internal
 * @module
 */
import { ConflictingIdError } from '../errors.js';
import type { JobRecord } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';
import type { TaskFunction } from './job.js';
import type { NewJob } from './records.js';

/**
 * How often a write is tried when another process changed the job in between. Writes of this
 * process never conflict with each other (they are queued per job), so this only bounds a
 * fight with other schedulers sharing the store.
 */
export const MAX_ATTEMPTS = 5;
/** Store errors that mean "the job being replaced changed under us": read it again and retry. */
const RETRYABLE = new Set(['ERR_CONCURRENT_MODIFICATION', 'ERR_JOB_NOT_FOUND', 'ERR_CONFLICTING_ID']);

/** The `code` of an error, or `''`. */
export const codeOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? '');

/** A stored job and the alias of its store. */
export interface Located {
  record: JobRecord;
  store: string;
}

/** A job written to its store by {@link JobWriter.put}, and how to take the write back. */
export interface Written {
  /** The job that was written. */
  readonly job: NewJob;
  /** The job it replaced, if any. */
  readonly replaced: Located | undefined;
  /** Restores the stores (and the inline task) as they were before the write. */
  undo(): Promise<void>;
}

/** Writes whole jobs to the stores of one scheduler. */
export class JobWriter {
  constructor(private readonly ctx: SchedulerContext) {}

  /** Finds a job in the stores (first match in store order). */
  async find(id: string): Promise<Located | undefined> {
    for (const [store, jobStore] of this.ctx.stores) {
      const record = await jobStore.getJob(id);
      if (record) return { record, store };
    }
    return undefined;
  }

  /**
   * Writes a validated job to its store, replacing an existing one if the job asks to, and
   * returns how to undo it. Emits nothing: the caller reports the write once it stands.
   *
   * @throws ConflictingIdError if the id is taken and the job does not replace it; what the
   *   store throws otherwise (nothing is left written then)
   */
  async put(job: NewJob): Promise<Written> {
    const { record, store } = job;
    for (let attempt = 1; ; attempt++) {
      const existing = await this.find(record.id);
      if (existing && !job.replaceExisting) throw new ConflictingIdError(record.id);
      const restoreInline = this.setInline(record.id, job.inline);
      try {
        const undoStore = await this.#replace(record, store, existing);
        const undo = async (): Promise<void> => {
          await undoStore();
          restoreInline();
        };
        return { job, replaced: existing, undo };
      } catch (error) {
        restoreInline();
        // The job being replaced moved on meanwhile (a run advanced it, or it finished): look again.
        if (!job.replaceExisting || attempt >= MAX_ATTEMPTS || !RETRYABLE.has(codeOf(error))) throw error;
      }
    }
  }

  /**
   * Writes a job whose id was made here ({@link NewJob.freshId}): a random UUID no store holds,
   * so there is nothing to look for across the stores and nothing to replace. What the store
   * throws leaves nothing written (the inline function is taken back too).
   */
  async putFresh(job: NewJob): Promise<void> {
    const { record, inline } = job;
    const { slots } = this.ctx;
    // A fresh id has no function before this one: a refusal clears it.
    if (inline !== null) slots.setTask(record.id, inline);
    try {
      await this.ctx.store(job.store).addJob(record);
    } catch (error) {
      if (inline !== null) slots.setTask(record.id, null);
      throw error;
    }
  }

  /**
   * Sets the job's inline function (or clears it for a registered task) ahead of a store write;
   * returns what restores the one before. `undefined` leaves it alone.
   */
  setInline(id: string, inline: TaskFunction | null | undefined): () => void {
    if (inline === undefined) return () => undefined;
    const { slots } = this.ctx;
    const before = slots.task(id);
    slots.setTask(id, inline);
    return () => slots.setTask(id, before);
  }

  /**
   * Writes `record` to `store`, replacing `existing` (in the same store or another one), and
   * returns what undoes it. A move between stores that fails half-way puts the old job back.
   */
  async #replace(record: JobRecord, store: string, existing: Located | undefined): Promise<() => Promise<void>> {
    const target = this.ctx.store(store);
    if (!existing) {
      await target.addJob(record);
      return () => target.removeJob(record.id);
    }
    const old = existing.record;
    if (existing.store === store) {
      const written = { ...record, version: old.version + 1 };
      await target.updateJob(written);
      // Versions only grow: the old content comes back as the next version.
      return () => target.updateJob({ ...old, version: written.version + 1 });
    }
    const source = this.ctx.store(existing.store);
    await source.removeJob(record.id);
    try {
      await target.addJob(record);
    } catch (error) {
      await source.addJob(old).catch((undoError: unknown) => {
        const job = JSON.stringify(record.id);
        this.ctx.log('error', `job ${job}: could not put back the job it was replacing`, undoError);
      });
      throw error;
    }
    return async () => {
      await target.removeJob(record.id);
      await source.addJob(old);
    };
  }
}
