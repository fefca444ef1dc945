/**
 * A watch over a connection the store made: logs when it is lost (once, with the cause) and
 * when it is back (once), and tells the change listener, which must then wake its scheduler.
 *
 * @internal
 * @module
 */
import type { JobStoreContext } from 'timetable';
import { detailOf } from '../sql/faults.js';
import type { RedisClient } from './options.js';

/**
 * Logs when a connection is lost (once) and when it is back (once), and calls `restored` then.
 * Holds an `error` listener meanwhile, so a failing reconnect never reaches the process.
 */
export class ConnectionWatch {
  #up = true;
  #lastError: unknown = undefined;
  #closed = false;

  /**
   * @param client - the connection watched (one the store made)
   * @param context - where to log
   * @param label - the store and connection, for messages
   * @param secrets - cut out of logged messages
   * @param restored - called once the connection is back (a subscriber wakes the scheduler)
   */
  constructor(
    private readonly client: RedisClient,
    private readonly context: JobStoreContext,
    private readonly label: string,
    private readonly secrets: readonly string[],
    private readonly restored: () => void = () => undefined,
  ) {
    client.on('error', this.#onError);
    client.on('close', this.#onClose);
    client.on('ready', this.#onReady);
  }

  /** Stops watching; errors after this point (the socket closing) are swallowed. */
  close(): void {
    this.#closed = true;
    this.client.off('close', this.#onClose);
    this.client.off('ready', this.#onReady);
  }

  readonly #onError = (error: unknown): void => {
    this.#lastError = error;
  };

  readonly #onClose = (): void => {
    if (this.#closed || !this.#up) return;
    this.#up = false;
    const cause = this.#lastError === undefined ? '' : `: ${detailOf(this.#lastError, this.secrets)}`;
    this.#log('warn', `${this.label} lost its connection; reconnecting${cause}`);
  };

  readonly #onReady = (): void => {
    this.#lastError = undefined;
    if (this.#closed || this.#up) return;
    this.#up = true;
    this.#log('info', `${this.label} connection restored`);
    try {
      this.restored();
    } catch {
      // A wakeup never throws by contract; a broken one must not reach the socket's handler.
    }
  };

  #log(level: 'info' | 'warn', message: string): void {
    try {
      this.context.log(level, message);
    } catch {
      // log never throws by contract.
    }
  }
}
