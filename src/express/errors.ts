/**
 * HTTP errors of the router: the JSON error envelope, and the mapping from a `SchedulerError`'s
 * stable `code` to an HTTP status. Errors are recognised by `code`, never by `instanceof`: the
 * scheduler may come from the other build (ESM or CJS) of the package.
 *
 * @internal
 * @module
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './respond.js';
import { boundedJson } from './serialize.js';

/** The body of every error response: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  /** What went wrong. */
  error: {
    /** A stable, machine-readable code such as `ERR_VALIDATION` or `ERR_JOB_NOT_FOUND`. */
    code: string;
    /** A readable sentence naming the field and value at fault, never a stack trace. */
    message: string;
    /** Structured details: `field` (a dotted path into the request body), `value`, `issues`. */
    details?: ErrorDetails;
  };
}

/** The `details` of an {@link ErrorBody}. */
export interface ErrorDetails {
  /** The request field at fault, as a dotted path such as `trigger.hour` or `misfireGraceTime`. */
  field?: string;
  /** The value that was given (JSON values only; long strings are cut). */
  value?: unknown;
  /** Every problem the schema found, in order. */
  issues?: ValidationIssue[];
  /** Other machine-readable facts, e.g. `id` for an unknown job. */
  [key: string]: unknown;
}

/** One problem with a request body, as listed in {@link ErrorDetails.issues}. */
export interface ValidationIssue {
  /** The dotted path of the field, or `null` for the body itself. */
  field: string | null;
  /** What is wrong with it. */
  message: string;
}

/** An error answered with a given status and code. @internal */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** HTTP status of each `SchedulerError` code a request can cause. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  ERR_JOB_NOT_FOUND: 404,
  ERR_CONFLICTING_ID: 409,
  ERR_SCHEDULER_STATE: 409,
  ERR_MAX_INSTANCES: 409,
  ERR_CONCURRENT_MODIFICATION: 409,
  ERR_INVALID_ARGUMENT: 400,
  ERR_INVALID_TRIGGER: 400,
  ERR_TASK_NOT_FOUND: 400,
  ERR_SERIALIZATION: 400,
  ERR_STORE_NOT_FOUND: 400,
  ERR_EXECUTOR_NOT_FOUND: 400,
  ERR_MAX_ITERATIONS: 400,
  ERR_STORE: 503,
};

/** The longest string kept in `details.value`. */
const MAX_VALUE_LENGTH = 200;

/** Where the request put the trigger, so a trigger error can name `trigger.<field>`. */
export interface ErrorContext {
  /** The trigger as given in the request body, if any. */
  trigger?: unknown;
}

/**
 * Turns anything thrown while answering a request into an {@link HttpError}, or `undefined` for an
 * unexpected error (answered as a generic 500).
 */
export function toHttpError(error: unknown, context: ErrorContext = {}): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as Record<string, unknown>;
  const code = typeof e.code === 'string' ? e.code : undefined;
  // Own keys only: an error whose code is `toString` or `constructor` maps to nothing.
  const status = code !== undefined && Object.hasOwn(STATUS_BY_CODE, code) ? STATUS_BY_CODE[code] : undefined;
  if (code === undefined || status === undefined || e.name === 'HttpError') return undefined;
  if (code === 'ERR_STORE') return new HttpError(503, code, 'The job store failed; try again later');
  const details: ErrorDetails = {};
  let message = typeof e.message === 'string' ? e.message : code;
  if (code === 'ERR_INVALID_TRIGGER' && typeof e.field === 'string') {
    details.field = triggerField(e.field, context.trigger);
    setValue(details, e.value);
  } else if (code === 'ERR_INVALID_ARGUMENT' && typeof e.field === 'string') {
    details.field = e.field.replace(/^(options|changes)\./, '');
    message = message.replace(/^Invalid (options|changes)\./, 'Invalid ');
    setValue(details, e.value);
  } else if (Object.hasOwn(NAMED_FIELD, code) && typeof e[(NAMED_FIELD[code] as [string, string])[0]] === 'string') {
    const [property, field] = NAMED_FIELD[code] as [string, string];
    details.field = field;
    setValue(details, e[property]);
  } else if (code === 'ERR_JOB_NOT_FOUND' && typeof e.jobId === 'string') {
    details.id = e.jobId;
  } else if (code === 'ERR_SCHEDULER_STATE' && typeof e.state === 'string') {
    details.state = e.state;
  } else if (code === 'ERR_SERIALIZATION' || code === 'ERR_MAX_ITERATIONS') {
    details.field = 'trigger';
  }
  return new HttpError(status, code, message, Object.keys(details).length > 0 ? details : undefined);
}

/** Errors that name one request field: the error's property holding the value, and the field. */
const NAMED_FIELD: Record<string, [property: string, field: string]> = {
  ERR_TASK_NOT_FOUND: ['task', 'task'],
  ERR_CONFLICTING_ID: ['jobId', 'id'],
  ERR_STORE_NOT_FOUND: ['alias', 'store'],
  ERR_EXECUTOR_NOT_FOUND: ['alias', 'executor'],
};

/**
 * A core trigger field (`cron.hour`, `and.triggers[0].hour`, `type`) as a path into the request
 * body (`trigger.hour`, `trigger.triggers[0].hour`, `trigger.type`). A crontab string is one field.
 */
function triggerField(field: string, given: unknown): string {
  if (typeof given === 'string' || field === 'trigger') return 'trigger';
  const type = typeof given === 'object' && given !== null ? (given as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && field.startsWith(`${type}.`)) return `trigger.${field.slice(type.length + 1)}`;
  return `trigger.${field}`;
}

/** Sets `details.value` when the value is plain JSON, cutting long strings. */
function setValue(details: ErrorDetails, value: unknown): void {
  details.value = jsonSafe(value);
  if (details.value === undefined) delete details.value;
}

function jsonSafe(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_VALUE_LENGTH ? `${value.slice(0, MAX_VALUE_LENGTH)}...` : value;
  }
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return boundedJson(value, MAX_VALUE_LENGTH);
}

/** Writes an error response. Works on a bare `ServerResponse`, before or without Express. */
export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  sendJson(res, error.status, body, error.headers);
}

/** The generic 500: nothing about the error itself reaches the client. */
export const internalError = (): HttpError =>
  new HttpError(500, 'ERR_INTERNAL', 'An unexpected error occurred while handling the request');
