/**
 * `timetable`: a job scheduler for Node.js. A {@link Scheduler} composes job stores, executors
 * and triggers; see the guides in `docs/` for the concepts and the run policies.
 *
 * @example
 * ```ts
 * import { Scheduler, IntervalTrigger } from 'timetable';
 *
 * const scheduler = new Scheduler();
 * await scheduler.addJob(() => console.log('tick'), new IntervalTrigger({ seconds: 5 }));
 * await scheduler.start();
 * ```
 *
 * @module
 */
export { Scheduler } from './scheduler/scheduler.js';
export type { SchedulerState } from './scheduler/scheduler.js';
export type { SchedulerOptions, JobDefaults } from './scheduler/options.js';
export type { Logger } from './logger.js';
export type {
  Job,
  JobContext,
  AddJobOptions,
  JobChanges,
  TaskFunction,
  TriggerInput,
  CoalesceOption,
  TaskMap,
  TaskArgs,
  ArgsFor,
} from './scheduler/job.js';

export * from './triggers/index.js';

export { MemoryJobStore } from './stores/memory.js';
export type { JobStore, JobRecord, JobRelease, JobStoreContext, CoalescePolicy } from './stores/job-store.js';
export type { SharedRuns, SharedJobStore, RunStart, AbandonedRun, CommitResult } from './stores/runs.js';

export { PromiseExecutor } from './executors/promise.js';
export type { PromiseExecutorOptions } from './executors/promise.js';
export type {
  Executor,
  ExecutorContext,
  RunRequest,
  RunOutcome,
  RunSucceeded,
  RunFailed,
  RunTimedOut,
  RunNotStarted,
} from './executors/executor.js';

export { SystemClock } from './clock/clock.js';
export type { Clock, ClockTimer } from './clock/clock.js';

export { SCHEDULER_EVENT_NAMES } from './events/event-names.js';
export type {
  SchedulerEventMap,
  SchedulerEventName,
  BaseEvent,
  AliasEvent,
  JobEvent,
  RunEvent,
  JobExecutedEvent,
  JobErrorEvent,
  JobRemovedEvent,
  JobsClearedEvent,
  JobInvalidEvent,
  JobAbandonedEvent,
  StoreErrorEvent,
} from './events/event-map.js';

export {
  SchedulerError,
  InvalidArgumentError,
  InvalidTriggerError,
  JobNotFoundError,
  ConflictingIdError,
  SchedulerStateError,
  TaskNotFoundError,
  StoreNotFoundError,
  ExecutorNotFoundError,
  SerializationError,
  MaxIterationsError,
  MaxInstancesReachedError,
  JobTimeoutError,
  JobCancelledError,
  StoreError,
  ConcurrentModificationError,
  ExecutorError,
} from './errors.js';
export type { SchedulerErrorCode, SchedulerErrorOptions } from './errors.js';
