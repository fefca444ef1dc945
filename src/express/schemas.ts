/**
 * Request body schemas (valibot, bundled into this entry; none of its types are public). They
 * check shapes and types; the scheduler then checks meanings (a cron field's range, a time zone,
 * a date that exists) and its errors are mapped to 400s naming the same fields.
 *
 * @internal
 * @module
 */
import * as v from 'valibot';
import { isPlainObject } from '../internal/entry-options.js';
import { HttpError, type ErrorDetails } from './errors.js';


// Every check says what it expects in the library's words (valibot's defaults read "Invalid type:
// Expected string but received 5").
const text = (max: number) =>
  v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
/** A lone UTF-16 surrogate: with the `u` flag a well-formed pair is one code point, not matched. */
const LONE_SURROGATE = /\p{Cs}/u;
/** A job id: it goes into URLs (`Location`, `/jobs/:id`), so it must be well-formed Unicode. */
const jobId = v.pipe(
  text(200),
  v.check((value) => !LONE_SURROGATE.test(value), 'must be well-formed Unicode (no lone surrogates)'),
);

/**
 * The deepest nesting a body may have (the body itself is level 1). Real jobs need a handful of
 * levels; the limit keeps absurd nesting (`[[[[...]]]]`, an `or` of an `or` of ...) from
 * overflowing the stack of the recursive code that later walks the values.
 */
export const MAX_DEPTH = 32;
const seconds = v.nullable(
  v.pipe(v.number('must be a number of seconds, or null'), v.finite('must be a finite number'), v.minValue(0, 'must be 0 or more')),
);
const flag = v.boolean('must be true or false');

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
  name: v.optional(v.pipe(v.string('must be a string'), v.maxLength(1000, 'must be at most 1000 characters'))),
  args: v.optional(v.array(v.unknown(), 'must be an array of JSON values')),
  misfireGraceTime: v.optional(seconds),
  coalesce: v.optional(v.union([v.picklist(['latest', 'earliest', 'all']), v.boolean()], "expected 'latest', 'earliest', 'all', true or false")),
  maxInstances: v.optional(
    v.pipe(v.number('must be a whole number of 1 or more'), v.integer('must be a whole number of 1 or more'), v.minValue(1, 'must be a whole number of 1 or more')),
  ),
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
  id: v.optional(jobId),
  paused: v.optional(flag),
  replaceExisting: v.optional(flag),
  store: v.optional(text(200)),
});

/** `POST /start`. */
export const startSchema = v.object({ paused: v.optional(flag) });
/** `POST /shutdown`. */
export const shutdownSchema = v.object({ wait: v.optional(flag) });
/** Routes that take no fields (an empty object or no body). */
export const emptySchema = v.object({});

/** The output of a schema. */
export type Output<S extends v.GenericSchema> = v.InferOutput<S>;

/** The dotted path of the first value nested deeper than {@link MAX_DEPTH}, or `undefined`. Iterative. */
function tooDeep(body: unknown): string | undefined {
  const stack: [value: unknown, path: string, depth: number][] = [[body, '', 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, path, depth] = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) return path;
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
      stack.push([child, childPath, depth + 1]);
    }
  }
  return undefined;
}

function issueField(issue: v.BaseIssue<unknown>): string | null {
  return v.getDotPath(issue);
}

/**
 * Validates a body (`undefined` = no body = `{}`). Unknown fields are refused first, by their own
 * keys (so `__proto__` or `constructor` in a body is named, never silently dropped); a body
 * nested deeper than {@link MAX_DEPTH} levels is refused before anything walks it recursively.
 * @throws HttpError 400 `ERR_VALIDATION` naming the first field at fault
 */
export function parseBody<S extends v.ObjectSchema<v.ObjectEntries, undefined>>(schema: S, body: unknown): Output<S> {
  const input = body === undefined ? {} : body;
  if (!isPlainObject(input)) {
    // The body itself is at fault: `field` names it (no job field is called `body`).
    const got = Array.isArray(input) ? 'an array' : input === null ? 'null' : `a ${typeof input}`;
    throw new HttpError(400, 'ERR_VALIDATION', `The request body must be a JSON object, not ${got}`, { field: 'body' });
  }
  const deep = tooDeep(input);
  if (deep !== undefined) {
    throw new HttpError(400, 'ERR_VALIDATION', `Invalid ${deep}: nested deeper than ${MAX_DEPTH} levels`, {
      field: deep,
    });
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
