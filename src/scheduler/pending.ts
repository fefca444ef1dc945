/**
 * Writing the jobs added while stopped, at `start()`: all of them or none.
 *
 * @internal
 * @module
 */
import { ConflictingIdError } from '../errors.js';
import { toIso } from '../triggers/dates.js';
import type { SchedulerContext } from './context.js';
import { firstFireTime } from './fire-times.js';
import type { Written } from './job-writes.js';
import type { JobOperations } from './jobs.js';
import type { NewJob } from './records.js';
import { triggerOfRecord } from './trigger-input.js';

/** What start() does with one pending job: write it, or drop it as finished. */
interface Step {
  job: NewJob;
  finished: boolean;
}

/**
 * Writes every pending job to its store, or none. First every record is computed (first run
 * times from now, through the same checks as `addJob`) and every id checked, so a broken
 * trigger or a taken id fails before anything is written. Then the jobs are written; if a write
 * fails, the writes already made are undone (a replaced job gets its old record back) and the
 * error is thrown with every job still pending. Events are emitted only once all writes stand.
 *
 * A job whose trigger finished between `addJob` and `start()` is dropped and reported as
 * `job:removed` (reason `'finished'`), as the loop would have done.
 *
 * @throws what a trigger or a store threw, or `ConflictingIdError` for a taken id
 */
export async function writePending(ctx: SchedulerContext, jobs: JobOperations): Promise<void> {
  const now = ctx.clock.now();
  const steps = [...jobs.pending.values()].map((job) => plan(ctx, job, now));
  for (const { job } of steps) {
    if (!job.replaceExisting && (await jobs.writer.find(job.record.id))) throw new ConflictingIdError(job.record.id);
  }
  // One entry per step: the write, or null for a finished job (not written).
  const writes: (Written | null)[] = [];
  try {
    for (const step of steps) writes.push(step.finished ? null : await jobs.writer.put(step.job));
  } catch (error) {
    // The reverse of the order they were made in.
    for (const write of writes.reverse()) {
      await write?.undo().catch((undoError: unknown) => {
        const id = JSON.stringify(write.job.record.id);
        ctx.log('error', `start(): could not undo the write of pending job ${id}`, undoError);
      });
    }
    throw error;
  }
  jobs.pending.clear();
  steps.forEach(({ job }, index) => {
    const write = writes[index];
    if (write) jobs.announce(write.job, write.replaced);
    else ctx.emit('job:removed', { jobId: job.record.id, store: job.store, reason: 'finished' });
  });
}

/** A pending job as it is written at `now`: its first run time counts from the start. */
function plan(ctx: SchedulerContext, job: NewJob, now: number): Step {
  const { record } = job;
  // Paused jobs stay paused, and an explicit first run time is kept.
  if (record.nextRunTime === null || job.explicitNextRunTime) return { job, finished: false };
  const first = firstFireTime(triggerOfRecord(ctx, record), now);
  if (first === null) return { job, finished: true };
  return { job: { ...job, record: { ...record, nextRunTime: toIso(first) } }, finished: false };
}
