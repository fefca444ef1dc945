/**
 * {@link KeyedQueue}: runs async sections one after another per key.
 *
 * @internal
 * @module
 */

const ignore = (): void => undefined;

/**
 * Runs async sections one after another per key, in call order, and sections of different keys
 * concurrently. The scheduler queues its writes to one job here: they no longer race each other
 * for the job's version, so optimistic-concurrency retries are left for writers in other
 * processes. A key is forgotten as soon as its queue is empty, so ids seen once do not pile up.
 */
export class KeyedQueue {
  /** The last section queued per key, settled (never rejecting) when it ends. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `section` once every section queued before it under `key` has ended. */
  run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const result = previous === undefined ? section() : previous.then(section);
    const tail = result.then(ignore, ignore);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** How many keys have sections queued or running. */
  get size(): number {
    return this.#tails.size;
  }
}
