/**
 * Builds and changes job records from the arguments of `addJob` and `modifyJob`. Everything is
 * validated here, before any store is touched, so a bad call leaves every store as it was.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError, TaskNotFoundError } from '../errors.js';
import { checkJson } from '../internal/json.js';
import { checkBoolean, checkOptions, checkString, isPlainObject } from '../internal/validate.js';
import type { JobRecord } from '../stores/job-store.js';
import { toEpochMs, toIso } from '../triggers/dates.js';
import type { JsonValue } from '../json.js';
import type { SchedulerContext } from './context.js';
import type { AddJobOptions, JobChanges, TaskFunction } from './job.js';
import { checkPolicies } from './options.js';
import { firstRunTime, resolveTrigger } from './trigger-input.js';

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
  /** `true` when the id was made here (no `options.id`): no store can hold it yet. */
  freshId: boolean;
}

/**
 * Resolves a task given as a registered name or a function. A job on an executor that runs
 * tasks by name elsewhere names one of that executor's tasks, never a function (a function
 * cannot cross into another thread or process).
 */
export function resolveTask(
  ctx: SchedulerContext,
  task: unknown,
  persistent: boolean,
  executor: string,
  field = 'task',
): ResolvedTask {
  if (ctx.executor(executor).hasTask !== undefined) {
    if (typeof task !== 'string') {
      throw new InvalidArgumentError(field, task, `the name of a task of executor ${JSON.stringify(executor)} (it runs tasks by name)`);
    }
    ctx.remoteTask(executor, task);
    return { name: task, inline: null };
  }
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

/** Validates an `addJob` call into a record. */
export function buildNewJob(ctx: SchedulerContext, task: unknown, triggerInput: unknown, options: unknown): NewJob {
  const o = checkOptions(options, 'options', ADD_KEYS) as AddJobOptions;
  const store = o.store === undefined ? 'default' : checkString(o.store, 'options.store');
  const persistent = ctx.store(store).persistent;
  const executor = o.executor === undefined ? 'default' : checkString(o.executor, 'options.executor');
  const resolved = resolveTask(ctx, task, persistent, executor);
  const { trigger, spec } = resolveTrigger(ctx, triggerInput, persistent);
  const paused = o.paused === undefined ? false : checkBoolean(o.paused, 'options.paused');
  const explicit = o.nextRunTime !== undefined;
  const explicitTime = explicit ? toIso(toEpochMs(o.nextRunTime, 'options.nextRunTime', ctx.timezone)) : null;
  // Checked on every path (paused, explicit nextRunTime, stopped), so a trigger that can never
  // fire, or a broken one, fails here and not later at start() or resumeJob().
  const computed = firstRunTime(ctx, trigger);
  const policies = { ...ctx.jobDefaults, ...checkPolicies(o as Record<string, unknown>, 'options') };
  const record: JobRecord = {
    id: o.id === undefined ? ctx.jobIds.next() : checkString(o.id, 'options.id'),
    name: o.name === undefined ? resolved.name : checkString(o.name, 'options.name'),
    task: resolved.name,
    inlineTask: resolved.inline !== null,
    args: checkArgs(o.args, 'options.args') ?? NO_ARGS,
    trigger: spec,
    executor,
    misfireGraceTime: policies.misfireGraceTime,
    coalesce: policies.coalesce,
    maxInstances: policies.maxInstances,
    jitter: policies.jitter,
    timeout: policies.timeout,
    nextRunTime: paused ? null : (explicitTime ?? computed),
    metadata: checkMetadata(o.metadata, 'options.metadata') ?? NO_METADATA,
    version: 1,
  };
  const replaceExisting =
    o.replaceExisting === undefined ? false : checkBoolean(o.replaceExisting, 'options.replaceExisting');
  return { record, store, inline: resolved.inline, explicitNextRunTime: explicit, replaceExisting, freshId: o.id === undefined };
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
  if (c.executor !== undefined) next.executor = checkString(c.executor, 'changes.executor');
  if (c.task !== undefined || c.executor !== undefined) {
    // A new executor may run tasks by name elsewhere (or stop doing so): the task is checked
    // against it. A job keeps an inline function only while its executor stays in-process.
    const given = c.task ?? (record.inlineTask ? ctx.slots.task(record.id) : record.task);
    const resolved = resolveTask(ctx, given, persistent, next.executor, c.task === undefined ? 'changes.executor' : 'changes.task');
    next.task = resolved.name;
    next.inlineTask = resolved.inline !== null;
    inline = resolved.inline;
  }
  if (c.args !== undefined) next.args = checkArgs(c.args, 'changes.args') ?? NO_ARGS;
  Object.assign(next, checkPolicies(c as Record<string, unknown>, 'changes'));
  if (c.metadata !== undefined) next.metadata = checkMetadata(c.metadata, 'changes.metadata') ?? NO_METADATA;
  const explicit =
    c.nextRunTime === undefined ? null : toIso(toEpochMs(c.nextRunTime, 'changes.nextRunTime', ctx.timezone));
  if (c.trigger !== undefined) {
    const { trigger, spec } = resolveTrigger(ctx, c.trigger, persistent);
    next.trigger = spec;
    // Checked for a paused job too, so resumeJob() cannot meet a trigger addJob would refuse.
    const first = firstRunTime(ctx, trigger);
    if (record.nextRunTime !== null && explicit === null) next.nextRunTime = first;
  }
  // A paused job stays paused: its next run time is computed when it is resumed.
  if (explicit !== null && record.nextRunTime !== null) next.nextRunTime = explicit;
  return { record: next, inline };
}

/**
 * The `args` and `metadata` of a job that gives none: one frozen value shared by every such
 * record (records are replaced on every write, never changed), so 100,000 jobs do not keep
 * 200,000 empty objects alive.
 */
const NO_ARGS = Object.freeze([]) as unknown as JsonValue[];
const NO_METADATA = Object.freeze({}) as { [key: string]: JsonValue };

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
