/**
 * The Redis server of the store tests, and scratch key prefixes.
 *
 * - URL: `TIMETABLE_REDIS_URL` (default the local server, `redis://127.0.0.1:6379`).
 * - A test file probes the server once ({@link probeRedis}) and declares its suites with
 *   `describeWithServer` (`./databases.ts`): without a server they are skipped with a message,
 *   except with `CI=true`, where a missing server is a failure.
 * - Every test file works under its own random key prefix (`tt_<pid>_<random>`, each store of it
 *   under `<that>_<n>`), and deletes the keys of those prefixes afterwards ({@link RedisScratch.drop}):
 *   parallel test files never meet, and nothing is left behind.
 *
 * @module
 */
import { Redis } from 'ioredis';
import type { Probe } from './databases.js';
import { scratchName } from './databases.js';

/** The Redis server of the tests. */
export const REDIS_URL = process.env.TIMETABLE_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Connects once to the Redis server (3 s at most). */
export async function probeRedis(): Promise<Probe> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let first: unknown;
  client.on('error', (error: unknown) => void (first ??= error));
  try {
    await client.connect();
    const version = ((await client.info('server')).match(/redis_version:(\d+)/) ?? [])[1];
    if (Number(version) < 7) return { ok: false, reason: `Redis ${version} answered; the store needs Redis 7 or later` };
    return { ok: true, reason: '' };
  } catch (error) {
    // The connection's own error (ECONNREFUSED ...) says more than "Connection is closed."
    const cause = (first ?? error) as Error;
    return { ok: false, reason: `${REDIS_URL.replace(/\/\/[^@/]*@/, '//')}: ${cause.message || String(cause)}` };
  } finally {
    client.disconnect();
  }
}

/** Scratch key prefixes on the test server, and an admin connection. */
export interface RedisScratch {
  /** The file's base prefix. */
  readonly base: string;
  /** A connection for the test to look at and change keys (and kill clients). */
  readonly admin: Redis;
  /** A fresh prefix under the base (one store, or several sharing one set of keys). */
  prefix(): string;
  /** Every key of a prefix made here, sorted. */
  keysOf(prefix: string): Promise<string[]>;
  /** Every key matching a SCAN pattern, sorted. */
  keysMatching(pattern: string): Promise<string[]>;
  /** Deletes the keys of every prefix made here, then closes the admin connection. */
  drop(): Promise<void>;
}

/** The most SCAN pages a cleanup reads: the test server holds no more than a few thousand keys. */
const MAX_SCAN_PAGES = 10_000;

/** Keys matching `pattern`, by a bounded SCAN (cleanup and inspection only, never the store's way). */
async function scanKeys(admin: Redis, pattern: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  let pages = 0;
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    for (const key of keys) found.add(key);
    cursor = next;
  } while (cursor !== '0' && ++pages < MAX_SCAN_PAGES);
  return [...found].sort();
}

/** A fresh base prefix for one test file. */
export function redisScratch(): RedisScratch {
  const base = scratchName();
  const admin = new Redis(REDIS_URL, { connectionName: `${base}_admin` });
  admin.on('error', () => undefined);
  let n = 0;
  // `*` and `?` do not occur in prefixes; `{` is not special in SCAN patterns.
  const glob = (prefix: string): string => `{${prefix}}*`;
  return {
    base,
    admin,
    prefix: () => `${base}_${n++}`,
    keysOf: (prefix) => scanKeys(admin, glob(prefix)),
    keysMatching: (pattern) => scanKeys(admin, pattern),
    async drop() {
      try {
        const keys = await scanKeys(admin, `{${base}_*`);
        for (let i = 0; i < keys.length; i += 500) await admin.del(...keys.slice(i, i + 500));
      } finally {
        admin.disconnect();
      }
    },
  };
}

/** Kills every client connection named `name` (`CLIENT KILL ID`); returns how many. */
export async function killClients(admin: Redis, name: string): Promise<number> {
  const list = await admin.client('LIST');
  const ids = String(list)
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) await admin.client('KILL', 'ID', id).catch(() => undefined);
  return ids.length;
}
