/**
 * The jobs changed through the scheduler while some of them are held ahead of their due instant
 * (see `held-runs.ts` and `taken-ahead.ts`): a held job that changed must not run as it was taken.
 *
 * @internal
 * @module
 */

/** Ids of changed jobs, or every job at once. */
export class ChangedJobs {
  readonly #ids = new Set<string>();
  /** Every job changed (all removed at once). */
  #all = false;

  /** The job of `id` changed. */
  add(id: string): void {
    this.#ids.add(id);
  }

  /** Every job changed. */
  addAll(): void {
    this.#all = true;
  }

  /** Whether the job of `id` changed (checked once per held job: the set is mostly empty). */
  has(id: string): boolean {
    return this.#all || (this.#ids.size > 0 && this.#ids.has(id));
  }

  /** Forgets every change. */
  clear(): void {
    this.#ids.clear();
    this.#all = false;
  }
}
