/**
 * Validation of the Redis store's constructor arguments. Every check throws `InvalidArgumentError`
 * naming the field (`connection.url`, `options.prefix`, ...), at construction, before anything
 * connects.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from 'timetable';
import type { Cluster, Redis } from 'ioredis';
import { checkObject } from '../../internal/entry-options.js';
import { checkHandle, checkPollInterval, checkText, oneOf } from '../sql/options.js';

/** The default key prefix: the same word as the SQL stores' table prefix. */
export const DEFAULT_PREFIX = 'timetable_';

/**
 * The default `pollInterval`, in seconds. Changes reach the other schedulers by pub/sub at once,
 * and a subscriber that lost its connection wakes its scheduler when it is back; the poll only
 * bounds how late a change is seen if a message is lost some other way (a proxy without pub/sub,
 * a subscriber dropped for a full output buffer). One look costs two small script calls.
 */
export const DEFAULT_POLL_INTERVAL = 5;

/**
 * What a prefix may be made of. It becomes the hash tag `{<prefix>}` of every key, so it must
 * not contain braces (they would end the tag early) and is kept to characters that read well in
 * `redis-cli`.
 */
const PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

/** An ioredis client: a single server or sentinel connection (`Redis`), or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** Where the store's keys are, as validated. */
export type RedisSource = { url: string } | { client: RedisClient };

/** The validated options. */
export interface RedisSettings {
  readonly source: RedisSource;
  readonly prefix: string;
  readonly pollInterval: number;
}

/** `options.prefix`: letters, digits and `_ . : -`, 1 to 64 of them. */
export function checkPrefix(value: unknown): string {
  if (value === undefined) return DEFAULT_PREFIX;
  if (typeof value !== 'string' || !PREFIX.test(value)) {
    throw new InvalidArgumentError(
      'options.prefix',
      value,
      '1 to 64 letters, digits, "_", ".", ":" or "-" (it becomes the hash tag {<prefix>} of every key)',
    );
  }
  return value;
}

/** Checks the constructor's two arguments. */
export function checkSettings(connection: unknown, options: unknown): RedisSettings {
  const given = checkObject(options, 'options', ['prefix', 'pollInterval']);
  const prefix = checkPrefix(given.prefix);
  const pollInterval = given.pollInterval === undefined ? DEFAULT_POLL_INTERVAL : checkPollInterval(given.pollInterval);
  const { key, value } = oneOf(connection, ['url', 'client']);
  const source: RedisSource =
    key === 'url'
      ? { url: checkText(value, 'connection.url') }
      : { client: checkHandle<RedisClient>(value, 'connection.client', ['duplicate', 'evalsha', 'eval', 'subscribe'], 'an ioredis Redis or Cluster client') };
  return { source, prefix, pollInterval };
}
