/**
 * Runs tasks in worker threads, so CPU-heavy work never stalls the main thread's timers, and
 * makes a job's `timeout` a hard limit: a task that ignores its aborted signal is ended with its
 * thread.
 *
 * @module
 */
import type { Clock, Executor, ExecutorContext, RunOutcome, RunRequest } from 'timetable';
import { ExecutorError, InvalidArgumentError, JobCancelledError, JobTimeoutError, TaskNotFoundError } from 'timetable';
import { LongTimer } from '../../clock/long-timer.js';
import { abortQuietly, RunQueue, startCheck, type QueuedRun } from '../run-queue.js';
import { errorData, reviveError, type RunAnswer } from './messages.js';
import { resolveWorkerOptions, type ResolvedWorkerOptions, type WorkerExecutorOptions } from './options.js';
import { describeCrash, describeStartError, WorkerPool, type PoolRun } from './pool.js';

/**
 * A run holding a thread. It is *ended* once its outcome is reported (which at a timeout or a
 * forced shutdown comes before the thread is free) and *settled* once its thread is free again.
 */
interface Active {
  readonly request: RunRequest;
  /** Where the outcome goes. */
  readonly queued: QueuedRun;
  readonly run: PoolRun;
  readonly clock: Clock;
  readonly startedAt: number;
  timer: LongTimer | null;
  ended: boolean;
}

/** What the executor holds while started. */
interface Started {
  readonly pool: WorkerPool;
  readonly clock: Clock;
  readonly alias: string;
}

/**
 * An executor whose tasks are the named exports of a module, each run in one of `workers`
 * threads (at most one run per thread; the rest wait in a FIFO queue). A job on it names a task
 * of the module; its arguments and return value cross the thread boundary by structured clone,
 * and its error comes back with its name, message, stack, `code` and own fields.
 *
 * - At the job's `timeout` the task's signal aborts and the run is reported as timed out; a task
 *   still running `killAfter` seconds later is ended with its thread, which the pool replaces.
 * - A thread that exits, crashes or runs out of memory is replaced; its run is reported with an
 *   `ExecutorError` saying which.
 * - `start()` loads the module once to list its tasks and fails with an `ExecutorError` when it
 *   does not load; from then on the scheduler refuses jobs naming a task the module lacks.
 *
 * @example
 * ```ts
 * import { Scheduler } from 'timetable';
 * import { WorkerExecutor } from 'timetable/executors/worker';
 *
 * const scheduler = new Scheduler({
 *   executors: { cpu: new WorkerExecutor({ taskModule: new URL('./tasks.mjs', import.meta.url), workers: 2 }) },
 * });
 * await scheduler.start();
 * await scheduler.addJob('buildReport', '0 0 6 * * *', { executor: 'cpu', args: ['daily'], timeout: 600 });
 * ```
 */
export class WorkerExecutor implements Executor {
  /** The options as checked, with their defaults. */
  readonly #options: ResolvedWorkerOptions;
  #started: Started | null = null;
  #starting: Promise<void> | null = null;
  /** The clock of the last start, kept after shutdown for the times of refused runs. */
  #clock: Clock | null = null;
  /** The task names the module exported at the last start. */
  #tasks: ReadonlySet<string> | null = null;
  readonly #running = new Set<Active>();
  readonly #queue = new RunQueue(
    () => (this.#started === null ? 0 : this.#options.workers - this.#running.size),
    () => this.#running.size,
    (queued) => {
      this.#begin(this.#started as Started, queued);
      return null;
    },
  );

  /**
   * @param options - `taskModule` (required), `workers`, `maxQueue`, `killAfter`, `resourceLimits`, `execArgv`, `niceness`
   * @throws InvalidArgumentError naming the option at fault
   */
  constructor(options: WorkerExecutorOptions) {
    this.#options = resolveWorkerOptions(options);
  }

  /** How many worker threads run tasks. */
  get workers(): number {
    return this.#options.workers;
  }

  /** The task module, as a `file:` URL. */
  get taskModule(): string {
    return this.#options.url;
  }

  /**
   * Starts the threads and loads the task module once to list its tasks. A second call while
   * started (or starting) does nothing more.
   *
   * @param context - the scheduler's clock, logger and this executor's alias
   * @throws ExecutorError when the threads cannot start or the module does not load (the error
   *   as `cause`); no thread is left running
   */
  async start(context: ExecutorContext): Promise<void> {
    if (typeof context?.clock?.now !== 'function' || typeof context.clock.setTimeout !== 'function') {
      throw new InvalidArgumentError('context.clock', context?.clock, 'a Clock');
    }
    if (this.#started !== null) return;
    this.#starting ??= this.#start(context).finally(() => (this.#starting = null));
    await this.#starting;
  }

  async #start(context: ExecutorContext): Promise<void> {
    const { alias, clock } = context;
    this.#clock = clock;
    const log: ExecutorContext['log'] = typeof context.log === 'function' ? context.log : () => undefined;
    const where = `executor ${JSON.stringify(alias)}`;
    let pool: WorkerPool | null = null;
    let tasks: string[];
    try {
      pool = new WorkerPool(this.#options, (error) =>
        log('error', 'a worker thread failed while no task was running on it; it was replaced', error),
      );
      const answer = await pool.inspect(this.#options.url);
      if (!answer.ok) throw reviveError(answer.error);
      tasks = answer.tasks;
    } catch (cause) {
      await pool?.destroy();
      throw new ExecutorError(`${where}: ${pool === null ? 'its worker threads could not start' : `the task module ${this.#options.url} did not load`}: ${describeStartError(cause)}`, { cause });
    }
    if (tasks.length === 0) log('warn', `the task module ${this.#options.url} exports no function: no job can run on it`);
    this.#tasks = new Set(tasks);
    this.#started = { pool, clock, alias };
    this.#queue.accepting = true;
  }

  /**
   * Whether the task module exports a function `name`, as of the last `start()`; `undefined`
   * before the first one has loaded it.
   *
   * @param name - a task name
   */
  hasTask(name: string): boolean | undefined {
    return this.#tasks?.has(name);
  }

  /**
   * Queues one run and resolves with how it ended; never rejects. A run that cannot start
   * before its deadline is `'missed'`; one submitted before `start` or after `shutdown` is
   * `'cancelled'`; one beyond `maxQueue` is an `'error'` with an `ExecutorError`.
   *
   * @param request - the run to perform
   */
  submit(request: RunRequest): Promise<RunOutcome> {
    const started = this.#started;
    if (!this.#queue.accepting || started === null) return Promise.resolve({ status: 'cancelled', checkedAt: this.#now() });
    // Queued runs not yet started take the free threads first; the rest are waiting.
    const waiting = this.#queue.length - (this.#options.workers - this.#running.size);
    if (waiting >= this.#options.maxQueue) {
      const now = started.clock.now();
      const error = new ExecutorError(
        `executor ${JSON.stringify(started.alias)}: ${waiting} runs are waiting for a thread (maxQueue); the run of job ${JSON.stringify(request.jobId)} was refused`,
      );
      return Promise.resolve({ status: 'error', error, startedAt: now, finishedAt: now });
    }
    return this.#queue.push(request);
  }

  /**
   * Stops accepting runs and ends the threads. With `wait: true`, queued runs still start and
   * the threads end once every run has ended (a timed-out run whose task ignores its signal
   * counts until it is ended with its thread, `killAfter` later). With `wait: false`, queued runs
   * end as `'cancelled'`, running ones end at once as `'cancelled'` with their `startedAt`, and
   * their threads are terminated. Either way no thread is left: the process can exit.
   *
   * @param options - `wait`: whether to wait for queued and running runs
   */
  async shutdown(options: { wait: boolean }): Promise<void> {
    if (typeof options?.wait !== 'boolean') throw new InvalidArgumentError('options.wait', options?.wait, 'true or false');
    // A start in progress finishes first, so that its threads are ended here too.
    await this.#starting?.catch(() => undefined);
    this.#queue.accepting = false;
    if (options.wait) await this.#queue.drained();
    const checkedAt = this.#now();
    this.#queue.cancelQueued(checkedAt);
    for (const active of [...this.#running]) {
      // The thread is terminated below: the task gets no time to react to its signal.
      abortQuietly(active.request, new JobCancelledError(active.request.jobId));
      this.#end(active, { status: 'cancelled', checkedAt, startedAt: active.startedAt });
      this.#release(active);
    }
    // A forced shutdown also releases earlier graceful ones still waiting for these runs.
    this.#queue.releaseWaiters();
    const started = this.#started;
    this.#started = null;
    await started?.pool.destroy();
  }

  #now(): number {
    return this.#clock === null ? Date.now() : this.#clock.now();
  }

  #begin(started: Started, queued: QueuedRun): void {
    const { request } = queued;
    const { clock } = started;
    const startedAt = clock.now();
    const problem = startCheck(request, startedAt);
    if (problem === 'missed') {
      queued.resolve({ status: 'missed', checkedAt: startedAt });
      return;
    }
    if (problem === 'bad-timeout') {
      const error = new InvalidArgumentError('request.timeoutMs', request.timeoutMs, 'null or a finite number >= 0');
      queued.resolve({ status: 'error', error, startedAt, finishedAt: startedAt });
      return;
    }
    const { timeoutMs } = request;
    const run = started.pool.run(
      {
        kind: 'run',
        url: this.#options.url,
        task: request.task,
        args: request.args,
        record: request.record,
        store: request.store,
        scheduledRunTime: request.scheduledRunTime,
      },
      timeoutMs !== null,
    );
    const active: Active = { request, queued, run, clock, startedAt, timer: null, ended: false };
    this.#running.add(active);
    if (timeoutMs !== null) active.timer = new LongTimer(clock, timeoutMs, () => this.#timedOut(active, timeoutMs));
    run.answer.then(
      (answer) => this.#answered(started, active, answer),
      (error: unknown) => {
        if (!active.ended) this.#end(active, this.#failed(active, describeCrash(started.alias, request.jobId, error)));
        this.#release(active);
      },
    );
  }

  #answered(started: Started, active: Active, answer: RunAnswer): void {
    if (!active.ended) {
      const { clock, startedAt } = active;
      if (answer.status === 'success') {
        this.#end(active, { status: 'success', returnValue: answer.value, startedAt, finishedAt: clock.now() });
      } else {
        const where = `executor ${JSON.stringify(started.alias)}`;
        const error =
          answer.status === 'error'
            ? reviveError(answer.error)
            : answer.status === 'missing'
              ? new TaskNotFoundError(active.request.task, `the task module of ${where} does not export it`)
              : new ExecutorError(
                  `${where}: the task of job ${JSON.stringify(active.request.jobId)} returned a value that cannot be sent back from a worker thread: ${answer.what}`,
                );
        this.#end(active, this.#failed(active, error));
      }
    }
    this.#release(active);
  }

  #failed(active: Active, error: unknown): RunOutcome {
    return { status: 'error', error, startedAt: active.startedAt, finishedAt: active.clock.now() };
  }

  /** Aborts the task's signal, reports the timeout, and ends the thread `killAfter` later. */
  #timedOut(active: Active, timeoutMs: number): void {
    const error = new JobTimeoutError(active.request.jobId, timeoutMs / 1000);
    active.run.abort(errorData(error));
    abortQuietly(active.request, error);
    this.#end(active, { status: 'timeout', startedAt: active.startedAt, finishedAt: active.clock.now() });
    active.timer = new LongTimer(active.clock, this.#options.killAfterMs, () => {
      active.timer = null;
      active.run.kill();
    });
  }

  /** Reports how a run ended (once); its thread may still be busy. */
  #end(active: Active, outcome: RunOutcome): void {
    if (active.ended) return;
    active.ended = true;
    active.timer?.cancel();
    active.timer = null;
    active.queued.resolve(outcome);
  }

  /** Frees the run's thread for the next queued run. */
  #release(active: Active): void {
    if (!this.#running.delete(active)) return;
    active.timer?.cancel();
    active.timer = null;
    this.#queue.pump();
  }
}
