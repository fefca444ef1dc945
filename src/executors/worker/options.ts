/**
 * The options of {@link WorkerExecutor} and their checks. Every check throws
 * `InvalidArgumentError` naming the field, at construction, before any thread starts.
 *
 * @internal
 * @module
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from 'timetable';
import { checkObject } from '../../internal/entry-options.js';

/** Memory and stack limits of each worker thread (Node's `Worker` `resourceLimits`). */
export interface WorkerResourceLimits {
  /** Largest main heap in MB; a task that needs more ends its worker, and its run is an error. */
  maxOldGenerationSizeMb?: number;
  /** Largest heap space for recently created objects, in MB. */
  maxYoungGenerationSizeMb?: number;
  /** Size of the memory range reserved for generated code, in MB. */
  codeRangeSizeMb?: number;
  /** Largest stack of the thread, in MB. */
  stackSizeMb?: number;
}

/** Options of {@link WorkerExecutor}. */
export interface WorkerExecutorOptions {
  /**
   * The module whose named exports are the tasks: a path (relative ones are resolved against
   * the working directory when the executor is created) or a `file:` URL. ESM or CommonJS.
   * Tasks may also be the functions of an object the module exports as `default`.
   */
  taskModule: string | URL;
  /**
   * How many worker threads run tasks, each one run at a time; further runs wait in a FIFO queue.
   *
   * @defaultValue the number of CPUs Node reports (`os.availableParallelism()`)
   */
  workers?: number;
  /**
   * Most runs waiting for a worker; a run submitted beyond it ends at once as a `job:error` with
   * an `ExecutorError`. `Infinity` for no limit.
   *
   * @defaultValue Infinity
   */
  maxQueue?: number;
  /**
   * Seconds a run may go on after its job's `timeout` aborted its signal before its worker thread
   * is terminated (and replaced), for tasks that never look at the signal.
   *
   * @defaultValue 5
   */
  killAfter?: number;
  /** Memory and stack limits of each worker thread. */
  resourceLimits?: WorkerResourceLimits;
  /**
   * Node options of the worker threads (`Worker`'s `execArgv`). Threads inherit the main
   * thread's by default.
   */
  execArgv?: string[];
  /**
   * How much lower than the main thread the worker threads run, as a nice increment from 0 (the
   * same priority) to 19 (the lowest). On a machine whose cores are all busy with tasks, the
   * kernel then favours the main thread's timers; an idle core still runs a task at full speed.
   * Applied on Linux, where a thread has a priority of its own; elsewhere threads keep the
   * process's priority.
   *
   * @defaultValue 10
   */
  niceness?: number;
}

/** Options checked, with their defaults. */
export interface ResolvedWorkerOptions {
  /** The task module as a `file:` URL. */
  readonly url: string;
  readonly workers: number;
  readonly maxQueue: number;
  readonly killAfterMs: number;
  readonly resourceLimits: WorkerResourceLimits | undefined;
  readonly execArgv: string[] | undefined;
  readonly niceness: number;
}

const KEYS = ['taskModule', 'workers', 'maxQueue', 'killAfter', 'resourceLimits', 'execArgv', 'niceness'];
const LIMIT_KEYS = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'];
/** Most worker threads: far past any machine's cores, low enough to catch a typo. */
const MAX_WORKERS = 1_024;
/** Longest `killAfter`, in seconds (one hour). */
const MAX_KILL_AFTER = 3_600;

/** Checks the options of a {@link WorkerExecutor}. */
export function resolveWorkerOptions(options: unknown): ResolvedWorkerOptions {
  if (options === undefined) throw new InvalidArgumentError('options', options, 'an object with a taskModule');
  const o = checkObject(options, 'options', KEYS);
  const limits = o['resourceLimits'] === undefined ? undefined : checkObject(o['resourceLimits'], 'options.resourceLimits', LIMIT_KEYS);
  if (limits !== undefined) {
    for (const key of LIMIT_KEYS) if (limits[key] !== undefined) checkNumber(limits[key], `options.resourceLimits.${key}`, 1, 1e6);
  }
  return {
    url: moduleUrl(o['taskModule']),
    workers: o['workers'] === undefined ? Math.max(1, availableParallelism()) : checkInteger(o['workers'], 'options.workers', 1, MAX_WORKERS),
    maxQueue: o['maxQueue'] === undefined || o['maxQueue'] === Infinity ? Infinity : checkInteger(o['maxQueue'], 'options.maxQueue', 0, 2 ** 31),
    killAfterMs: 1000 * (o['killAfter'] === undefined ? 5 : checkNumber(o['killAfter'], 'options.killAfter', 0, MAX_KILL_AFTER)),
    resourceLimits: limits as WorkerResourceLimits | undefined,
    execArgv: o['execArgv'] === undefined ? undefined : checkStrings(o['execArgv'], 'options.execArgv'),
    niceness: o['niceness'] === undefined ? 10 : checkInteger(o['niceness'], 'options.niceness', 0, 19),
  };
}

/** The task module as a `file:` URL string. */
function moduleUrl(value: unknown): string {
  if (value instanceof URL) {
    if (value.protocol !== 'file:') throw new InvalidArgumentError('options.taskModule', value.href, 'a path or a file: URL');
    return value.href;
  }
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError('options.taskModule', value, 'a path or a file: URL of the module exporting the tasks');
  }
  if (value.startsWith('file:')) return new URL(value).href;
  // Another scheme (http:, data:, node:) is not a path; a Windows drive letter (C:\) is.
  if (/^[a-z][a-z0-9+.-]+:/i.test(value)) {
    throw new InvalidArgumentError('options.taskModule', value, 'a path or a file: URL (worker threads load modules from files)');
  }
  return pathToFileURL(isAbsolute(value) ? value : resolve(value)).href;
}

function checkNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(field, value, `a number from ${min} to ${max}`);
  }
  return value;
}

function checkInteger(value: unknown, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new InvalidArgumentError(field, value, `an integer from ${min} to ${max}`);
  }
  return value as number;
}

function checkStrings(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new InvalidArgumentError(field, value, 'an array of strings');
  }
  return [...(value as string[])];
}
