/**
 * Request body schemas (valibot, bundled into this entry; none of its types are public). They
 * check shapes and types; the scheduler then checks meanings (a cron field's range, a time zone,
 * a date that exists) and its errors are mapped to 400s naming the same fields.
 *
 * @internal
 * @module
 */
import * as v from 'valibot';
import { HttpError, type ErrorDetails } from './errors.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

const text = (max: number) => v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(max));
const seconds = v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0)));

/** A crontab string, or a JSON trigger spec `{ type, ... }` passed on to the scheduler as given. */
const trigger = v.union(
  [
    text(1000),
    v.custom<Record<string, unknown>>(
      (value) => isPlainObject(value) && typeof value.type === 'string',
      'expected a trigger spec object { type, ... }',
    ),
  ],
  'expected a crontab string or a trigger spec object { type, ... }',
);

/** Fields a job may be changed with (PATCH); POST adds `id`, `paused`, `replaceExisting`, `store`. */
const changeEntries = {
  task: v.optional(text(200)),
  trigger: v.optional(trigger),
  name: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  args: v.optional(v.array(v.unknown())),
  misfireGraceTime: v.optional(seconds),
  coalesce: v.optional(v.union([v.picklist(['latest', 'earliest', 'all']), v.boolean()], "expected 'latest', 'earliest', 'all', true or false")),
  maxInstances: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  jitter: v.optional(seconds),
  timeout: v.optional(seconds),
  nextRunTime: v.optional(v.union([v.string(), v.number()], 'expected an ISO-8601 date string or epoch milliseconds')),
  executor: v.optional(text(200)),
  metadata: v.optional(v.custom<Record<string, unknown>>(isPlainObject, 'expected an object')),
};

/** `PATCH /jobs/:id`. */
export const jobChangesSchema = v.object(changeEntries);

/** `POST /jobs`. */
export const newJobSchema = v.object({
  ...changeEntries,
  task: text(200),
  trigger,
  id: v.optional(text(200)),
  paused: v.optional(v.boolean()),
  replaceExisting: v.optional(v.boolean()),
  store: v.optional(text(200)),
});

/** `POST /start`. */
export const startSchema = v.object({ paused: v.optional(v.boolean()) });
/** `POST /shutdown`. */
export const shutdownSchema = v.object({ wait: v.optional(v.boolean()) });
/** Routes that take no fields (an empty object or no body). */
export const emptySchema = v.object({});

/** The output of a schema. */
export type Output<S extends v.GenericSchema> = v.InferOutput<S>;

function issueField(issue: v.BaseIssue<unknown>): string | null {
  return v.getDotPath(issue);
}

/**
 * Validates a body (`undefined` = no body = `{}`). Unknown fields are refused first, by their own
 * keys (so `__proto__` or `constructor` in a body is named, never silently dropped).
 * @throws HttpError 400 `ERR_VALIDATION` naming the first field at fault
 */
export function parseBody<S extends v.ObjectSchema<v.ObjectEntries, undefined>>(schema: S, body: unknown): Output<S> {
  const input = body === undefined ? {} : body;
  if (!isPlainObject(input)) {
    throw new HttpError(400, 'ERR_VALIDATION', 'The request body must be a JSON object', { field: '' });
  }
  const unknown = Object.keys(input).find((key) => !Object.hasOwn(schema.entries, key));
  if (unknown !== undefined) {
    throw new HttpError(
      400,
      'ERR_VALIDATION',
      `Unknown field ${JSON.stringify(unknown)} (accepted: ${Object.keys(schema.entries).join(', ')})`,
      { field: unknown },
    );
  }
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const [first] = result.issues;
  const field = issueField(first) ?? '';
  const details: ErrorDetails = {
    field,
    issues: result.issues.map((issue) => ({ field: issueField(issue), message: issue.message })),
  };
  const value: unknown = first.input;
  if (typeof value === 'string') details.value = value.length > 200 ? `${value.slice(0, 200)}...` : value;
  else if (value === null || typeof value === 'number' || typeof value === 'boolean') details.value = value;
  const missing = first.type === 'object' && field !== '' && first.input === undefined;
  const message = missing ? `Missing required field ${JSON.stringify(field)}` : `Invalid ${field}: ${first.message}`;
  throw new HttpError(400, 'ERR_VALIDATION', message, details);
}
