/**
 * The logger contract (types only), shared by the scheduler and the event emitter. A neutral
 * module, so that no part below the scheduler imports from `scheduler/`.
 *
 * @module
 */

/** A console-compatible logger. The scheduler is silent unless one is given. */
export interface Logger {
  /** Routine information (start, shutdown). */
  info(message: string, ...details: unknown[]): void;
  /** Something unexpected that the scheduler recovered from. */
  warn(message: string, ...details: unknown[]): void;
  /** A failure (a listener or store that threw). */
  error(message: string, ...details: unknown[]): void;
}
