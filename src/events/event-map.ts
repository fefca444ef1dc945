/**
 * The scheduler's events (types only). Subscribe with `scheduler.on(name, listener)`; the
 * payload type follows from the name. Every payload has `type` (the event name) and
 * `timestamp` (when it was emitted, from the scheduler's clock).
 *
 * @module
 */

/** Fields of every event. */
export interface BaseEvent<T extends string> {
  /** The event name. */
  readonly type: T;
  /** When the event was emitted. */
  readonly timestamp: Date;
}

/** Events about a store or an executor. */
export interface AliasEvent<T extends string> extends BaseEvent<T> {
  /** The store or executor alias. */
  readonly alias: string;
}

/** Events about one job. */
export interface JobEvent<T extends string> extends BaseEvent<T> {
  /** The job id. */
  readonly jobId: string;
  /** Alias of the store holding the job. */
  readonly store: string;
}

/**
 * Events about one run of a job, or about slots that did not run. A run stands for one slot,
 * or for several when coalesced; a `job:missed` report stands for one missed slot, or for a
 * whole span of them after a long outage.
 */
export interface RunEvent<T extends string> extends JobEvent<T> {
  /**
   * The slot the run is for (for a coalesced run, the chosen one; for a span of missed slots,
   * the first of them).
   */
  readonly scheduledRunTime: Date;
  /**
   * The slots the event stands for, in order: every one of them when there are at most 100;
   * for more, only the first and the last (see `slotCount`).
   */
  readonly scheduledRunTimes: readonly Date[];
  /**
   * How many slots the event stands for: 1 for a plain run. `null` when a long backlog was
   * jumped over without counting its slots (counting them would cost time in proportion to the
   * outage); `scheduledRunTimes` then still gives the first and the last.
   */
  readonly slotCount: number | null;
  /** The scheduler that runs (or skipped) it: its `identity`, as in a shared store's leases. */
  readonly node: string;
}

/** A run finished without throwing. */
export interface JobExecutedEvent extends RunEvent<'job:executed'> {
  /** What the task returned (awaited). */
  readonly returnValue: unknown;
  /** Milliseconds from the task's start to its end. */
  readonly durationMs: number;
}

/** A run threw, rejected, timed out (`JobTimeoutError`) or was cancelled (`JobCancelledError`). */
export interface JobErrorEvent extends RunEvent<'job:error'> {
  /** What the task threw, or the timeout / cancellation error. */
  readonly error: unknown;
  /** Milliseconds from the task's start to its end (0 if it never started). */
  readonly durationMs: number;
}

/** A removed job: `reason` says why. */
export interface JobRemovedEvent extends JobEvent<'job:removed'> {
  /** `'removed'` by a call, `'finished'` when its trigger has no more times, `'replaced'` by an add. */
  readonly reason: 'removed' | 'finished' | 'replaced';
}

/** All jobs of one store (or of every store) were removed. */
export interface JobsClearedEvent extends BaseEvent<'jobs:cleared'> {
  /** The store alias, or `null` when every store was cleared. */
  readonly store: string | null;
}

/**
 * A stored record could not be used (unknown task, unreadable trigger): it is left as it is and
 * tried again later (reported once per version of the record). Or its trigger failed to give a
 * next time after the job's due slots ran: the job is then paused (`paused: true`).
 */
export interface JobInvalidEvent extends JobEvent<'job:invalid'> {
  /** Why the record could not be used. */
  readonly error: unknown;
  /**
   * `true` when the scheduler ran the job's due slots and then paused it, because its trigger
   * could not give the slot after them (for example an `AndTrigger` whose search hit
   * `maxIterations`); resume or reschedule it once the trigger is fixed. `false` when the record
   * was left untouched.
   */
  readonly paused: boolean;
}

/**
 * A run that was recorded in a shared store as started, but whose scheduler stopped extending
 * its lease (it was killed, or lost the store for longer than the lease): found and reported by
 * another scheduler (or by the same one after a restart). Whether the task ran to its end is not
 * known; the slot is not run again.
 */
export interface JobAbandonedEvent extends JobEvent<'job:abandoned'> {
  /** The slot the run was for. */
  readonly scheduledRunTime: Date;
  /** The scheduler that started it (its `identity`). */
  readonly node: string;
  /** The run's id in the store. */
  readonly runId: string;
}

/** A store call failed inside the scheduling loop; the loop retries. */
export interface StoreErrorEvent extends AliasEvent<'store:error'> {
  /** The error the store threw. */
  readonly error: unknown;
}

/** Every event the scheduler emits, by name. */
export interface SchedulerEventMap {
  /** `start()` finished: stores and executors are started and pending jobs written. */
  'scheduler:started': BaseEvent<'scheduler:started'>;
  /** `shutdown()` finished. */
  'scheduler:shutdown': BaseEvent<'scheduler:shutdown'>;
  /** `pause()`: processing stopped, the scheduler stays started. */
  'scheduler:paused': BaseEvent<'scheduler:paused'>;
  /** `resume()`: processing restarted. */
  'scheduler:resumed': BaseEvent<'scheduler:resumed'>;
  /** A store was added. */
  'store:added': AliasEvent<'store:added'>;
  /** A store was removed. */
  'store:removed': AliasEvent<'store:removed'>;
  /** A store call inside the loop failed (the loop retries later). */
  'store:error': StoreErrorEvent;
  /** An executor was added. */
  'executor:added': AliasEvent<'executor:added'>;
  /** An executor was removed. */
  'executor:removed': AliasEvent<'executor:removed'>;
  /** A job was added to a store (at `start()` for jobs added while stopped). */
  'job:added': JobEvent<'job:added'>;
  /** A job was changed (`modifyJob`, `rescheduleJob`, `pauseJob`, `resumeJob`). */
  'job:modified': JobEvent<'job:modified'>;
  /** A job was removed. */
  'job:removed': JobRemovedEvent;
  /** A stored record could not be used and was left untouched. */
  'job:invalid': JobInvalidEvent;
  /** `removeAllJobs()`. */
  'jobs:cleared': JobsClearedEvent;
  /** A run was handed to its executor. */
  'job:submitted': RunEvent<'job:submitted'>;
  /** A run finished without throwing. */
  'job:executed': JobExecutedEvent;
  /** A run failed. */
  'job:error': JobErrorEvent;
  /**
   * Slots were not run because they were later than `misfireGraceTime`: one event per slot when a
   * job missed at most 100 in one look, else one event for the whole span (`slotCount`).
   */
  'job:missed': RunEvent<'job:missed'>;
  /** A run was skipped because the job had `maxInstances` runs in flight (on every node of a shared store). */
  'job:max-instances': RunEvent<'job:max-instances'>;
  /** A run of a scheduler that died was found in a shared store. */
  'job:abandoned': JobAbandonedEvent;
}

/** The name of any scheduler event. */
export type SchedulerEventName = keyof SchedulerEventMap;
