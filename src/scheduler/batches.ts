/**
 * Items sent to a store in batches, one call at a time per key: what arrives while a call is in
 * progress goes in the next one. Used for the ends of runs in flight and for letting held jobs
 * go, where a thousand runs ending together must not cost a thousand transactions.
 *
 * @internal
 * @module
 */

/** Batches of `T` by key, each key's sent by one call at a time. */
export class Batches<T> {
  /** Items not yet sent, by key. */
  readonly #waiting = new Map<string, T[]>();
  /** The call in progress, by key. */
  readonly #sending = new Map<string, Promise<void>>();

  /** @param send - sends one key's batch; must not reject (it reports its own failures) */
  constructor(private readonly send: (key: string, items: T[]) => Promise<void>) {}

  /** Queues `item` under `key`, and sends it now unless a call for `key` is in progress. */
  add(key: string, item: T): void {
    const waiting = this.#waiting.get(key);
    if (waiting === undefined) this.#waiting.set(key, [item]);
    else waiting.push(item);
    this.#next(key);
  }

  /** Resolves once nothing is waiting or being sent. */
  async settled(): Promise<void> {
    while (this.#sending.size > 0) await Promise.allSettled([...this.#sending.values()]);
  }

  #next(key: string): void {
    const items = this.#waiting.get(key);
    if (this.#sending.has(key) || items === undefined) return;
    this.#waiting.delete(key);
    const call = this.send(key, items).finally(() => {
      this.#sending.delete(key);
      this.#next(key);
    });
    this.#sending.set(key, call);
  }
}
