/**
 * The one change a store makes to a job record on its own: a new next run time, one version on.
 *
 * @internal
 * @module
 */
import type { JobRecord } from './job-store.js';

/**
 * A copy of `record` with `nextRunTime` (`null`: paused) and `version + 1`.
 *
 * Why a field-by-field literal rather than `{ ...record, nextRunTime }`: a spread that overrides
 * keys is about twenty times slower in V8, and a memory store makes one such copy per fire. The
 * `JobRecord` annotation makes the compiler name any field added to the record but not here.
 */
export function withNextRunTime(record: JobRecord, nextRunTime: string | null): JobRecord {
  const next: JobRecord = {
    id: record.id,
    name: record.name,
    task: record.task,
    inlineTask: record.inlineTask,
    args: record.args,
    trigger: record.trigger,
    executor: record.executor,
    misfireGraceTime: record.misfireGraceTime,
    coalesce: record.coalesce,
    maxInstances: record.maxInstances,
    jitter: record.jitter,
    timeout: record.timeout,
    nextRunTime,
    metadata: record.metadata,
    version: record.version + 1,
  };
  return next;
}
