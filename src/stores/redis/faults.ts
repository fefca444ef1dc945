/**
 * Redis and connection errors turned into `StoreError`s: the message says which store (server,
 * database, key prefix) and what failed, in plain words for the common cases (out of memory, not
 * connected), never a password; the client's error is the `cause`.
 *
 * @internal
 * @module
 */
import { SchedulerError, StoreError } from 'timetable';
import { detailOf } from '../sql/faults.js';

/** Where a store is, for messages. */
export interface RedisLabel {
  /** `127.0.0.1:6379, db 0`, or what is known of an application's client. */
  readonly where: string;
  /** The key prefix as its hash tag, e.g. `{timetable_}`. */
  readonly tag: string;
  /** Passwords to cut out of messages. */
  readonly secrets: readonly string[];
}

/** What an error means, when it is one of the well-known ones. */
function explain(error: unknown): string | null {
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('OOM')) {
    return "Redis is out of memory (its maxmemory is reached and its policy evicts nothing); the call was refused as a whole, nothing was written";
  }
  if (message.includes("enableOfflineQueue options is false") || message === 'Connection is closed.') {
    return 'not connected to Redis (reconnecting)';
  }
  if (message.startsWith('NOPERM') || message.startsWith('NOAUTH') || message.startsWith('WRONGPASS')) {
    return 'Redis refused the credentials or the command';
  }
  return null;
}

/** The text of a `StoreError` about `error` (what it means, then the client's own words). */
export function describeFault(error: unknown, secrets: readonly string[]): string {
  const detail = detailOf(error, secrets);
  const meaning = explain(error);
  return meaning === null ? detail : `${meaning}: ${detail}`;
}

/**
 * The error a store method rejects with: library errors (`ConflictingIdError`, ...) as they
 * are, anything else as a `StoreError` with the error as `cause`.
 */
export function storeFault(error: unknown, store: RedisLabel, action: string): Error {
  if (error instanceof SchedulerError) return error;
  return new StoreError(`Redis job store (${store.where}, keys ${store.tag}*): ${action} failed: ${describeFault(error, store.secrets)}`, { cause: error });
}
