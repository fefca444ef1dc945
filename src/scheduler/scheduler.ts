/**
 * The `Scheduler`: composes job stores, executors, triggers and a clock, and exposes the
 * public API. It is the only part that knows all the others.
 *
 * @module
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { SystemClock } from '../clock/clock.js';
import {
  ExecutorNotFoundError,
  InvalidArgumentError,
  SchedulerStateError,
  StoreNotFoundError,
} from '../errors.js';
import type { SchedulerEventMap } from '../events/event-map.js';
import type { Executor } from '../executors/executor.js';
import { PromiseExecutor } from '../executors/promise.js';
import { checkBoolean, checkOptions, checkString } from '../internal/validate.js';
import type { JobStore } from '../stores/job-store.js';
import { MemoryJobStore } from '../stores/memory.js';
import type { Trigger, TriggerFactory } from '../triggers/trigger.js';
import { SchedulerContext, type SchedulerState } from './context.js';
import type { AddJobOptions, ArgsFor, Job, JobChanges, TaskFunction, TaskMap, TriggerInput } from './job.js';
import { JobOperations } from './jobs.js';
import { SchedulingLoop } from './loop.js';
import { checkSchedulerOptions, silentLogger, type SchedulerOptions } from './options.js';
import { checkClock, checkExecutor, checkLogger, checkStore, checkTask } from './parts.js';
import { Runner } from './runner.js';
import { DueJobs } from './due-job.js';
import { Lifecycle } from './lifecycle.js';
import { StoppedReads } from './stopped-reads.js';
import { claimAlias } from './aliases.js';
import { resolveTrigger } from './trigger-input.js';

export type { SchedulerState };

/**
 * Schedules jobs: a task, a trigger that says when, and run policies.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({ timezone: 'Europe/Berlin' });
 * await scheduler.addJob(() => console.log('tick'), { type: 'interval', seconds: 5 });
 * await scheduler.start();
 * // ... later
 * await scheduler.shutdown();
 * ```
 *
 * @typeParam Tasks - the tasks the type checker knows, from the `tasks` option or chained
 *   `registerTask` calls: `addJob` checks a job's `args` against its task's parameters
 */
export class Scheduler<Tasks extends TaskMap = {}> {
  readonly #ctx: SchedulerContext;
  readonly #runner: Runner;
  readonly #loop: SchedulingLoop;
  readonly #jobs: JobOperations;
  readonly #lifecycle: Lifecycle;

  /**
   * @param options - every part has a default: a memory store, a promise executor, the system
   *   clock and the host's time zone
   * @throws InvalidArgumentError for an unknown option or a bad value
   */
  constructor(options: SchedulerOptions<Tasks> = {}) {
    const { given, timezone, maxWaitMs, leaseMs, jobDefaults } = checkSchedulerOptions(options);
    const identity = given.identity ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const clock = given.clock === undefined ? new SystemClock() : checkClock(given.clock);
    const logger = given.logger === undefined ? silentLogger : checkLogger(given.logger);
    this.#ctx = new SchedulerContext(this, clock, logger, timezone, identity, maxWaitMs, leaseMs, jobDefaults);
    for (const [alias, store] of Object.entries(given.stores ?? {})) {
      this.#ctx.stores.set(alias, checkStore(store, `options.stores.${alias}`));
    }
    for (const [alias, executor] of Object.entries(given.executors ?? {})) {
      this.#ctx.executors.set(alias, checkExecutor(executor, `options.executors.${alias}`));
    }
    if (!this.#ctx.stores.has('default')) this.#ctx.stores.set('default', new MemoryJobStore());
    if (!this.#ctx.executors.has('default')) this.#ctx.executors.set('default', new PromiseExecutor());
    for (const [name, fn] of Object.entries(given.tasks ?? {})) this.registerTask(name, fn);
    this.#runner = new Runner(this.#ctx);
    this.#loop = new SchedulingLoop(this.#ctx, { runner: this.#runner, jobs: new DueJobs(this.#ctx, this.#runner) });
    this.#ctx.wakeup = () => this.#loop.wakeup();
    const stoppedReads = new StoppedReads(this.#ctx);
    this.#jobs = new JobOperations(this.#ctx, this.#runner, this.#loop, () => this.#lifecycle.settled(), stoppedReads);
    this.#lifecycle = new Lifecycle(this.#ctx, this.#runner, this.#loop, this.#jobs, stoppedReads);
  }

  /** `'stopped'`, `'running'` or `'paused'` (started, but not running jobs). */
  get state(): SchedulerState {
    return this.#ctx.state;
  }

  /** The IANA zone used by triggers that name none. */
  get timezone(): string {
    return this.#ctx.timezone;
  }

  /** This scheduler's identity in shared stores. */
  get identity(): string {
    return this.#ctx.identity;
  }

  /** Aliases of the job stores. */
  get stores(): string[] {
    return [...this.#ctx.stores.keys()];
  }

  /** Aliases of the executors. */
  get executors(): string[] {
    return [...this.#ctx.executors.keys()];
  }

  /** Names of the registered tasks (the only ones that jobs in persistent stores may run). */
  get taskNames(): string[] {
    return [...this.#ctx.tasks.keys()];
  }

  /**
   * Registers a task under a name, so jobs can name it (and persistent stores can keep it).
   * Returns this scheduler, typed to know the task: chained, `addJob` then checks the `args` of
   * jobs naming it.
   * @throws InvalidArgumentError if the name is taken by another function
   */
  registerTask<N extends string, F extends TaskFunction>(name: N, fn: F): Scheduler<Tasks & Record<N, F>> {
    checkString(name, 'name');
    checkTask(fn, `task ${JSON.stringify(name)}`);
    const existing = this.#ctx.tasks.get(name);
    if (existing && existing !== fn) {
      throw new InvalidArgumentError('name', name, 'a task name that is not registered to another function');
    }
    this.#ctx.tasks.set(name, fn);
    return this as Scheduler<Tasks & Record<N, F>>;
  }

  /**
   * Registers a custom trigger type, so jobs using it can be rebuilt from their JSON spec (and
   * stored in persistent stores). Each scheduler has its own registry.
   */
  registerTriggerType(type: string, fromJSON: TriggerFactory): this {
    this.#ctx.triggers.register(type, fromJSON);
    return this;
  }

  /**
   * The trigger `addJob` would make of `input` (a crontab string, a JSON spec of a built-in or
   * registered type, or a trigger), in the scheduler's zone; nothing is added. For previews:
   * `nextFireTimes(scheduler.trigger('30 9 * * 1-5'), 5)`.
   *
   * @param input - a crontab string, a JSON trigger spec or a `Trigger`
   * @throws InvalidTriggerError naming the field at fault
   */
  trigger(input: TriggerInput): Trigger {
    return resolveTrigger(this.#ctx, input, false).trigger;
  }

  /**
   * Adds a job. While the scheduler is stopped the job is kept pending and written to its store
   * at `start()` (its first run time is computed then, unless `nextRunTime` is given).
   *
   * @param task - a registered task name, or a function (non-persistent stores only)
   * @param trigger - a `Trigger`, a JSON spec such as `{ type: 'interval', minutes: 5 }`, or a
   *   crontab string such as `'*\/15 9-17 * * 1-5'`
   * @throws ConflictingIdError, TaskNotFoundError, InvalidTriggerError, InvalidArgumentError,
   *   StoreNotFoundError, ExecutorNotFoundError — and nothing is changed
   */
  addJob<T extends string | TaskFunction>(task: T, trigger: TriggerInput, options?: AddJobOptions<ArgsFor<Tasks, T>>): Promise<Job> {
    return this.#jobs.add(task, trigger, options);
  }

  /**
   * Changes a job atomically: every change is validated before any is applied. A new trigger is
   * checked as `addJob` checks it, also for a paused job. Changes this process makes to one job
   * are applied one after another, in call order.
   * @throws JobNotFoundError, InvalidArgumentError, InvalidTriggerError, TaskNotFoundError,
   *   ExecutorNotFoundError — and nothing is changed
   */
  modifyJob(id: string, changes: JobChanges): Promise<Job> {
    return this.#jobs.modify(id, changes);
  }

  /**
   * Gives a job a new trigger; its next run time is computed from now (a paused job stays
   * paused). @throws JobNotFoundError, InvalidTriggerError — and nothing is changed
   */
  rescheduleJob(id: string, trigger: TriggerInput): Promise<Job> {
    return this.#jobs.modify(id, { trigger });
  }

  /** Pauses a job: it keeps its place in the store and does not run until resumed. */
  pauseJob(id: string): Promise<Job> {
    return this.#jobs.pause(id);
  }

  /**
   * Resumes a paused job from now: runs it missed while paused are skipped. A job whose trigger
   * has no time left is removed and `undefined` returned.
   * @throws JobNotFoundError; InvalidTriggerError if the trigger throws or returns no valid
   *   `Date` (the job then stays paused)
   */
  resumeJob(id: string): Promise<Job | undefined> {
    return this.#jobs.resume(id);
  }

  /**
   * Runs a job now, outside its schedule, through its executor (resolves once submitted). The
   * schedule does not change.
   * @throws MaxInstancesReachedError if the job already has `maxInstances` runs in flight
   */
  async runJob(id: string): Promise<void> {
    this.#requireStarted('runJob');
    await this.#jobs.runNow(id);
  }

  /** Removes a job. @throws JobNotFoundError */
  removeJob(id: string): Promise<void> {
    return this.#jobs.remove(id);
  }

  /** Removes every job of one store, or of all stores. */
  removeAllJobs(store?: string): Promise<void> {
    return this.#jobs.removeAll(store);
  }

  /**
   * The job with this id, or `undefined`. While stopped, a pending job, or else the job in a
   * store (each store is opened for the read and closed again).
   */
  getJob(id: string): Promise<Job | undefined> {
    return this.#jobs.get(id);
  }

  /**
   * Every job (of one store), by next run time, paused jobs last. While stopped: the jobs in the
   * stores (each opened for the read and closed again; a store that cannot be opened fails the
   * call with its error), followed by the pending jobs, which replace stored ones of the same id.
   */
  getJobs(store?: string): Promise<Job[]> {
    return this.#jobs.list(store);
  }

  /**
   * Starts the stores and executors, writes pending jobs and begins running jobs. Returns once
   * started; jobs run in the background of the process.
   *
   * Pending jobs are written all or none: if a pending job's trigger fails, an id is taken or
   * a store write fails, the writes already made are undone, no `job:added` is emitted, every
   * job stays pending and the scheduler stays stopped.
   *
   * @param options - `paused: true` starts without running jobs until `resume()`
   * @throws SchedulerStateError if already started; ConflictingIdError if a pending job's id is
   *   taken in its store; InvalidTriggerError if a pending job's trigger fails; what a store
   *   throws
   */
  async start(options?: { paused?: boolean }): Promise<void> {
    const given = checkOptions(options, 'options', ['paused']);
    const paused = given.paused === undefined ? false : checkBoolean(given.paused, 'options.paused');
    await this.#lifecycle.start(paused);
    this.#ctx.emit('scheduler:started', {});
    this.#loop.wakeup();
  }

  /**
   * Stops the scheduler. With `wait: true` (the default) resolves after running jobs finish;
   * with `wait: false` aborts their signals and resolves at once. A `wait: false` call during a
   * graceful shutdown forces it. Runs still waiting out their jitter are cancelled either way.
   * Afterwards no timer or handle of the scheduler keeps the process alive.
   *
   * Called from a task of this scheduler (through `context.scheduler`, or before the task's
   * first `await`), a graceful shutdown resolves once no new run starts instead of when every
   * run has ended (it cannot end before the caller does); `scheduler:shutdown` still marks the
   * end, and errors of the rest of the shutdown are logged.
   *
   * @throws SchedulerStateError when stopped, or already shutting down (except for the forcing
   *   `wait: false`)
   */
  async shutdown(options?: { wait?: boolean }): Promise<void> {
    // Read before anything else: the mark lasts only for the synchronous code of the caller.
    const fromRun = this.#ctx.calledFromRun;
    const given = checkOptions(options, 'options', ['wait']);
    const wait = given.wait === undefined ? true : checkBoolean(given.wait, 'options.wait');
    await this.#lifecycle.shutdown(wait, fromRun);
  }

  /**
   * Starts, then resolves after the scheduler shuts down: for a process whose only job is
   * scheduling. SIGINT and SIGTERM shut it down gracefully (waiting for running jobs); a second
   * signal during that shutdown forces it.
   */
  async run(): Promise<void> {
    await this.start();
    const stopped = new Promise<void>((resolve) => this.once('scheduler:shutdown', () => resolve()));
    // The first signal shuts down gracefully; a second one during that shutdown forces it.
    const onSignal = (): void => {
      const forced = this.#lifecycle.transition === 'stopping';
      if (!forced && (this.#ctx.state === 'stopped' || this.#lifecycle.transition)) return;
      this.shutdown({ wait: !forced }).catch((error: unknown) => this.#ctx.log('error', 'shutdown failed', error));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await stopped;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  /** Stops running jobs while staying started (jobs can still be added and changed). */
  pause(): void {
    this.#requireStarted('pause');
    if (this.#ctx.state === 'paused') return;
    this.#ctx.state = 'paused';
    void this.#loop.stop();
    this.#ctx.emit('scheduler:paused', {});
  }

  /** Runs jobs again after `pause()`; runs that fell due meanwhile follow the misfire rules. */
  resume(): void {
    this.#requireStarted('resume');
    if (this.#ctx.state === 'running') return;
    this.#ctx.state = 'running';
    this.#ctx.emit('scheduler:resumed', {});
    this.#loop.wakeup();
  }

  /** Looks at the stores now, e.g. after another process changed a shared store. */
  wakeup(): void {
    this.#loop.wakeup();
  }

  /** Adds a job store under an alias (started at once if the scheduler is). */
  async addJobStore(store: JobStore, alias: string): Promise<void> {
    checkString(alias, 'alias');
    checkStore(store, 'store');
    await this.#lifecycle.settled();
    const started = this.#ctx.state !== 'stopped';
    await claimAlias(this.#ctx.stores, alias, store, started ? async () => store.start?.(this.#ctx.storeContext(alias)) : null);
    this.#ctx.emit('store:added', { alias });
    this.#loop.wakeup();
  }

  /** Removes a job store (and drops pending jobs meant for it); its jobs are no longer run. */
  async removeJobStore(alias: string): Promise<void> {
    await this.#lifecycle.settled();
    const store = this.#ctx.stores.get(alias);
    if (!store) throw new StoreNotFoundError(alias);
    this.#ctx.stores.delete(alias);
    for (const [id, job] of this.#jobs.pending) if (job.store === alias) this.#jobs.pending.delete(id);
    if (this.#ctx.state !== 'stopped') {
      // Inline functions of its jobs would otherwise stay referenced forever.
      if (!store.persistent) for (const record of await store.getJobs()) this.#ctx.slots.setTask(record.id, null);
      await store.shutdown?.();
    }
    this.#ctx.emit('store:removed', { alias });
  }

  /** Adds an executor under an alias (started at once if the scheduler is). */
  async addExecutor(executor: Executor, alias: string): Promise<void> {
    checkString(alias, 'alias');
    checkExecutor(executor, 'executor');
    await this.#lifecycle.settled();
    const started = this.#ctx.state !== 'stopped';
    const start = started ? async () => executor.start?.(this.#ctx.executorContext(alias)) : null;
    await claimAlias(this.#ctx.executors, alias, executor, start);
    this.#ctx.emit('executor:added', { alias });
  }

  /** Removes an executor, waiting for its running jobs when the scheduler is started. */
  async removeExecutor(alias: string): Promise<void> {
    await this.#lifecycle.settled();
    const executor = this.#ctx.executors.get(alias);
    if (!executor) throw new ExecutorNotFoundError(alias);
    this.#ctx.executors.delete(alias);
    if (this.#ctx.state !== 'stopped') await executor.shutdown({ wait: true });
    this.#ctx.emit('executor:removed', { alias });
  }

  /**
   * Subscribes to an event; returns a function that unsubscribes. A throwing listener is logged.
   * @throws TypeError for a name that is no event (listing the known ones), or a listener that
   *   is not a function
   */
  on<K extends keyof SchedulerEventMap>(name: K, listener: (event: SchedulerEventMap[K]) => unknown): () => void {
    return this.#ctx.events.on(name, listener);
  }

  /**
   * Subscribes to the next occurrence of an event only; returns a function that unsubscribes.
   * @throws TypeError as {@link Scheduler.on}
   */
  once<K extends keyof SchedulerEventMap>(name: K, listener: (event: SchedulerEventMap[K]) => unknown): () => void {
    return this.#ctx.events.once(name, listener);
  }

  /** Unsubscribes a listener added with `on` or `once`. @throws TypeError for a name that is no event */
  off<K extends keyof SchedulerEventMap>(name: K, listener: (event: SchedulerEventMap[K]) => unknown): void {
    this.#ctx.events.off(name, listener);
  }

  #requireStarted(method: string): void {
    if (this.#ctx.state === 'stopped') {
      throw new SchedulerStateError('stopped', `${method}() needs a started scheduler: call start() first`);
    }
  }
}
