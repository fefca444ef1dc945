/**
 * Every error the library throws on purpose extends {@link SchedulerError} and carries a stable
 * string `code`. Check `error.code` rather than `instanceof` when the error may cross package
 * copies (an ESM and a CJS build of the library loaded side by side).
 *
 * @module
 */

/** The stable codes of {@link SchedulerError} and its subclasses. */
export type SchedulerErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_TRIGGER'
  | 'ERR_JOB_NOT_FOUND'
  | 'ERR_CONFLICTING_ID'
  | 'ERR_SCHEDULER_STATE'
  | 'ERR_TASK_NOT_FOUND'
  | 'ERR_STORE_NOT_FOUND'
  | 'ERR_EXECUTOR_NOT_FOUND'
  | 'ERR_SERIALIZATION'
  | 'ERR_MAX_ITERATIONS'
  | 'ERR_MAX_INSTANCES'
  | 'ERR_JOB_TIMEOUT'
  | 'ERR_JOB_CANCELLED'
  | 'ERR_STORE'
  | 'ERR_CONCURRENT_MODIFICATION'
  | 'ERR_EXECUTOR';

/** Options common to every {@link SchedulerError} constructor. */
export interface SchedulerErrorOptions {
  /** The underlying error, if any (ES2022 `cause`). */
  cause?: unknown;
}

/** Base class of every error thrown by the library. */
export class SchedulerError extends Error {
  /** A stable, machine-readable code such as `ERR_JOB_NOT_FOUND`. */
  readonly code: SchedulerErrorCode;

  /**
   * @param code - the stable error code
   * @param message - a message naming the job, field and value at fault
   * @param options - `cause`
   */
  constructor(code: SchedulerErrorCode, message: string, options?: SchedulerErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Renders a value for an error message: strings quoted, everything else as JSON or its type. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    // A message must stay readable (and small) even when the input was a megabyte of text.
    return value.length > 200 ? `${JSON.stringify(value.slice(0, 197))}... (${value.length} characters)` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    const json = JSON.stringify(value);
    return json.length > 200 ? `${json.slice(0, 197)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** An argument or option has the wrong type or value. `field` names it, `value` is what was given. */
export class InvalidArgumentError extends SchedulerError {
  /** The parameter or option at fault, e.g. `options.misfireGraceTime`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;

  /**
   * @param field - the parameter or option at fault
   * @param value - the value that was given
   * @param expected - what would have been accepted, e.g. `a positive number of seconds`
   */
  constructor(field: string, value: unknown, expected: string) {
    super('ERR_INVALID_ARGUMENT', `Invalid ${field}: ${describeValue(value)} (expected ${expected})`);
    this.field = field;
    this.value = value;
  }
}

/** A trigger or trigger spec is invalid. `field` names the trigger field at fault. */
export class InvalidTriggerError extends SchedulerError {
  /** The trigger field at fault, e.g. `interval.seconds` or `type`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;

  /**
   * @param field - the trigger field at fault
   * @param value - the value that was given
   * @param reason - why it is invalid
   * @param options - `cause`: what a custom trigger threw, if that is the reason
   */
  constructor(field: string, value: unknown, reason: string, options?: SchedulerErrorOptions) {
    super('ERR_INVALID_TRIGGER', `Invalid trigger ${field}: ${describeValue(value)} (${reason})`, options);
    this.field = field;
    this.value = value;
  }
}

/** No job with the given id exists. */
export class JobNotFoundError extends SchedulerError {
  /** The id that was looked up. */
  readonly jobId: string;

  /** @param jobId - the id that was looked up */
  constructor(jobId: string) {
    super('ERR_JOB_NOT_FOUND', `No job with id ${JSON.stringify(jobId)}`);
    this.jobId = jobId;
  }
}

/** A job with the given id already exists (and `replaceExisting` was not set). */
export class ConflictingIdError extends SchedulerError {
  /** The id that is already taken. */
  readonly jobId: string;

  /** @param jobId - the id that is already taken */
  constructor(jobId: string) {
    super(
      'ERR_CONFLICTING_ID',
      `A job with id ${JSON.stringify(jobId)} already exists (pass replaceExisting: true to replace it)`,
    );
    this.jobId = jobId;
  }
}

/** A method was called in a state that does not allow it (e.g. `start()` while running). */
export class SchedulerStateError extends SchedulerError {
  /** The state the scheduler was in. */
  readonly state: string;

  /**
   * @param state - the scheduler's current state
   * @param message - what was attempted and why it is refused
   */
  constructor(state: string, message: string) {
    super('ERR_SCHEDULER_STATE', message);
    this.state = state;
  }
}

/**
 * A job names a task that is not registered with the scheduler, or that its executor (one that
 * runs tasks by name, such as the worker executor) does not provide.
 */
export class TaskNotFoundError extends SchedulerError {
  /** The task name that was not found. */
  readonly task: string;

  /**
   * @param task - the task name that was not found
   * @param hint - an optional sentence on how to fix it
   */
  constructor(task: string, hint = 'register it with scheduler.registerTask(name, fn)') {
    super('ERR_TASK_NOT_FOUND', `Task ${JSON.stringify(task)} not found: ${hint}`);
    this.task = task;
  }
}

/** No job store with the given alias is configured. */
export class StoreNotFoundError extends SchedulerError {
  /** The alias that was looked up. */
  readonly alias: string;

  /** @param alias - the alias that was looked up */
  constructor(alias: string) {
    super('ERR_STORE_NOT_FOUND', `No job store with alias ${JSON.stringify(alias)}`);
    this.alias = alias;
  }
}

/** No executor with the given alias is configured. */
export class ExecutorNotFoundError extends SchedulerError {
  /** The alias that was looked up. */
  readonly alias: string;

  /** @param alias - the alias that was looked up */
  constructor(alias: string) {
    super('ERR_EXECUTOR_NOT_FOUND', `No executor with alias ${JSON.stringify(alias)}`);
    this.alias = alias;
  }
}

/** A job could not be turned into a JSON record, or a record back into a job. */
export class SerializationError extends SchedulerError {
  /**
   * @param message - what could not be serialized and why
   * @param options - `cause`
   */
  constructor(message: string, options?: SchedulerErrorOptions) {
    super('ERR_SERIALIZATION', message, options);
  }
}

/** A bounded search (e.g. in a combined trigger) gave up after its iteration limit. */
export class MaxIterationsError extends SchedulerError {
  /** The limit that was reached. */
  readonly maxIterations: number;

  /**
   * @param maxIterations - the limit that was reached
   * @param what - what was being searched for
   */
  constructor(maxIterations: number, what: string) {
    super('ERR_MAX_ITERATIONS', `Gave up ${what} after ${maxIterations} iterations`);
    this.maxIterations = maxIterations;
  }
}

/** `runJob()` was refused because the job already has `maxInstances` runs in flight. */
export class MaxInstancesReachedError extends SchedulerError {
  /** The job whose limit was reached. */
  readonly jobId: string;

  /**
   * @param jobId - the job whose limit was reached
   * @param maxInstances - the limit
   */
  constructor(jobId: string, maxInstances: number) {
    super(
      'ERR_MAX_INSTANCES',
      `Job ${JSON.stringify(jobId)} already has ${maxInstances} run(s) in flight (maxInstances)`,
    );
    this.jobId = jobId;
  }
}

/** A run exceeded the job's `timeout`; its signal was aborted with this error. */
export class JobTimeoutError extends SchedulerError {
  /** The job whose run timed out. */
  readonly jobId: string;

  /**
   * @param jobId - the job whose run timed out
   * @param timeoutSeconds - the job's timeout
   */
  constructor(jobId: string, timeoutSeconds: number) {
    super('ERR_JOB_TIMEOUT', `Job ${JSON.stringify(jobId)} timed out after ${timeoutSeconds} s`);
    this.jobId = jobId;
  }
}

/** A run was cancelled before or while running, by `shutdown({ wait: false })`. */
export class JobCancelledError extends SchedulerError {
  /** The job whose run was cancelled. */
  readonly jobId: string;

  /** @param jobId - the job whose run was cancelled */
  constructor(jobId: string) {
    super('ERR_JOB_CANCELLED', `Run of job ${JSON.stringify(jobId)} was cancelled by shutdown`);
    this.jobId = jobId;
  }
}

/** A job store failed. `cause` holds the driver's error. */
export class StoreError extends SchedulerError {
  /**
   * @param message - what failed
   * @param options - `cause`
   */
  constructor(message: string, options?: SchedulerErrorOptions) {
    super('ERR_STORE', message, options);
  }
}

/**
 * A store refused an update because the job changed since it was read (optimistic concurrency:
 * a record's `version` must be the stored one plus one). The scheduler retries such updates.
 */
export class ConcurrentModificationError extends SchedulerError {
  /** The job that changed concurrently. */
  readonly jobId: string;

  /** @param jobId - the job that changed concurrently */
  constructor(jobId: string) {
    super('ERR_CONCURRENT_MODIFICATION', `Job ${JSON.stringify(jobId)} was modified concurrently`);
    this.jobId = jobId;
  }
}

/**
 * An executor failed outside the task itself: a worker thread that crashed, ran out of memory or
 * had to be ended, a task module that did not load, a full queue. `cause` holds the underlying
 * error when there is one.
 */
export class ExecutorError extends SchedulerError {
  /**
   * @param message - what failed, naming the executor and the job
   * @param options - `cause`
   */
  constructor(message: string, options?: SchedulerErrorOptions) {
    super('ERR_EXECUTOR', message, options);
  }
}
