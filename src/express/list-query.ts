/**
 * `GET /jobs` with a query: filters (`state`, `task`, `q`) and pages (`limit`, `cursor`). A paged
 * list is ordered by job id, which never changes, so a page does not shift when jobs run and
 * their next run times move; the cursor is the last id of the previous page (opaque to clients),
 * so jobs added or removed meanwhile neither repeat nor skip the others.
 *
 * @internal
 * @module
 */
import { HttpError } from './errors.js';

/** What the filters read of a job. */
interface Listed {
  readonly id: string;
  readonly name: string;
  readonly task: string;
  readonly paused: boolean;
  readonly pending: boolean;
}

/** The states a list can be filtered by. */
const STATES = ['active', 'paused', 'pending', 'running'] as const;
/** The query parameters `GET /jobs` takes. */
const KEYS = ['limit', 'cursor', 'state', 'task', 'q'];
/** The largest page. */
export const MAX_LIMIT = 1000;

/** A checked `GET /jobs` query. */
export interface ListQuery {
  /** Page size, or `null` for every job (the list then keeps its order by next run time). */
  limit: number | null;
  /** The id after which the page starts, or `null` for the first page. */
  after: string | null;
  state: (typeof STATES)[number] | null;
  task: string | null;
  /** Lower-cased text to find in the id or the name. */
  q: string | null;
}

/** One page of the list, and what it takes to ask for the next. */
export interface ListPage<T> {
  jobs: T[];
  /** How many jobs match the filters, over every page. */
  total: number;
  /** The `cursor` of the next page, or `null` on the last one. */
  nextCursor: string | null;
}

function bad(field: string, value: unknown, message: string): HttpError {
  const shown = typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}...` : value;
  return new HttpError(400, 'ERR_VALIDATION', `Invalid query parameter ${field}: ${message}`, { field, value: shown });
}

/**
 * Checks the query string of `GET /jobs`.
 * @throws HttpError 400 `ERR_VALIDATION` naming the parameter at fault (an unknown one too)
 */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  for (const [key, value] of Object.entries(query)) {
    if (!KEYS.includes(key)) throw bad(key, value, `no such parameter (accepted: ${KEYS.join(', ')})`);
    if (typeof value !== 'string') throw bad(key, value, 'given more than once');
  }
  const text = (key: string, max: number): string | null => {
    const value = query[key] as string | undefined;
    if (value === undefined) return null;
    if (value === '' || value.length > max) throw bad(key, value, `must be 1 to ${max} characters`);
    return value;
  };
  const limitText = text('limit', 10);
  const limit = limitText === null ? null : Number(limitText);
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT)) {
    throw bad('limit', limitText, `must be an integer from 1 to ${MAX_LIMIT}`);
  }
  const cursor = text('cursor', 2000);
  let after: string | null = null;
  if (cursor !== null) {
    if (limit === null) throw bad('cursor', cursor, 'needs limit');
    after = Buffer.from(cursor, 'base64url').toString('utf8');
    if (after === '' || encodeCursor(after) !== cursor) throw bad('cursor', cursor, 'is not a cursor this API gave');
  }
  const state = text('state', 20);
  if (state !== null && !(STATES as readonly string[]).includes(state)) throw bad('state', state, `must be one of ${STATES.join(', ')}`);
  const q = text('q', 200);
  return { limit, after, state: state as ListQuery['state'], task: text('task', 200), q: q === null ? null : q.toLowerCase() };
}

/** The cursor that starts the page after the job `id`. */
function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * The page of `jobs` (every job, in the scheduler's order) the query asks for; `running` counts a
 * job's runs in flight. Only the page is turned into JSON afterwards, however many jobs there are.
 */
export function listPage<T extends Listed>(jobs: readonly T[], query: ListQuery, running: (id: string) => number): ListPage<T> {
  const matching = jobs.filter((job) => matches(job, query, running));
  if (query.limit === null) return { jobs: matching, total: matching.length, nextCursor: null };
  matching.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { after } = query;
  const start = after === null ? 0 : firstAfter(matching, after);
  const page = matching.slice(start, start + query.limit);
  const more = start + query.limit < matching.length;
  return { jobs: page, total: matching.length, nextCursor: more ? encodeCursor((page.at(-1) as T).id) : null };
}

function matches(job: Listed, { state, task, q }: ListQuery, running: (id: string) => number): boolean {
  if (task !== null && job.task !== task) return false;
  if (q !== null && !job.id.toLowerCase().includes(q) && !job.name.toLowerCase().includes(q)) return false;
  switch (state) {
    case null:
      return true;
    case 'paused':
      return job.paused;
    case 'pending':
      return job.pending;
    case 'running':
      return running(job.id) > 0;
    case 'active':
      return !job.paused && !job.pending;
  }
}

/** The index of the first job whose id sorts after `id` (binary search on the sorted list). */
function firstAfter(sorted: readonly Listed[], id: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as Listed).id <= id) low = mid + 1;
    else high = mid;
  }
  return low;
}
