/**
 * What the scheduler's internal parts (loop, runner, job operations) share: configuration,
 * registries of stores, executors, tasks and trigger types, and the event emitter.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { SchedulerEventMap } from '../events/event-map.js';
import { TypedEmitter } from '../events/emitter.js';
import { SCHEDULER_EVENT_NAMES } from '../events/event-names.js';
import type { Executor, ExecutorContext } from '../executors/executor.js';
import type { JobRecord, JobStore, JobStoreContext } from '../stores/job-store.js';
import { RunLeases } from './shared-runs.js';
import { TriggerRegistry } from '../triggers/registry.js';
import type { AnyTriggerSpec } from '../triggers/specs.js';
import type { Trigger } from '../triggers/trigger.js';
import { ExecutorNotFoundError, StoreNotFoundError, TaskNotFoundError } from '../errors.js';
import { IsoMemo } from '../internal/iso-memo.js';
import { JobIds } from './job-ids.js';
import { JobSlots, type JobSlot } from './job-slots.js';
import type { Job, TaskFunction } from './job.js';
import type { Logger } from '../logger.js';
import type { ResolvedJobDefaults } from './options.js';
import type { Scheduler } from './scheduler.js';

/** The scheduler's states. */
export type SchedulerState = 'stopped' | 'running' | 'paused';

/** An event's payload without the fields the emitter fills in. */
export type EventFields<K extends keyof SchedulerEventMap> = Omit<SchedulerEventMap[K], 'type' | 'timestamp'>;

/** Shared state of one scheduler. */
export class SchedulerContext {
  readonly events: TypedEmitter<SchedulerEventMap>;
  readonly stores = new Map<string, JobStore>();
  readonly executors = new Map<string, Executor>();
  readonly tasks = new Map<string, TaskFunction>();
  /** Per job: the function passed to addJob (non-persistent stores only) and the runs in flight. */
  readonly slots: JobSlots;
  /** The ids of jobs added without one. */
  readonly jobIds = new JobIds();
  readonly triggers = new TriggerRegistry();
  /**
   * Writes first run times: jobs added for the same instant share one string (one conversion,
   * and one copy in memory, instead of one per job).
   */
  readonly firstRunIso = new IsoMemo();
  state: SchedulerState = 'stopped';
  // Records are immutable and keep their trigger spec object across writes, so the spec object
  // identifies the trigger built from it: no rebuild per run for in-memory stores.
  readonly #triggerCache = new WeakMap<AnyTriggerSpec, Trigger>();
  readonly #specCache = new WeakMap<Trigger, AnyTriggerSpec>();
  /**
   * The run whose task is on the stack right now: set while the runner calls a task
   * synchronously, and from a read of `context.scheduler` until the next microtask. A
   * `shutdown()` made then comes from that task, and must not wait for it to end.
   */
  #callerRun: object | null = null;
  /** A microtask that clears {@link SchedulerContext.#callerRun} is queued. */
  #clearQueued = false;

  constructor(
    readonly scheduler: Scheduler,
    readonly clock: Clock,
    readonly logger: Logger,
    readonly timezone: string,
    readonly identity: string,
    readonly maxWaitMs: number,
    /** How long leases on due jobs and on shared runs last (`leaseTime`). */
    readonly leaseMs: number,
    readonly jobDefaults: ResolvedJobDefaults,
  ) {
    this.events = new TypedEmitter<SchedulerEventMap>(logger, SCHEDULER_EVENT_NAMES);
    this.slots = new JobSlots(clock);
  }

  /** Emits `name` with `fields`, adding `type` and `timestamp`; skipped when nobody listens. */
  emit<K extends keyof SchedulerEventMap>(name: K, fields: EventFields<K>): void {
    if (!this.events.has(name)) return;
    const event = { type: name, timestamp: new Date(this.clock.now()), ...fields } as SchedulerEventMap[K];
    this.events.emit(name, event);
  }

  store(alias: string): JobStore {
    const store = this.stores.get(alias);
    if (!store) throw new StoreNotFoundError(alias);
    return store;
  }

  executor(alias: string): Executor {
    const executor = this.executors.get(alias);
    if (!executor) throw new ExecutorNotFoundError(alias);
    return executor;
  }

  /** The spec of an immutable (built-in) trigger, made once so jobs sharing it share the object. */
  specOf(trigger: Trigger): AnyTriggerSpec {
    let spec = this.#specCache.get(trigger);
    if (!spec) {
      spec = trigger.toJSON();
      this.#specCache.set(trigger, spec);
    }
    return spec;
  }

  /** Remembers the trigger instance a spec came from. */
  rememberTrigger(spec: AnyTriggerSpec, trigger: Trigger): void {
    this.#triggerCache.set(spec, trigger);
  }

  /** The trigger of a record, rebuilt from its spec when not cached. @throws InvalidTriggerError */
  triggerOf(record: JobRecord): Trigger {
    let trigger = this.#triggerCache.get(record.trigger);
    if (!trigger) {
      trigger = this.triggers.fromJSON(record.trigger, { timezone: this.timezone, now: new Date(this.clock.now()) });
      this.#triggerCache.set(record.trigger, trigger);
    }
    return trigger;
  }

  /**
   * The function a record runs, or `null` when its executor runs tasks by name elsewhere (and
   * does not know the task to be missing). `slot`: the job's slot, when the caller has it.
   * @throws TaskNotFoundError
   */
  taskOf(record: JobRecord, slot?: JobSlot): TaskFunction | null {
    return this.remoteTask(record.executor, record.task) === null ? null : this.localTask(record, slot);
  }

  /** The function a record runs in this process. @throws TaskNotFoundError */
  localTask(record: JobRecord, slot?: JobSlot): TaskFunction {
    const fn = record.inlineTask ? (slot ?? this.slots.find(record.id))?.task : this.tasks.get(record.task);
    if (!fn) {
      throw new TaskNotFoundError(
        record.task,
        record.inlineTask
          ? 'the job was added with an inline function by another process or before a restart'
          : 'register it with scheduler.registerTask(name, fn)',
      );
    }
    return fn;
  }

  /**
   * For a job on an executor that runs tasks by name elsewhere ({@link Executor.hasTask}):
   * `null` when it can (or may) run `task`; `undefined` for any other executor (or one not
   * configured here). @throws TaskNotFoundError when the executor knows it cannot run `task`
   */
  remoteTask(alias: string, task: string): null | undefined {
    const executor = this.executors.get(alias);
    if (executor?.hasTask === undefined) return undefined;
    if (executor.hasTask(task) === false) {
      throw new TaskNotFoundError(task, `executor ${JSON.stringify(alias)} does not provide a task of that name`);
    }
    return null;
  }

  /** The public view of a record (a job is paused exactly when it has no next run time). */
  toJob(record: JobRecord, store: string, pending = false): Job {
    return Object.freeze({
      id: record.id,
      name: record.name,
      task: record.task,
      args: record.args,
      trigger: this.triggerOf(record),
      executor: record.executor,
      store,
      misfireGraceTime: record.misfireGraceTime,
      coalesce: record.coalesce,
      maxInstances: record.maxInstances,
      jitter: record.jitter,
      timeout: record.timeout,
      nextRunTime: record.nextRunTime === null ? null : new Date(record.nextRunTime),
      paused: record.nextRunTime === null,
      pending,
      metadata: record.metadata,
    });
  }

  /**
   * Marks `run` as the caller of what the current synchronous code does, until the next
   * microtask (for `context.scheduler`: `await context.scheduler.shutdown()` calls on the same
   * tick as the read).
   */
  markCallerRun(run: object): void {
    this.#callerRun = run;
    if (this.#clearQueued) return;
    this.#clearQueued = true;
    queueMicrotask(() => {
      this.#clearQueued = false;
      this.#callerRun = null;
    });
  }

  /**
   * Marks `run` as the caller until {@link SchedulerContext.leaveCallerRun}; returns the mark to
   * give back then. A pair of calls rather than a callback: it wraps every task call, and a
   * closure per run is a cost at thousands of runs a second.
   */
  enterCallerRun(run: object): object | null {
    const previous = this.#callerRun;
    this.#callerRun = run;
    return previous;
  }

  /** Restores the mark {@link SchedulerContext.enterCallerRun} returned. */
  leaveCallerRun(previous: object | null): void {
    this.#callerRun = previous;
  }

  /** Is a task of this scheduler the caller of the code running now? */
  get calledFromRun(): boolean {
    return this.#callerRun !== null;
  }

  /** Runs in flight in shared stores: their leases, ends and abandoned ones. */
  readonly runLeases: RunLeases = new RunLeases(this);

  /** What wakes the loop; set once the loop exists. */
  wakeup: () => void = () => undefined;

  /** What a store receives at `start()`. */
  storeContext(alias: string): JobStoreContext {
    return {
      alias,
      identity: this.identity,
      clock: this.clock,
      wakeup: () => this.wakeup(),
      log: (level, message, ...details) => this.log(level, `job store ${JSON.stringify(alias)}: ${message}`, ...details),
    };
  }

  /** What an executor receives at `start()`. */
  executorContext(alias: string): ExecutorContext {
    return {
      alias,
      clock: this.clock,
      log: (level, message, ...details) => this.log(level, `executor ${JSON.stringify(alias)}: ${message}`, ...details),
    };
  }

  /** Logs without ever throwing (a broken logger must not break the loop). */
  log(level: keyof Logger, message: string, ...details: unknown[]): void {
    try {
      this.logger[level](`timetable: ${message}`, ...details);
    } catch {
      // ignored on purpose
    }
  }
}
