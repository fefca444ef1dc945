/**
 * Turns one due job into a plan: which of its due slots run, which are missed, and when it runs
 * next. Pure (apart from the trigger), so the misfire and coalescing rules are tested without a
 * scheduler.
 *
 * @internal
 * @module
 */
import { InvalidTriggerError } from '../errors.js';
import type { CoalescePolicy } from '../stores/job-store.js';
import type { Trigger } from '../triggers/trigger.js';

/** One run to submit: the slot it is for and every slot it stands for. */
export interface PlannedRun {
  scheduledRunTime: number;
  scheduledRunTimes: number[];
}

/** What to do with a due job. */
export interface DuePlan {
  /** Slots older than the misfire grace time: not run, one `job:missed` each. */
  missed: readonly number[];
  /** Runs to submit, in order (several only for coalesce `'all'`). */
  runs: PlannedRun[];
  /** The first slot after `now`, or `null` when the trigger is finished. */
  nextRunTime: number | null;
  /** Slots skipped without being enumerated because the backlog passed {@link MAX_CATCH_UP}. */
  skippedBacklog: boolean;
}

/**
 * Most due slots enumerated for one job in one pass. A job that missed more (an every-second
 * job after days of downtime) has the rest of its backlog skipped, so a catch-up can never stall
 * the loop or exhaust memory.
 */
export const MAX_CATCH_UP = 100_000;

/** The `missed` of a plan without missed slots (the common case), shared rather than allocated. */
const NO_SLOTS: readonly number[] = Object.freeze([]);

/**
 * Plans a due job. `firstSlot` is the job's stored next run time (<= now); `nowDate` is `now` as
 * a `Date`, passed in when many jobs are planned at the same instant.
 *
 * Rules: every slot from `firstSlot` up to `now` is due. Slots later than `graceMs` are missed.
 * The rest are coalesced: `'latest'` runs once for the latest, `'earliest'` once for the
 * earliest, `'all'` once for each.
 *
 * @throws InvalidTriggerError if the trigger returns a time that does not increase.
 */
export function planDueRuns(
  trigger: Trigger,
  firstSlot: number,
  now: number,
  graceMs: number | null,
  coalesce: CoalescePolicy,
  nowDate: Date = new Date(now),
): DuePlan {
  const due: number[] = [firstSlot];
  let next = nextAfter(trigger, firstSlot, nowDate);
  while (next !== null && next <= now && due.length < MAX_CATCH_UP) {
    due.push(next);
    next = nextAfter(trigger, next, nowDate);
  }
  let skippedBacklog = false;
  if (next !== null && next <= now) {
    // Backlog too long to enumerate: resume at the first slot after now.
    skippedBacklog = true;
    const resumed = trigger.getNextFireTime(null, new Date(now + 1));
    next = resumed !== null && resumed.getTime() > now ? resumed.getTime() : null;
  }

  let missed: readonly number[] = NO_SLOTS;
  let kept = due;
  if (graceMs !== null && now - firstSlot > graceMs) {
    const firstKept = due.findIndex((slot) => now - slot <= graceMs);
    const cut = firstKept === -1 ? due.length : firstKept;
    missed = due.slice(0, cut);
    kept = due.slice(cut);
  }
  return { missed, runs: coalesceRuns(kept, coalesce), nextRunTime: next, skippedBacklog };
}

function coalesceRuns(slots: number[], coalesce: CoalescePolicy): PlannedRun[] {
  if (slots.length === 0) return [];
  if (coalesce === 'all') return slots.map((slot) => ({ scheduledRunTime: slot, scheduledRunTimes: [slot] }));
  const slot = coalesce === 'latest' ? (slots[slots.length - 1] as number) : (slots[0] as number);
  return [{ scheduledRunTime: slot, scheduledRunTimes: slots }];
}

/** The trigger's next slot after `previous`, checked to increase strictly. */
export function nextAfter(trigger: Trigger, previous: number, now: Date): number | null {
  const next = trigger.getNextFireTime(new Date(previous), now);
  if (next === null) return null;
  const time = next instanceof Date ? next.getTime() : Number.NaN;
  if (!(time > previous)) {
    throw new InvalidTriggerError(
      'getNextFireTime',
      next,
      `must return a Date later than the previous fire time ${new Date(previous).toISOString()}`,
    );
  }
  return time;
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
