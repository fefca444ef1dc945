/**
 * The query of `GET /preview`: `trigger`, a crontab string or a JSON trigger spec as text
 * (`{"type":"interval","minutes":5}`), as `POST /jobs` takes it in its body.
 *
 * @internal
 * @module
 */
import { HttpError } from './errors.js';

/** Longest `trigger` parameter (a crontab string or a spec as JSON text). */
const MAX_LENGTH = 2000;

/**
 * The trigger input a preview asks for.
 * @throws HttpError 400 `ERR_VALIDATION` naming `trigger` (missing, too long, bad JSON) or an unknown parameter
 */
export function previewInput(query: Record<string, unknown>): unknown {
  for (const key of Object.keys(query)) {
    if (key !== 'trigger') {
      throw new HttpError(400, 'ERR_VALIDATION', `Unknown query parameter ${JSON.stringify(key)} (accepted: trigger)`, { field: key });
    }
  }
  const text = query['trigger'];
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_LENGTH) {
    throw new HttpError(400, 'ERR_VALIDATION', `Invalid query parameter trigger: must be a crontab string or a JSON trigger spec of 1 to ${MAX_LENGTH} characters`, {
      field: 'trigger',
    });
  }
  if (!text.trimStart().startsWith('{')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'ERR_VALIDATION', 'Invalid query parameter trigger: a spec must be a JSON object { type, ... }', { field: 'trigger' });
  }
}
