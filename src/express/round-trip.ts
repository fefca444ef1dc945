/**
 * `PATCH /jobs/:id` takes back what `GET /jobs/:id` gave: a client may read a job, change a
 * field and send the whole JSON back. Before the body is validated as changes, the fields only
 * `GET` has are taken out: ignored when they still say what the job says, refused together, in
 * one 400, when they were changed; the trigger is accepted as `GET` shows it (`{ spec,
 * description }`) as well as a bare spec or crontab string; and what did not change is left out,
 * so that sending a job back unchanged changes nothing (the same trigger again would otherwise
 * plan the next run from now).
 *
 * @internal
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import { isPlainObject } from '../internal/entry-options.js';
import { HttpError } from './errors.js';
import type { JobJson } from './serialize.js';

/** Fields of the job JSON that describe the job but cannot be changed with PATCH, and how. */
const READ_ONLY: Readonly<Record<string, string>> = {
  id: 'a job keeps its id (add a new job with POST /jobs)',
  paused: 'use POST /jobs/:id/pause or /resume',
  pending: 'set by the scheduler',
  store: 'a job stays in its store (add it to another with POST /jobs)',
};
/** Reports that change with every run: never compared, always ignored. */
const REPORTS = ['running', 'lastOutcome', 'history', 'upcoming'];


/**
 * The changes a PATCH body asks for, given the job as `GET` shows it now.
 * @throws HttpError 400 `ERR_VALIDATION` naming every read-only field that was changed
 */
export function patchChanges(body: unknown, current: JobJson): unknown {
  if (!isPlainObject(body)) return body; // parseBody names the problem
  const changes: Record<string, unknown> = { ...body };
  const changed: string[] = [];
  for (const field of Object.keys(READ_ONLY)) {
    if (!Object.hasOwn(changes, field)) continue;
    if (!isDeepStrictEqual(changes[field], current[field as keyof JobJson])) changed.push(field);
    delete changes[field];
  }
  if (changed.length > 0) {
    const list = changed.map((field) => `${field} (${READ_ONLY[field]})`).join('; ');
    throw new HttpError(400, 'ERR_VALIDATION', `Read-only field${changed.length > 1 ? 's' : ''} changed: ${list}`, {
      field: changed[0] as string,
      fields: changed,
    });
  }
  for (const field of REPORTS) delete changes[field];
  const trigger = changes['trigger'];
  if (isPlainObject(trigger) && Object.hasOwn(trigger, 'spec') && Object.keys(trigger).every((key) => key === 'spec' || key === 'description')) {
    changes['trigger'] = trigger['spec'];
  }
  // Unchanged values are left out: the same trigger or time again would move the next run.
  if (isDeepStrictEqual(changes['trigger'], current.trigger.spec)) delete changes['trigger'];
  if (changes['nextRunTime'] === current.nextRunTime) delete changes['nextRunTime'];
  if (changes['task'] === current.task) delete changes['task'];
  return changes;
}
