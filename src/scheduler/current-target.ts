/**
 * Reading a job again before a run planned earlier: after a jitter delay, and before each run of a
 * coalesce-`'all'` catch-up after the first. A removal, a pause or a new trigger drops the run;
 * any other change applies to it.
 *
 * @internal
 * @module
 */
import { sameJson } from '../internal/json.js';
import type { JobRecord } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';
import type { TaskFunction } from './job.js';

/** The job a run is for, and the function it calls (`null`: its executor runs it by name). */
export interface Target {
  readonly record: JobRecord;
  readonly fn: TaskFunction | null;
}

/**
 * The job as stored now in store `alias`, with the function it runs, if it may still run slots
 * planned from `target`: `null` once it was removed, paused or given another trigger, or when
 * it cannot be read (logged).
 */
export async function currentTarget(ctx: SchedulerContext, target: Target, alias: string): Promise<Target | null> {
  const { id, trigger } = target.record;
  try {
    const record = await ctx.store(alias).getJob(id);
    if (record === undefined || record.nextRunTime === null) return null;
    if (!sameJson(record.trigger, trigger)) return null;
    return record === target.record ? target : { record, fn: ctx.taskOf(record) };
  } catch (error) {
    ctx.log('error', `job ${JSON.stringify(id)} could not be read again before its next run; the run is dropped`, error);
    return null;
  }
}
