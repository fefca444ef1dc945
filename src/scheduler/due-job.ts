/**
 * What the loop does with one due job it holds the lease of: plan its due slots, report the
 * missed ones, submit the runs, and say how to hand it back to its store.
 *
 * @internal
 * @module
 */
import { IsoMemo } from '../internal/iso-memo.js';
import { MAX_POLICY_SECONDS } from '../internal/validate.js';
import type { JobRecord, JobRelease } from '../stores/job-store.js';
import { MAX_CATCH_UP, MAX_LISTED_SLOTS, type SlotSpan } from './backlog.js';
import type { SchedulerContext } from './context.js';
import { jitterDelay, planDueRuns, type DuePlan, type PlannedRun } from './plan.js';
import type { TaskFunction } from './job.js';
import type { JobSlot } from './job-slots.js';
import type { Trigger } from '../triggers/trigger.js';
import { nextAfter } from './fire-times.js';
import { NO_FIELDS, reportRun } from './run-events.js';
import type { Runner } from './runner.js';

/** The runs of one due job, planned, not yet submitted (see {@link DueJobs.submit}). */
export interface PlannedStart {
  readonly record: JobRecord;
  readonly store: string;
  readonly fn: TaskFunction | null;
  readonly trigger: Trigger;
  /** The one run, or `null` for a coalesce-'all' series. */
  readonly run: PlannedRun | null;
  /** The coalesce-'all' series, or `null`. */
  readonly series: SlotSpan | null;
  readonly delayMs: number;
  /** Whether the runner reads the job again before a delayed or later run (not for finished jobs). */
  readonly recheck: boolean;
  /**
   * Shared stores: the run is the first slot of a coalesce-`'all'` catch-up, and the release
   * holds the job at its next slot `at` while the run lasts (see {@link JobRelease.hold}); if
   * the store refuses the run for `maxInstances`, the job skips to `skipTo` instead.
   */
  readonly hold: { readonly at: number; readonly skipTo: number | null } | null;
}

/**
 * What {@link DueJobs.process} does with the planned runs: `'submit'` them at once; return them to
 * start after a shared store's `'commit'`; or return them to `'hold'` until their due instant.
 */
export type StartMode = 'submit' | 'commit' | 'hold';

/** How the loop hands one job back, and how much trigger work its plan took. */
export interface Processed {
  /** The release to send, or `null` to leave the job leased (an invalid record: see below). */
  readonly release: JobRelease | null;
  /** Trigger calls made (the loop yields to the event loop after many). */
  readonly work: number;
  /** Unless submitted at once: the runs to submit later (see {@link StartMode}); else `null`. */
  readonly start: PlannedStart | null;
}

/** Plans and submits due jobs; reports records that cannot be used once per version. */
export class DueJobs {
  /** ISO strings of the slots being processed: jobs sharing a slot share its conversions. */
  readonly #iso = new IsoMemo();
  /** Versions of invalid records already reported, by store and id: each is reported once. */
  readonly #reported = new Map<string, number>();

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly runner: Runner,
  ) {}

  /**
   * Plans and submits the due runs of one job and says where it goes next. `leaseUntil` is when
   * this scheduler's lease on it ends: runs are never submitted on an expired lease, since
   * another scheduler may have taken the job over by then.
   *
   * A record whose task or trigger cannot be used is reported (once per version) and not
   * released: its lease expires and it is looked at again then, untouched, so the loop never
   * spins on it, and another scheduler that can run it (one with the task registered) may take it.
   */
  process(record: JobRecord, store: string, now: number, nowDate: Date, leaseUntil: number, mode: StartMode = 'submit'): Processed {
    const { id, nextRunTime: acquiredRunTime } = record;
    if (acquiredRunTime === null) return { release: null, work: 1, start: null };
    let plan: DuePlan;
    let trigger;
    let fn;
    let delay = 0;
    const slot = this.ctx.slots.of(id);
    try {
      trigger = this.ctx.triggerOf(record);
      fn = this.ctx.taskOf(record, slot);
      plan = planDueRuns(trigger, this.#iso.toMs(acquiredRunTime), now, gracePeriod(record), record.coalesce, nowDate);
      const jitter = record.jitter ?? trigger.jitter ?? null;
      if ((plan.run !== null || plan.series !== null) && typeof jitter === 'number' && jitter > 0) {
        const end = trigger.endDate instanceof Date ? trigger.endDate.getTime() : null;
        // A custom trigger's jitter is not validated: it is held to the same bound as a job's.
        delay = jitterDelay(Math.min(jitter, MAX_POLICY_SECONDS) * 1000, now, plan.nextRunTime, end);
      }
    } catch (error) {
      this.#invalid(record, store, error, false);
      return { release: null, work: 1, start: null };
    }
    if (plan.skippedBacklog) {
      this.ctx.log('warn', `job ${JSON.stringify(id)} had a backlog of more than ${MAX_CATCH_UP} slots; skipped to the first slot after now`);
    }
    this.#reportMissed(id, store, plan.missed);
    const work = plan.calls + 1;
    if (this.ctx.clock.now() >= leaseUntil) {
      // The lease ran out while planning (a listener that blocked): hand the job back with its
      // missed slots consumed and its runs still due, to be planned again under a new lease.
      const kept = plan.series?.first ?? plan.run?.span?.first ?? plan.run?.scheduledRunTime ?? null;
      if (kept !== null) return { release: { id, acquiredRunTime, nextRunTime: this.#iso.toIso(kept) }, work, start: null };
      if (plan.failure === null) return { release: { id, acquiredRunTime, nextRunTime: this.#next(plan) }, work, start: null };
    }
    // A usable record clears its invalid report (checked first: the key is a string per fire).
    if (this.#reported.size > 0) this.#reported.delete(`${store}\0${id}`);
    if (mode === 'commit' && plan.series !== null && plan.failure === null) {
      // A catch-up on a shared store runs one slot per commit: the job stays held at the next
      // slot while this one runs, then is let go, due again, and planned afresh (by whichever
      // node takes it). A node that dies mid-catch-up leaves the rest to the others.
      const first = plan.series.first;
      const at = plan.series.listed?.[1] ?? (nextAfter(trigger, first, nowDate) as number);
      const run = { scheduledRunTime: first, span: null };
      const hold = { at, skipTo: plan.nextRunTime };
      const start: PlannedStart = { record, store, fn, trigger, run, series: null, delayMs: delay, recheck: true, hold };
      return { release: { id, acquiredRunTime, nextRunTime: this.#iso.toIso(at), hold: true }, work: work + 1, start };
    }
    let start: PlannedStart | null = null;
    // A job whose trigger finished is no longer stored once released: its runs cannot be
    // checked against the store, and need not be (nobody can change it any more).
    const recheck = plan.nextRunTime !== null;
    if (mode !== 'submit' && (plan.run !== null || plan.series !== null)) {
      start = { record, store, fn, trigger, run: plan.run, series: plan.series, delayMs: delay, recheck, hold: null };
    } else {
      // Submitted at once: no PlannedStart is built for the common case.
      this.#submit(record, store, fn, slot, trigger, plan.run, plan.series, delay, recheck, null);
    }
    if (plan.failure !== null) {
      this.#invalid(record, store, plan.failure, true);
      return { release: { id, acquiredRunTime, nextRunTime: null, pause: true }, work, start };
    }
    return { release: { id, acquiredRunTime, nextRunTime: this.#next(plan) }, work, start };
  }

  /**
   * Submits planned runs that waited for their store's commit (`runId` when it recorded them)
   * or for their due instant.
   */
  submit(start: PlannedStart, runId: string | null = null): void {
    const { record, store, fn, trigger, run, series, delayMs, recheck } = start;
    // The slot is looked up again: an idle one may have been swept out meanwhile.
    const slot = this.ctx.slots.of(record.id);
    this.#submit(record, store, fn, slot, trigger, run, series, delayMs, recheck, runId);
  }

  #submit(
    record: JobRecord,
    store: string,
    fn: TaskFunction | null,
    slot: JobSlot,
    trigger: Trigger,
    run: PlannedRun | null,
    series: SlotSpan | null,
    delayMs: number,
    recheck: boolean,
    runId: string | null,
  ): void {
    if (run !== null) this.runner.submit(record, store, fn, slot, run, delayMs, recheck, runId);
    else if (series !== null) this.runner.submitSeries(record, store, fn, slot, trigger, series, delayMs, recheck, runId);
  }

  /** The run `start` stands for, for a report (its first slot). */
  static runOf(start: PlannedStart): PlannedRun {
    return start.run ?? { scheduledRunTime: (start.series as SlotSpan).first, span: start.series };
  }

  #next(plan: DuePlan): string | null {
    return plan.nextRunTime === null ? null : this.#iso.toIso(plan.nextRunTime);
  }

  /** One `job:missed` per slot for a short span, one for the whole span otherwise. */
  #reportMissed(id: string, store: string, missed: SlotSpan | null): void {
    if (missed === null || !this.ctx.events.has('job:missed')) return;
    if (missed.listed !== null && missed.listed.length <= MAX_LISTED_SLOTS) {
      for (const slot of missed.listed) reportRun(this.ctx, 'job:missed', id, store, { scheduledRunTime: slot, span: null }, NO_FIELDS);
    } else {
      reportRun(this.ctx, 'job:missed', id, store, { scheduledRunTime: missed.first, span: missed }, NO_FIELDS);
    }
  }

  /** Logs and emits `job:invalid`; a record left untouched is reported once per version. */
  #invalid(record: JobRecord, store: string, error: unknown, paused: boolean): void {
    const key = `${store}\0${record.id}`;
    if (!paused) {
      if (this.#reported.get(key) === record.version) return;
      this.#reported.set(key, record.version);
    }
    const what = paused
      ? 'ran its due slots, but its trigger failed to give the next one; the job is paused'
      : 'cannot run and is left as it is';
    this.ctx.log('error', `job ${JSON.stringify(record.id)} ${what}`, error);
    this.ctx.emit('job:invalid', { jobId: record.id, store, error, paused });
  }
}

function gracePeriod(record: JobRecord): number | null {
  return record.misfireGraceTime === null ? null : record.misfireGraceTime * 1000;
}
