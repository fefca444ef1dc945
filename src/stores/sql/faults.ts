/**
 * Driver errors turned into `StoreError`s: the message says which store, where and what failed,
 * never a password; the driver's error is the `cause`.
 *
 * @internal
 * @module
 */
import { SchedulerError, StoreError } from 'timetable';

/** The longest driver message quoted in a `StoreError` message. */
const MAX_DETAIL = 300;

/** Cuts every secret (a password) out of `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}

/** The driver error's own words, shortened and without secrets. */
export function detailOf(error: unknown, secrets: readonly string[]): string {
  const raw = error instanceof Error ? error.message || error.name : String(error);
  const text = redact(raw, secrets).replace(/\s+/g, ' ').trim();
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 3)}...` : text;
}

/** Where a store is, for messages. */
export interface StoreLabel {
  /** `SQLite`, `PostgreSQL`, `MySQL`. */
  readonly label: string;
  /** Host, port and database, or the file. */
  readonly where: string;
  /** The tables' prefix (and schema). */
  readonly tables: string;
  /** Passwords to cut out of driver messages. */
  readonly secrets: readonly string[];
}

/**
 * The error a store method rejects with: library errors (`ConflictingIdError`, ...) as they
 * are, anything else (a driver error) as a `StoreError` with the driver error as `cause`.
 */
export function storeFault(error: unknown, store: StoreLabel, action: string): Error {
  if (error instanceof SchedulerError) return error;
  const message = `${store.label} job store (${store.where}, tables ${store.tables}): ${action} failed: ${detailOf(error, store.secrets)}`;
  return new StoreError(message, { cause: error });
}
