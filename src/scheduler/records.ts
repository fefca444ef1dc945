/**
 * Builds and changes job records from the arguments of `addJob` and `modifyJob`. Everything is
 * validated here, before any store is touched, so a bad call leaves every store as it was.
 *
 * @internal
 * @module
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, InvalidTriggerError, SerializationError, TaskNotFoundError } from '../errors.js';
import { checkJson } from '../internal/json.js';
import {
  checkBoolean,
  checkInteger,
  checkOptionalDuration,
  checkOptions,
  checkString,
  isPlainObject,
} from '../internal/validate.js';
import type { JobRecord } from '../stores/job-store.js';
import { toEpochMs, toIso } from '../triggers/dates.js';
import type { JsonValue } from '../json.js';
import type { Trigger, TriggerSpec } from '../triggers/trigger.js';
import { DateTrigger } from '../triggers/date.js';
import { IntervalTrigger } from '../triggers/interval.js';
import { CronTrigger } from '../triggers/cron/cron-trigger.js';
import { CalendarIntervalTrigger } from '../triggers/calendar-interval.js';
import { AndTrigger, OrTrigger } from '../triggers/combining.js';
import type { SchedulerContext } from './context.js';
import type { AddJobOptions, JobChanges, TaskFunction } from './job.js';
import { checkCoalesce } from './options.js';

const ADD_KEYS = [
  'id', 'name', 'args', 'misfireGraceTime', 'coalesce', 'maxInstances', 'jitter', 'timeout', 'nextRunTime',
  'paused', 'replaceExisting', 'executor', 'store', 'metadata',
] as const;
const CHANGE_KEYS = [
  'name', 'task', 'args', 'trigger', 'misfireGraceTime', 'coalesce', 'maxInstances', 'jitter', 'timeout',
  'executor', 'nextRunTime', 'metadata',
] as const;

/** A task resolved to its stored name, plus the function when it is an inline one. */
export interface ResolvedTask {
  name: string;
  inline: TaskFunction | null;
}

/** A validated `addJob` call. */
export interface NewJob {
  record: JobRecord;
  store: string;
  inline: TaskFunction | null;
  /** `true` when `nextRunTime` was given; otherwise it is computed again at `start()`. */
  explicitNextRunTime: boolean;
  replaceExisting: boolean;
}

/** Resolves a task given as a registered name or a function. */
export function resolveTask(ctx: SchedulerContext, task: unknown, persistent: boolean, field = 'task'): ResolvedTask {
  if (typeof task === 'string') {
    if (!ctx.tasks.has(task)) throw new TaskNotFoundError(task);
    return { name: task, inline: null };
  }
  if (typeof task !== 'function') throw new InvalidArgumentError(field, task, 'a registered task name or a function');
  for (const [name, fn] of ctx.tasks) if (fn === task) return { name, inline: null };
  const name = task.name || 'anonymous';
  if (persistent) {
    throw new TaskNotFoundError(name, 'a job in a persistent store must name a registered task: call registerTask first');
  }
  return { name, inline: task as TaskFunction };
}

/** Built-in trigger classes: the scheduler may rebuild these from their spec. */
const BUILT_IN: readonly (abstract new (...args: never[]) => Trigger)[] = [
  DateTrigger, IntervalTrigger, CronTrigger, CalendarIntervalTrigger, AndTrigger, OrTrigger,
];
/** Built-in types that keep zone tables: rebuilt so all jobs share the registry's tables. */
const ZONED_TYPES = new Set(['cron', 'calendarinterval', 'and', 'or']);

/** Builds a trigger from any accepted input and checks that its spec can be stored. */
export function resolveTrigger(
  ctx: SchedulerContext,
  input: unknown,
  persistent: boolean,
): { trigger: Trigger; spec: TriggerSpec } {
  const defaults = { timezone: ctx.timezone, now: new Date(ctx.clock.now()) };
  let trigger = ctx.triggers.resolve(input, defaults);
  // Exactly a built-in class: a subclass may override behaviour and must be used as given.
  const builtIn = BUILT_IN.some((type) => Object.getPrototypeOf(trigger) === type.prototype);
  const combined = trigger instanceof AndTrigger || trigger instanceof OrTrigger;
  if (builtIn && trigger === input) {
    const given = trigger.toJSON();
    // A built-in instance without its own zone takes the scheduler's (SPEC §2), and cron-like
    // triggers share the registry's tables (and instances) instead of building their own. A
    // combined trigger with children of an unregistered type cannot be rebuilt: keep it as given.
    if (given.timezone === undefined || ZONED_TYPES.has(given.type)) {
      try {
        trigger = ctx.triggers.fromJSON(given, defaults);
      } catch (error) {
        if (!combined) throw error;
      }
    }
  }
  if (builtIn && !(persistent && combined)) {
    // Built-in triggers are immutable and write plain JSON: their spec is made once and shared.
    const spec = ctx.specOf(trigger);
    ctx.rememberTrigger(spec, trigger);
    return { trigger, spec };
  }
  const spec = trigger.toJSON();
  if (!isPlainObject(spec) || typeof spec.type !== 'string') {
    throw new InvalidTriggerError('toJSON()', spec, 'a trigger must return a { type, ... } object');
  }
  checkJson(spec, 'trigger.toJSON()', (field, value, expected) => new InvalidTriggerError(field, value, expected));
  if (persistent) {
    // Storable means the registry can rebuild it, nested children of and/or included.
    try {
      ctx.triggers.fromJSON(spec, defaults);
    } catch (error) {
      throw new SerializationError(
        `Trigger ${JSON.stringify(spec.type)} cannot be rebuilt from its JSON spec: register its type with ` +
          `registerTriggerType to store it persistently`,
        { cause: error },
      );
    }
  }
  ctx.rememberTrigger(spec, trigger);
  return { trigger, spec };
}

/** The first run time of a trigger from now. @throws InvalidTriggerError if it never fires. */
export function firstRunTime(ctx: SchedulerContext, trigger: Trigger): string {
  const first = trigger.getNextFireTime(null, new Date(ctx.clock.now()));
  if (first === null) throw new InvalidTriggerError('trigger', trigger.toString(), 'it has no fire time left');
  return toIso(first.getTime());
}

/** Validates an `addJob` call into a record. */
export function buildNewJob(ctx: SchedulerContext, task: unknown, triggerInput: unknown, options: unknown): NewJob {
  const o = checkOptions(options, 'options', ADD_KEYS) as AddJobOptions;
  const store = o.store === undefined ? 'default' : checkString(o.store, 'options.store');
  const persistent = ctx.store(store).persistent;
  const executor = o.executor === undefined ? 'default' : checkString(o.executor, 'options.executor');
  ctx.executor(executor);
  const resolved = resolveTask(ctx, task, persistent);
  const { trigger, spec } = resolveTrigger(ctx, triggerInput, persistent);
  const paused = o.paused === undefined ? false : checkBoolean(o.paused, 'options.paused');
  const explicit = o.nextRunTime !== undefined;
  const explicitTime = explicit ? toIso(toEpochMs(o.nextRunTime, 'options.nextRunTime', ctx.timezone)) : null;
  // Checked even while stopped, so a trigger that can never fire fails at addJob, not at start().
  const computed = explicit ? null : firstRunTime(ctx, trigger);
  const defaults = ctx.jobDefaults;
  const record: JobRecord = {
    id: o.id === undefined ? newJobId() : checkString(o.id, 'options.id'),
    name: o.name === undefined ? resolved.name : checkString(o.name, 'options.name'),
    task: resolved.name,
    inlineTask: resolved.inline !== null,
    args: checkArgs(o.args, 'options.args') ?? [],
    trigger: spec,
    executor,
    misfireGraceTime: checkOptionalDuration(o.misfireGraceTime, 'options.misfireGraceTime', defaults.misfireGraceTime),
    coalesce: o.coalesce === undefined ? defaults.coalesce : checkCoalesce(o.coalesce, 'options.coalesce'),
    maxInstances:
      o.maxInstances === undefined ? defaults.maxInstances : checkInteger(o.maxInstances, 'options.maxInstances', 1),
    jitter: checkOptionalDuration(o.jitter, 'options.jitter', defaults.jitter),
    timeout: checkOptionalDuration(o.timeout, 'options.timeout', defaults.timeout, { positive: true }),
    nextRunTime: paused ? null : (explicitTime ?? computed),
    metadata: checkMetadata(o.metadata, 'options.metadata') ?? {},
    version: 1,
  };
  const replaceExisting =
    o.replaceExisting === undefined ? false : checkBoolean(o.replaceExisting, 'options.replaceExisting');
  return { record, store, inline: resolved.inline, explicitNextRunTime: explicit, replaceExisting };
}

/** Applies validated `changes` to a record, giving the next version. */
export function applyChanges(
  ctx: SchedulerContext,
  record: JobRecord,
  persistent: boolean,
  changes: unknown,
): { record: JobRecord; inline: TaskFunction | null | undefined } {
  const c = checkOptions(changes, 'changes', CHANGE_KEYS) as JobChanges;
  const next: JobRecord = { ...record, version: record.version + 1 };
  let inline: TaskFunction | null | undefined;
  if (c.name !== undefined) next.name = checkString(c.name, 'changes.name');
  if (c.task !== undefined) {
    const resolved = resolveTask(ctx, c.task, persistent, 'changes.task');
    next.task = resolved.name;
    next.inlineTask = resolved.inline !== null;
    inline = resolved.inline;
  }
  if (c.args !== undefined) next.args = checkArgs(c.args, 'changes.args') ?? [];
  if (c.executor !== undefined) next.executor = checkString(c.executor, 'changes.executor');
  if (c.executor !== undefined) ctx.executor(next.executor);
  if (c.misfireGraceTime !== undefined) {
    next.misfireGraceTime = checkOptionalDuration(c.misfireGraceTime, 'changes.misfireGraceTime', null);
  }
  if (c.coalesce !== undefined) next.coalesce = checkCoalesce(c.coalesce, 'changes.coalesce');
  if (c.maxInstances !== undefined) next.maxInstances = checkInteger(c.maxInstances, 'changes.maxInstances', 1);
  if (c.jitter !== undefined) next.jitter = checkOptionalDuration(c.jitter, 'changes.jitter', null);
  if (c.timeout !== undefined) next.timeout = checkOptionalDuration(c.timeout, 'changes.timeout', null, { positive: true });
  if (c.metadata !== undefined) next.metadata = checkMetadata(c.metadata, 'changes.metadata') ?? {};
  const explicit =
    c.nextRunTime === undefined ? null : toIso(toEpochMs(c.nextRunTime, 'changes.nextRunTime', ctx.timezone));
  if (c.trigger !== undefined) {
    const { trigger, spec } = resolveTrigger(ctx, c.trigger, persistent);
    next.trigger = spec;
    if (record.nextRunTime !== null && explicit === null) next.nextRunTime = firstRunTime(ctx, trigger);
  }
  // A paused job stays paused: its next run time is computed when it is resumed.
  if (explicit !== null && record.nextRunTime !== null) next.nextRunTime = explicit;
  return { record: next, inline };
}

function checkArgs(value: unknown, field: string): JsonValue[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new InvalidArgumentError(field, value, 'an array of JSON values');
  return checkJson(value, field) as JsonValue[];
}

function checkMetadata(value: unknown, field: string): { [key: string]: JsonValue } | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw new InvalidArgumentError(field, value, 'a plain object of JSON values');
  return checkJson(value, field) as { [key: string]: JsonValue };
}

/**
 * A random UUID as a flat string. `randomUUID()` returns a rope of concatenated pieces, about
 * 490 bytes that live as long as the job (in its record, the store's map and every event); a
 * copy through a buffer is a plain 36-byte string that also hashes and compares faster.
 */
function newJobId(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}
