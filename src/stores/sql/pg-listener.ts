/**
 * The PostgreSQL store's notification connection: one client of the pool held for `LISTEN`, so
 * a change written by another scheduler wakes this one at once. A lost connection is logged and
 * reconnected with backoff (1 s doubling to 30 s); after a reconnect the scheduler is woken, as
 * notifications sent meanwhile are lost. Nothing here throws into the process.
 *
 * @internal
 * @module
 */
import type pg from 'pg';
import type { ClockTimer, JobStoreContext } from 'timetable';
import type { Listener } from './dialect.js';
import { detailOf } from './faults.js';

/** Reconnect delays: the first, and the most. */
const RETRY_MS = { first: 1_000, last: 30_000 } as const;

/** The notification part of a pg client (as typed by @types/pg). */
type Notification = { channel: string; payload?: string | undefined };

/** Listens on one channel; see the module comment. */
export class PgListener implements Listener {
  #client: pg.PoolClient | null = null;
  #closed = false;
  #timer: ClockTimer | null = null;
  #delayMs: number = RETRY_MS.first;

  /**
   * @param pool - where the listening client comes from
   * @param channel - the channel (already bounded to 63 bytes)
   * @param token - this store's own payload: its own notifications do not wake it
   * @param context - the scheduler's wakeup, log and clock
   * @param describe - the store, for log messages
   * @param secrets - cut out of logged driver messages
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly token: string,
    private readonly context: JobStoreContext,
    private readonly describe: string,
    private readonly secrets: readonly string[],
  ) {}

  /** Connects and listens. @throws what the driver threw (the store's start fails) */
  async connect(): Promise<void> {
    const client = await this.pool.connect();
    if (this.#closed) {
      client.release(true);
      return;
    }
    client.on('notification', this.#onNotification);
    client.on('error', this.#onLost);
    client.on('end', this.#onLost);
    try {
      // LISTEN takes no bound parameter: the channel is written as a quoted identifier (made
      // only of validated names, '.', '_' and hex; quotes doubled all the same), exact in case,
      // as `pg_notify` sends it.
      await client.query(`LISTEN "${this.channel.replaceAll('"', '""')}"`);
    } catch (error) {
      this.#drop(client, error);
      throw error;
    }
    this.#client = client;
    this.#delayMs = RETRY_MS.first;
  }

  /** Stops listening and destroys the connection (a LISTENing client is never pooled again). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) this.context.clock.clearTimeout(this.#timer);
    this.#timer = null;
    const client = this.#client;
    this.#client = null;
    if (client !== null) this.#drop(client);
  }

  readonly #onNotification = (message: Notification): void => {
    if (this.#closed || message.channel !== this.channel || message.payload === this.token) return;
    this.#wakeup();
  };

  readonly #onLost = (error?: unknown): void => {
    const client = this.#client;
    if (this.#closed || client === null) return;
    this.#client = null;
    this.#drop(client, error ?? new Error('connection ended'));
    this.#log('warn', `lost its notification connection; reconnecting`, error);
    this.#schedule();
  };

  #schedule(): void {
    if (this.#closed || this.#timer !== null) return;
    const delay = this.#delayMs;
    this.#delayMs = Math.min(this.#delayMs * 2, RETRY_MS.last);
    this.#timer = this.context.clock.setTimeout(() => {
      this.#timer = null;
      this.connect().then(
        () => {
          if (this.#closed) return;
          this.#log('info', 'notification connection restored');
          // Whatever was sent while disconnected is lost: look at the store now.
          this.#wakeup();
        },
        (error: unknown) => {
          this.#log('warn', `cannot restore its notification connection (next try in ${this.#delayMs / 1000} s)`, error);
          this.#schedule();
        },
      );
    }, delay);
  }

  #drop(client: pg.PoolClient, error?: unknown): void {
    client.off('notification', this.#onNotification);
    client.off('error', this.#onLost);
    client.off('end', this.#onLost);
    // Errors after this point (the socket closing) must not reach the process.
    client.on('error', () => undefined);
    try {
      client.release(error instanceof Error ? error : true);
    } catch {
      // Released twice (an 'end' after an 'error'): nothing left to free.
    }
  }

  #wakeup(): void {
    try {
      this.context.wakeup();
    } catch {
      // wakeup never throws by contract; a broken one must still not reach the socket's handler.
    }
  }

  #log(level: 'info' | 'warn', message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${detailOf(error, this.secrets)}`;
    try {
      this.context.log(level, `${this.describe} ${message}${detail}`);
    } catch {
      // log never throws by contract.
    }
  }
}
