/**
 * Change notification between the schedulers sharing a store: every write of jobs publishes the
 * writer's token on the store's channel (inside the writing script), and each store listens on
 * a connection of its own (a subscribed connection can send nothing else), duplicated from its
 * client. A message from another store wakes the scheduler at once; its own are ignored.
 *
 * Pub/sub delivers at most once: what is published while the subscriber is disconnected is lost.
 * So when its connection comes back (ioredis reconnects and subscribes again by itself) the
 * scheduler is woken to look at the store, and the store's `pollInterval` bounds the delay of a
 * change lost any other way.
 *
 * @internal
 * @module
 */
import type { Cluster, Redis } from 'ioredis';
import type { JobStoreContext } from 'timetable';
import { connectOrClose, isCluster, within, START_TIMEOUT_MS } from './connection.js';
import { ConnectionWatch } from './watch.js';
import type { RedisClient } from './options.js';

/** A subscribed connection; {@link Subscriber.close} disconnects it. */
export class Subscriber {
  readonly #connection: RedisClient;
  readonly #watch: ConnectionWatch;
  #closed = false;

  private constructor(
    connection: RedisClient,
    private readonly channel: string,
    private readonly token: string,
    private readonly context: JobStoreContext,
    label: string,
    secrets: readonly string[],
  ) {
    this.#connection = connection;
    this.#watch = new ConnectionWatch(connection, context, `${label}: its change listener`, secrets, () => this.#wakeup());
    connection.on('message', this.#onMessage);
  }

  /**
   * Duplicates `client`, connects the copy and subscribes it to `channel`.
   *
   * @param token - this store's own messages carry it, and do not wake it
   * @throws what the connection or the subscription failed with (the copy is disconnected)
   */
  static async open(client: RedisClient, channel: string, token: string, context: JobStoreContext, label: string, secrets: readonly string[]): Promise<Subscriber> {
    // Lazy, so that connecting is awaited (and bounded) here, whatever the original's settings.
    const connection: RedisClient = isCluster(client)
      ? (client as Cluster).duplicate([], { lazyConnect: true })
      : (client as Redis).duplicate({ lazyConnect: true });
    connection.on('error', () => undefined);
    await connectOrClose(connection, 'connecting the change listener');
    const subscriber = new Subscriber(connection, channel, token, context, label, secrets);
    try {
      await within(connection.subscribe(channel), START_TIMEOUT_MS, 'subscribing');
    } catch (error) {
      subscriber.close();
      throw error;
    }
    return subscriber;
  }

  /** Stops listening and disconnects. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watch.close();
    this.#connection.off('message', this.#onMessage);
    this.#connection.disconnect();
  }

  readonly #onMessage = (channel: string, message: string): void => {
    if (this.#closed || channel !== this.channel || message === this.token) return;
    this.#wakeup();
  };

  #wakeup(): void {
    if (this.#closed) return;
    try {
      this.context.wakeup();
    } catch {
      // wakeup never throws by contract; a broken one must still not reach the socket's handler.
    }
  }
}
