/**
 * `GET /jobs` with a query: filters (`state`, `task`, `q`), an order (`sort`) and pages (`limit`,
 * `cursor`). A paged list is ordered by job id unless `sort` says otherwise: an id never changes,
 * so a page does not shift when jobs run and their next run times move. The order is the
 * caller's choice: `sort=nextRun` or `sort=name` pages by that key (then the id). The cursor holds
 * the order and the last job's key (opaque to clients), so jobs added or removed meanwhile
 * neither repeat nor skip the others; under `nextRun` a job whose next run moves past the cursor
 * may show again on a later page, as in any list ordered by a key that changes.
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
  readonly nextRunTime: Date | null;
}

/** The states a list can be filtered by. */
const STATES = ['active', 'paused', 'pending', 'running'] as const;
/** The orders a list can be sorted in. */
const SORTS = ['id', 'name', 'nextRun'] as const;
/** An order of the list. */
type Sort = (typeof SORTS)[number];
/** The query parameters `GET /jobs` takes. */
const KEYS = ['limit', 'cursor', 'sort', 'state', 'task', 'q'];
/** The largest page. */
export const MAX_LIMIT = 1000;

/** A checked `GET /jobs` query. */
export interface ListQuery {
  /** Page size, or `null` for every job (the list then keeps its order by next run time). */
  limit: number | null;
  /**
   * The order: `id` when paged and not given; `null` (the scheduler's order, by next run time)
   * for an unpaged list without `sort`.
   */
  sort: Sort | null;
  /** The sort key and id after which the page starts, or `null` for the first page. */
  after: Key | null;
  state: (typeof STATES)[number] | null;
  task: string | null;
  /** Lower-cased text to find in the id or the name. */
  q: string | null;
}

/** Where a job sorts: its key under the order (a name, a next run in ms or `null`), then its id. */
type Key = [key: string | number | null, id: string];

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
  const sortText = text('sort', 20);
  if (sortText !== null && !(SORTS as readonly string[]).includes(sortText)) throw bad('sort', sortText, `must be one of ${SORTS.join(', ')}`);
  const sort = (sortText as Sort | null) ?? (limit === null ? null : 'id');
  const cursor = text('cursor', 2000);
  let after: Key | null = null;
  if (cursor !== null) {
    if (limit === null) throw bad('cursor', cursor, 'needs limit');
    after = decodeCursor(cursor, sort as Sort);
    if (after === null) throw bad('cursor', cursor, 'is not a cursor this API gave for this sort');
  }
  const state = text('state', 20);
  if (state !== null && !(STATES as readonly string[]).includes(state)) throw bad('state', state, `must be one of ${STATES.join(', ')}`);
  const q = text('q', 200);
  return { limit, sort, after, state: state as ListQuery['state'], task: text('task', 200), q: q === null ? null : q.toLowerCase() };
}

/** The cursor that starts the page after the job at `key` in the `sort` order. */
function encodeCursor(sort: Sort, key: Key): string {
  return Buffer.from(JSON.stringify([sort, ...key]), 'utf8').toString('base64url');
}

/** The key a cursor holds, or `null` when it is not one this API gave for `sort`. */
function decodeCursor(cursor: string, sort: Sort): Key | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sort) return null;
  const [, key, id] = parsed as [unknown, unknown, unknown];
  const keyOk = sort === 'id' ? key === null : sort === 'name' ? typeof key === 'string' : key === null || Number.isFinite(key);
  if (!keyOk || typeof id !== 'string' || encodeCursor(sort, [key as Key[0], id]) !== cursor) return null;
  return [key as Key[0], id];
}

/** A job's place in the `sort` order. */
function keyOf(job: Listed, sort: Sort): Key {
  const key = sort === 'name' ? job.name : sort === 'nextRun' ? (job.nextRunTime?.getTime() ?? null) : null;
  return [key, job.id];
}

/** Compares two places: by key (a `null` next run last), then by id. */
function compareKeys([a, aId]: Key, [b, bId]: Key): number {
  if (a !== b) {
    if (a === null) return 1;
    if (b === null) return -1;
    return a < b ? -1 : 1;
  }
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/**
 * The page of `jobs` (every job, in the scheduler's order) the query asks for; `running` counts a
 * job's runs in flight. Only the page is turned into JSON afterwards, however many jobs there are.
 */
export function listPage<T extends Listed>(jobs: readonly T[], query: ListQuery, running: (id: string) => number): ListPage<T> {
  const { sort, after, limit } = query;
  const matching = jobs.filter((job) => matches(job, query, running));
  if (sort === null) return { jobs: matching, total: matching.length, nextCursor: null };
  const keyed = matching.map((job) => ({ job, key: keyOf(job, sort) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  const start = after === null ? 0 : firstAfter(keyed, after);
  const page = limit === null ? keyed : keyed.slice(start, start + limit);
  const more = limit !== null && start + limit < keyed.length;
  const last = page.at(-1);
  return { jobs: page.map(({ job }) => job), total: matching.length, nextCursor: more && last ? encodeCursor(sort, last.key) : null };
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

/** The index of the first job that sorts after `key` (binary search on the sorted list). */
function firstAfter(sorted: readonly { key: Key }[], key: Key): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys((sorted[mid] as { key: Key }).key, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
