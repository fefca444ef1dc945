/**
 * The store's Redis connections: the client it makes from a URL (with settings that fail fast
 * instead of hanging), or the application's client, and how they are described in messages.
 *
 * Settings of a client made from a URL, and why:
 * - `connectTimeout` 5 s, and `start()` gives up after {@link START_TIMEOUT_MS} in all: an
 *   unreachable server fails `start()` with a `StoreError`, it never hangs;
 * - `enableOfflineQueue: false`: a call made while the connection is down fails at once (the
 *   scheduler reports `store:error` and retries with backoff) instead of waiting in a queue;
 * - `autoResendUnfulfilledCommands: false`: a script whose reply was lost with the connection
 *   is never sent a second time (its outcome is unknown, as with a cut SQL connection; the
 *   scheduler's leases and run records are made for that, a second run of the same step is not);
 * - reconnection itself is ioredis's: at once, then backing off to 2 s, for ever.
 *
 * Query parameters of the URL are ioredis options too (`?connectionName=app`), and win.
 *
 * @internal
 * @module
 */
import { Redis } from 'ioredis';
import type { RedisClient } from './options.js';

/** Longest wait for a server at `start()`: connecting, or an application's client answering. */
export const START_TIMEOUT_MS = 10_000;

/** The options of a client made from a URL (see the module comment). */
const OWN_CLIENT = {
  lazyConnect: true,
  connectTimeout: 5_000,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 1,
  connectionName: 'timetable',
} as const;

/** Where a store connects, for messages, and the passwords to keep out of them. */
export interface Place {
  readonly where: string;
  readonly secrets: readonly string[];
}

/** Whether `client` is an ioredis `Cluster` (it says so itself). */
export function isCluster(client: RedisClient): boolean {
  return (client as { isCluster?: unknown }).isCluster === true;
}

/** Host, port and database of a URL (or a socket path), and its password. */
export function placeOfUrl(url: string): Place {
  if (url.startsWith('/')) return { where: `socket ${url.split('?')[0] ?? url}`, secrets: [] };
  try {
    const parsed = new URL(/^rediss?:\/\//i.test(url) ? url : `redis://${url.replace(/^\/\//, '')}`);
    const db = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.searchParams.get('db') || '0';
    const secrets = [parsed.password, decodeURIComponent(parsed.password), parsed.searchParams.get('password') ?? ''].filter((s) => s !== '');
    return { where: `${parsed.hostname || 'localhost'}:${parsed.port || 6379}, db ${db}`, secrets };
  } catch {
    return { where: 'the given url', secrets: [url] };
  }
}

/** What is known of an application's client, and its password. */
export function placeOfClient(client: RedisClient): Place {
  if (isCluster(client)) {
    const password = (client as { options?: { redisOptions?: { password?: unknown } } }).options?.redisOptions?.password;
    return { where: 'an application Redis Cluster client', secrets: typeof password === 'string' ? [password] : [] };
  }
  const options = (client as Redis).options ?? {};
  const secrets = typeof options.password === 'string' && options.password !== '' ? [options.password] : [];
  const where = typeof options.path === 'string' && options.path !== '' ? `socket ${options.path}` : `${options.host ?? 'localhost'}:${options.port ?? 6379}`;
  return { where: `${where}, db ${options.db ?? 0}, the application's client`, secrets };
}

/** `promise`, or a rejection once `ms` have passed (the timer never keeps the process alive). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects `client` (made with `lazyConnect`); on failure disconnects it, so it does not retry
 * for ever, and throws the first connection error (`ECONNREFUSED` says more than "closed").
 */
export async function connectOrClose(client: Redis | RedisClient, what: string): Promise<void> {
  let first: unknown;
  const onError = (error: unknown): void => {
    first ??= error;
  };
  client.on('error', onError);
  try {
    await within(client.connect(), START_TIMEOUT_MS, what);
  } catch (error) {
    client.disconnect();
    throw first ?? error;
  } finally {
    client.off('error', onError);
  }
}

/** A client made from `url`, connected. @throws the connection error */
export async function openOwnClient(url: string): Promise<Redis> {
  const client = new Redis(url, OWN_CLIENT);
  // Until the store's watch takes over: an error event without a listener is printed by ioredis.
  client.on('error', () => undefined);
  await connectOrClose(client, 'connecting');
  return client;
}

/** Resolves when `client` is ready; rejects with its error if it ends first. */
function ready(client: RedisClient): Promise<void> {
  return new Promise((resolve, reject) => {
    let last: unknown = new Error('Connection is closed.');
    const done = (error?: unknown): void => {
      client.off('ready', onReady);
      client.off('end', onEnd);
      client.off('error', onError);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReady = (): void => done();
    const onEnd = (): void => done(last);
    // The first failure decides: a server that refuses now is unreachable for `start()`.
    const onError = (error: unknown): void => {
      last = error;
      done(error);
    };
    client.on('ready', onReady);
    client.on('end', onEnd);
    client.on('error', onError);
  });
}

/**
 * Makes sure an application's client answers: connects it first if it is lazy and idle, waits
 * for it while it is connecting (its offline queue may be off), then pings it.
 */
export async function checkAppClient(client: RedisClient): Promise<void> {
  if (client.status === 'wait') await within(client.connect(), START_TIMEOUT_MS, 'connecting the application client');
  else if (client.status !== 'ready') await within(ready(client), START_TIMEOUT_MS, 'the application client connecting');
  await within(client.ping(), START_TIMEOUT_MS, 'the application client');
}
