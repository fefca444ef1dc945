/**
 * Shape checks for the parts a user plugs in (clock, logger, stores, executors, tasks), so a
 * wrong object fails at construction with the option named, not deep inside the loop later.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { InvalidArgumentError } from '../errors.js';
import type { Executor } from '../executors/executor.js';
import type { JobStore } from '../stores/job-store.js';
import type { TaskFunction } from './job.js';
import type { Logger } from '../logger.js';

function checkMethods<T>(value: unknown, field: string, methods: readonly string[], what: string): T {
  const ok =
    typeof value === 'object' &&
    value !== null &&
    methods.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
  if (!ok) throw new InvalidArgumentError(field, value, `${what} with methods ${methods.join(', ')}`);
  return value as T;
}

const STORE_METHODS = [
  'addJob', 'updateJob', 'removeJob', 'removeAllJobs', 'getJob', 'getJobs', 'getNextRunTime', 'acquireDueJobs',
  'releaseJobs',
] as const;

/** Checks that `value` implements the `JobStore` contract. */
export function checkStore(value: unknown, field: string): JobStore {
  const store = checkMethods<JobStore>(value, field, STORE_METHODS, 'a JobStore');
  if (typeof store.persistent !== 'boolean') {
    throw new InvalidArgumentError(`${field}.persistent`, store.persistent, 'true or false');
  }
  return store;
}

/** Checks that `value` implements the `Executor` contract. */
export function checkExecutor(value: unknown, field: string): Executor {
  const executor = checkMethods<Executor>(value, field, ['submit', 'shutdown'], 'an Executor');
  // Read on every addJob: a non-function here would otherwise fail there, far from its cause.
  if (executor.hasTask !== undefined && typeof executor.hasTask !== 'function') {
    throw new InvalidArgumentError(`${field}.hasTask`, executor.hasTask, 'a method, or absent');
  }
  return executor;
}

/** Checks that `value` implements the `Clock` contract. */
export function checkClock(value: unknown): Clock {
  return checkMethods<Clock>(value, 'options.clock', ['now', 'setTimeout', 'clearTimeout'], 'a Clock');
}

/** Checks that `value` is console-compatible. */
export function checkLogger(value: unknown): Logger {
  return checkMethods<Logger>(value, 'options.logger', ['info', 'warn', 'error'], 'a logger');
}

/** Checks that `value` is a function. */
export function checkTask(value: unknown, field: string): TaskFunction {
  if (typeof value !== 'function') throw new InvalidArgumentError(field, value, 'a function');
  return value as TaskFunction;
}
