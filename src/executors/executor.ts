/**
 * The executor contract (types only). An executor runs one job run at a time per request and
 * reports how it ended. It never throws and never rejects for a task's failure: every ending,
 * including a timeout, a missed start and a cancellation, is a {@link RunOutcome}.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { JsonValue } from '../json.js';
import type { JobRecord } from '../stores/job-store.js';

/** One run handed to an executor. */
export interface RunRequest {
  /** The job id, for reporting. */
  readonly jobId: string;
  /**
   * The task name. Executors that run tasks elsewhere (see {@link Executor.hasTask}) resolve it
   * by name; for the others it is a task registered with the scheduler.
   */
  readonly task: string;
  /** The job's arguments (for executors that run tasks elsewhere; JSON values, so they clone). */
  readonly args: readonly JsonValue[];
  /**
   * The job as stored when the run was planned (for executors that run tasks elsewhere, which
   * hand the task a copy of it). Never mutate it.
   */
  readonly record: JobRecord;
  /** The alias of the store the job is in. */
  readonly store: string;
  /** The slot this run is for (epoch ms). */
  readonly scheduledRunTime: number;
  /**
   * Calls the task in this process with the job's arguments and its context. In-process
   * executors call this; its result may be a promise. For a job whose executor runs tasks by
   * name elsewhere it throws `TaskNotFoundError` when the task is not registered here.
   */
  readonly call: () => unknown;
  /**
   * Aborts the signal the task received. Executors call it on timeout and on
   * `shutdown({ wait: false })`.
   */
  readonly abort: (reason: Error) => void;
  /**
   * Latest instant (epoch ms) at which the run may start; a run that cannot start by then ends
   * as `'missed'` without calling the task. `null` = no limit.
   */
  readonly deadline: number | null;
  /** Milliseconds after its start at which the run is aborted and ends as `'timeout'`; `null` = none. */
  readonly timeoutMs: number | null;
}

/** The task returned (or its promise resolved). */
export interface RunSucceeded {
  /** Discriminant. */
  readonly status: 'success';
  /** What the task returned, awaited. */
  readonly returnValue: unknown;
  /** When the task was called (epoch ms). */
  readonly startedAt: number;
  /** When it settled (epoch ms). */
  readonly finishedAt: number;
}

/** The task threw (or its promise rejected). */
export interface RunFailed {
  /** Discriminant. */
  readonly status: 'error';
  /** What the task threw. */
  readonly error: unknown;
  /** When the task was called (epoch ms). */
  readonly startedAt: number;
  /** When it settled (epoch ms). */
  readonly finishedAt: number;
}

/** The task ran longer than its `timeoutMs`; its signal was aborted. */
export interface RunTimedOut {
  /** Discriminant. */
  readonly status: 'timeout';
  /** When the task was called (epoch ms). */
  readonly startedAt: number;
  /** When the timeout fired (epoch ms). */
  readonly finishedAt: number;
}

/**
 * The run did not run to its end: its deadline had passed before it could start, or a shutdown
 * dropped it before it started, or `shutdown({ wait: false })` stopped waiting for it while it ran.
 */
export interface RunNotStarted {
  /**
   * `'missed'`: past its deadline, not started; `'cancelled'`: dropped by a shutdown before it
   * started, or, with {@link RunNotStarted.startedAt}, abandoned by a forced shutdown while running.
   */
  readonly status: 'missed' | 'cancelled';
  /** When the executor decided (epoch ms). */
  readonly checkedAt: number;
  /**
   * Set only for a run a forced shutdown abandoned while it ran: when its task was called. The
   * task was left to settle on its own; whatever it does later is not reported.
   */
  readonly startedAt?: number;
}

/** How a run ended. Times are epoch milliseconds from the executor's clock. */
export type RunOutcome = RunSucceeded | RunFailed | RunTimedOut | RunNotStarted;

/** Context an executor receives when the scheduler starts it. */
export interface ExecutorContext {
  /** The alias the executor is registered under. */
  alias: string;
  /** The scheduler's clock: use it for every timestamp and timer. */
  clock: Clock;
  /**
   * Reports a problem outside any run (a worker that failed while idle) to the scheduler's
   * logger; never throws.
   */
  log(level: 'info' | 'warn' | 'error', message: string, ...details: unknown[]): void;
}

/** Runs job runs. */
export interface Executor {
  /** Called when the scheduler starts (or when the executor is added to a running scheduler). */
  start?(context: ExecutorContext): Promise<void> | void;

  /**
   * Present on executors that run tasks by name somewhere else (another thread or process), so
   * their jobs need no task registered with the scheduler, and cannot be given a function. Says
   * whether the executor can run the task `name`: `true` or `false` when it knows (the scheduler
   * then refuses a job naming a task it cannot run with `TaskNotFoundError`), `undefined` when it
   * cannot know yet (before `start`): such a job is accepted, and a missing task is reported
   * when a run is attempted.
   */
  hasTask?(name: string): boolean | undefined;

  /**
   * Runs one request (possibly after queueing it) and resolves with its outcome. Never rejects.
   */
  submit(request: RunRequest): Promise<RunOutcome>;

  /**
   * Stops accepting runs. With `wait: true` resolves once every queued and running run has
   * ended. With `wait: false` ends queued runs as `'cancelled'`, aborts the signals of running
   * runs and ends them at once as `'cancelled'` (with `startedAt`), so that none keeps its slot
   * or its job's instance when the scheduler starts again, and resolves at once; the abandoned
   * tasks are left to settle on their own. Must leave no timer or handle behind.
   */
  shutdown(options: { wait: boolean }): Promise<void>;
}
