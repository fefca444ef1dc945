/**
 * Run events (`job:submitted`, `job:executed`, `job:error`, `job:missed`, `job:max-instances`)
 * from a planned run and its outcome, with the listing rule for the slots a run stands for: every
 * slot when there are at most {@link MAX_LISTED_SLOTS}, else the first and the last.
 *
 * @internal
 * @module
 */
import { JobCancelledError, JobTimeoutError } from '../errors.js';
import type { SchedulerEventMap } from '../events/event-map.js';
import type { RunOutcome } from '../executors/executor.js';
import type { JobRecord } from '../stores/job-store.js';
import { MAX_LISTED_SLOTS } from './backlog.js';
import type { EventFields, SchedulerContext } from './context.js';
import type { PlannedRun } from './plan.js';

/** Run events that carry nothing beyond the run's own fields. */
export type RunEventName = 'job:submitted' | 'job:missed' | 'job:max-instances';

type AnyRunEvent = RunEventName | 'job:executed' | 'job:error';
type RunFields = 'jobId' | 'store' | 'scheduledRunTime' | 'scheduledRunTimes' | 'slotCount' | 'node';

const date = (ms: number): Date => new Date(ms);

/** The extra fields of an event that has none, shared so emitting it allocates nothing more. */
export const NO_FIELDS = Object.freeze({});

/** Emits a run event; nothing is built when nobody listens (it is on the hot path). */
export function reportRun<K extends AnyRunEvent>(
  ctx: SchedulerContext,
  name: K,
  jobId: string,
  store: string,
  run: PlannedRun,
  extra: Omit<SchedulerEventMap[K], RunFields | 'type' | 'timestamp'>,
): void {
  if (!ctx.events.has(name)) return;
  const { span } = run;
  let scheduledRunTimes: Date[];
  if (span === null) scheduledRunTimes = [date(run.scheduledRunTime)];
  else if (span.listed !== null && span.listed.length <= MAX_LISTED_SLOTS) scheduledRunTimes = span.listed.map(date);
  else scheduledRunTimes = [date(span.first), date(span.last)];
  const fields = {
    jobId,
    store,
    scheduledRunTime: date(run.scheduledRunTime),
    scheduledRunTimes,
    slotCount: span === null ? 1 : span.count,
    node: ctx.identity,
    ...extra,
  };
  ctx.emit(name, fields as unknown as EventFields<K>);
}

/** Emits `job:error` for a run. */
export function reportError(
  ctx: SchedulerContext,
  jobId: string,
  store: string,
  run: PlannedRun,
  error: unknown,
  durationMs: number,
): void {
  reportRun(ctx, 'job:error', jobId, store, run, { error, durationMs });
}

/** Emits the event of a run's outcome: `job:executed`, `job:error` or `job:missed`. */
export function reportOutcome(ctx: SchedulerContext, record: JobRecord, store: string, run: PlannedRun, outcome: RunOutcome): void {
  const { id } = record;
  switch (outcome.status) {
    case 'success':
      // Checked before the fields are built: most runs end here, mostly with nobody listening.
      if (!ctx.events.has('job:executed')) return;
      reportRun(ctx, 'job:executed', id, store, run, {
        returnValue: outcome.returnValue,
        durationMs: outcome.finishedAt - outcome.startedAt,
      });
      return;
    case 'error':
      reportError(ctx, id, store, run, outcome.error, outcome.finishedAt - outcome.startedAt);
      return;
    case 'timeout':
      reportError(ctx, id, store, run, new JobTimeoutError(id, record.timeout ?? 0), outcome.finishedAt - outcome.startedAt);
      return;
    case 'missed':
      reportRun(ctx, 'job:missed', id, store, run, NO_FIELDS);
      return;
    case 'cancelled': {
      const duration = outcome.startedAt === undefined ? 0 : outcome.checkedAt - outcome.startedAt;
      reportError(ctx, id, store, run, new JobCancelledError(id), duration);
    }
  }
}
