/**
 * Reading the stores of a stopped scheduler. A store holds its connections only while the
 * scheduler runs, so a read while stopped opens the stores it needs for that read and closes them
 * again. Reads go one at a time, and `start()` waits for the one in progress, so a store is never
 * opened by a read and by a start at once.
 *
 * @internal
 * @module
 */
import type { JobStore } from '../stores/job-store.js';
import type { SchedulerContext } from './context.js';

/** What a read gives: its result, or `null` when a start began before its turn. */
export type StoppedRead<T> = { value: T } | null;

/** One-at-a-time reads of stopped stores. */
export class StoppedReads {
  /** Settles once the reads queued so far have ended. */
  #idle: Promise<void> = Promise.resolve();
  /** A start is in progress: reads whose turn comes now open nothing. */
  #starting = false;

  constructor(private readonly ctx: SchedulerContext) {}

  /**
   * Called by `start()` before it opens the stores: later reads open nothing until `end` is
   * called, and the returned promise settles once the reads already under way have ended.
   */
  startBegins(): { readsEnded: Promise<void>; end: () => void } {
    this.#starting = true;
    return { readsEnded: this.#idle, end: () => void (this.#starting = false) };
  }

  /**
   * Starts the stores named by `aliases`, runs `read` on them, then shuts them down again (also
   * when the read fails). A store that fails to start fails the read with its error. Gives
   * `null`, opening nothing, when a start began before the read's turn: the caller reads again
   * once the start has ended.
   */
  read<T>(aliases: readonly string[], read: (stores: ReadonlyMap<string, JobStore>) => Promise<T>): Promise<StoppedRead<T>> {
    const result = this.#idle.then(async () => {
      if (this.#starting) return null;
      const opened = new Map<string, JobStore>();
      try {
        for (const alias of aliases) {
          const store = this.ctx.store(alias);
          await store.start?.(this.ctx.storeContext(alias));
          opened.set(alias, store);
        }
        return { value: await read(opened) };
      } finally {
        for (const [alias, store] of opened) {
          await store.shutdown?.().catch((error: unknown) => this.ctx.log('warn', `job store ${JSON.stringify(alias)}: closing after a read failed`, error));
        }
      }
    });
    this.#idle = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
