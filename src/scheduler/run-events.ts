/**
 * The payload of run events (`job:submitted`, `job:executed`, `job:error`, `job:missed`,
 * `job:max-instances`) from a planned run, with the listing rule for the slots it stands for:
 * every slot when there are at most {@link MAX_LISTED_SLOTS}, else the first and the last.
 *
 * @internal
 * @module
 */
import type { SchedulerEventMap } from '../events/event-map.js';
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
