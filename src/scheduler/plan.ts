/**
 * Turns one due job into a plan: which of its due slots run, which are missed, and when it runs
 * next. Pure (apart from the trigger), so the misfire and coalescing rules are tested without a
 * scheduler.
 *
 * The cost of a plan does not grow with the length of an outage. A job with a short backlog has
 * every due slot listed; past {@link MAX_COUNTED_SLOTS} the plan stops walking slot by slot and
 * jumps: to the first slot inside the misfire grace time, to the latest slot due and to the
 * first slot after now, each found in a few dozen trigger calls (see `backlog.ts`). Slots are
 * then described as spans (first, last, count), never as lists of thousands of instants.
 *
 * @internal
 * @module
 */
import type { CoalescePolicy } from '../stores/job-store.js';
import type { Trigger } from '../triggers/trigger.js';
import { nextAfter } from './fire-times.js';
import { scanBacklog, type SlotSpan } from './backlog.js';

export { MAX_CATCH_UP, MAX_COUNTED_SLOTS, MAX_LISTED_SLOTS, type SlotSpan } from './backlog.js';

/** One run to submit: the slot it is for, and the slots it stands for when coalesced. */
export interface PlannedRun {
  /** The slot the run is for (epoch ms). */
  readonly scheduledRunTime: number;
  /** Every slot the run stands for; `null` when it is only its own (the common case). */
  readonly span: SlotSpan | null;
}

/** What to do with a due job. */
export interface DuePlan {
  /** Slots older than the misfire grace time: not run, reported as missed. */
  readonly missed: SlotSpan | null;
  /** The one run to submit (`'latest'`, `'earliest'`, or `'all'` with a single slot). */
  readonly run: PlannedRun | null;
  /** Coalesce `'all'` with several slots: each slot of the span runs in turn, as one instance. */
  readonly series: SlotSpan | null;
  /** The first slot after `now`, or `null` when the trigger is finished. */
  readonly nextRunTime: number | null;
  /**
   * What the trigger threw when asked for a slot after the due ones, or `null`. The due slots
   * still run; the job cannot go on and is paused.
   */
  readonly failure: unknown;
  /** Slots skipped without being enumerated (a step-by-step trigger past {@link MAX_CATCH_UP}). */
  readonly skippedBacklog: boolean;
  /** How many times the trigger was asked (the loop yields to the event loop after a lot of them). */
  readonly calls: number;
}

/**
 * Plans a due job. `firstSlot` is the job's stored next run time (<= now); `nowDate` is `now` as
 * a `Date`, passed in when many jobs are planned at the same instant.
 *
 * Rules: every slot from `firstSlot` up to `now` is due. Slots earlier than `now - graceMs` are
 * missed. The rest are coalesced: `'latest'` runs once for the latest, `'earliest'` once for the
 * earliest, `'all'` once for each, in order.
 *
 * @throws InvalidTriggerError only if the trigger fails on `firstSlot` itself before anything
 *   could be planned; a failure after at least one due slot is reported in `failure` instead.
 */
export function planDueRuns(
  trigger: Trigger,
  firstSlot: number,
  now: number,
  graceMs: number | null,
  coalesce: CoalescePolicy,
  nowDate: Date = new Date(now),
): DuePlan {
  // The common case, one slot due: no walk, no span, one allocation for the run.
  let next: number | null;
  try {
    next = nextAfter(trigger, firstSlot, nowDate);
  } catch (failure) {
    return single(firstSlot, now, graceMs, null, failure, 1);
  }
  if (next === null || next > now) return single(firstSlot, now, graceMs, next, null, 1);

  const keptFrom = graceMs === null ? firstSlot : Math.max(firstSlot, now - graceMs);
  const { missed, kept, nextRunTime, failure, skipped, calls } = scanBacklog(trigger, firstSlot, next, now, keptFrom, nowDate);
  const base = { missed, nextRunTime, failure, skippedBacklog: skipped, calls };
  if (kept === null) return { ...base, run: null, series: null };
  if (kept.count === 1) return { ...base, run: { scheduledRunTime: kept.first, span: null }, series: null };
  if (coalesce === 'all') return { ...base, run: null, series: kept };
  const slot = coalesce === 'latest' ? kept.last : kept.first;
  return { ...base, run: { scheduledRunTime: slot, span: kept }, series: null };
}

/** The plan of a job with one due slot. */
function single(
  slot: number,
  now: number,
  graceMs: number | null,
  nextRunTime: number | null,
  failure: unknown,
  calls: number,
): DuePlan {
  const late = graceMs !== null && now - slot > graceMs;
  return {
    missed: late ? { first: slot, last: slot, count: 1, listed: [slot] } : null,
    run: late ? null : { scheduledRunTime: slot, span: null },
    series: null,
    nextRunTime,
    failure,
    skippedBacklog: false,
    calls,
  };
}

/**
 * A random delay in `[0, jitterMs]` that never starts the run at or after the following slot
 * and never after the trigger's end.
 */
export function jitterDelay(
  jitterMs: number,
  now: number,
  nextRunTime: number | null,
  endDate: number | null,
  random: () => number = Math.random,
): number {
  let cap = jitterMs;
  if (nextRunTime !== null) cap = Math.min(cap, nextRunTime - now - 1);
  if (endDate !== null) cap = Math.min(cap, endDate - now);
  if (!(cap > 0)) return 0;
  return Math.floor(random() * (cap + 1));
}
