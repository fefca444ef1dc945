/**
 * What crosses between the main thread and a worker thread of a {@link WorkerExecutor}, and how
 * an error sent back as data becomes an Error again. The worker side is `worker-entry.cjs`.
 *
 * @internal
 * @module
 */
import type { JobRecord, JsonValue } from 'timetable';
import type { MessagePort } from 'node:worker_threads';

/** An error (or any thrown value) as data: name, message, stack, own fields and causes kept. */
export type ErrorData =
  | { kind: 'value'; value: unknown }
  | {
      kind: 'error';
      name: string;
      message: string;
      stack: string | undefined;
      fields: Record<string, unknown>;
      cause?: ErrorData;
      /** An AggregateError's errors. */
      errors?: ErrorData[];
    };

/** Asks a worker which tasks the module exports (at start). */
export interface InspectMessage {
  kind: 'inspect';
  url: string;
}

/** One run. */
export interface RunMessage {
  kind: 'run';
  url: string;
  task: string;
  args: readonly JsonValue[];
  /** The job as stored; the thread turns it into the {@link WorkerJob} the task sees. */
  record: JobRecord;
  store: string;
  scheduledRunTime: number;
  /** Receives the abort reason at the run's timeout; only for runs with a timeout. */
  port: MessagePort | undefined;
}

/** The answer to an {@link InspectMessage}. */
export type InspectAnswer = { ok: true; tasks: string[] } | { ok: false; error: ErrorData };

/** The answer to a {@link RunMessage}. */
export type RunAnswer =
  | { status: 'success'; value: unknown }
  | { status: 'error'; error: ErrorData }
  | { status: 'missing' }
  /** The task returned a value that cannot cross back (`what` describes it: `function f`). */
  | { status: 'uncloneable'; what: string };

/**
 * The error a task threw, rebuilt on this side: a plain `Error` (its class does not cross threads)
 * with the thrown name, message, the worker's stack, `code` and other own fields, `cause`, and
 * an AggregateError's `errors`.
 * A thrown non-Error value comes back as itself.
 */
export function reviveError(data: ErrorData): unknown {
  if (data.kind === 'value') return data.value;
  const error = new Error(data.message, data.cause === undefined ? undefined : { cause: reviveError(data.cause) });
  Object.assign(error, data.fields);
  // Own, like the name a subclass sets in its constructor, so it shows in logs and inspection.
  Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  if (data.stack !== undefined) error.stack = data.stack;
  if (data.errors !== undefined) {
    Object.defineProperty(error, 'errors', { value: data.errors.map(reviveError), configurable: true, writable: true });
  }
  return error;
}

/** An error of this thread as data, for the worker side to revive (the timeout's abort reason). */
export function errorData(error: Error & { code?: string }): ErrorData {
  return { kind: 'error', name: error.name, message: error.message, stack: error.stack, fields: { ...error } };
}
