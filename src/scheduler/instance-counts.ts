/**
 * Runs in flight per job, for `maxInstances`.
 *
 * A count that drops to zero stays in the map: a job that runs every second would otherwise
 * leave the map and enter it again every second, and with thousands of such jobs that churn
 * cost more than the rest of the bookkeeping of a run. Zero counts are swept out at most once
 * per {@link SWEEP_MS} (looked at after every {@link CHECK_AFTER} counts that dropped to
 * zero), so jobs that ran once and are gone do not pile up.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';

/** Shortest time between two sweeps of zero counts. */
export const SWEEP_MS = 60_000;
/** Counts that drop to zero between two looks at the clock. */
export const CHECK_AFTER = 1_024;

/** Runs in flight per job id. */
export class InstanceCounts {
  readonly #counts = new Map<string, number>();
  /** Counts that dropped to zero since the clock was last looked at. */
  #zeroed = 0;
  #sweptAt: number;

  constructor(private readonly clock: Clock) {
    this.#sweptAt = clock.now();
  }

  /** Runs of `id` in flight. */
  get(id: string): number {
    return this.#counts.get(id) ?? 0;
  }

  /** One more run of `id`, unless `limit` runs are in flight already: then `false`. */
  add(id: string, limit: number): boolean {
    const count = this.#counts.get(id) ?? 0;
    if (count >= limit) return false;
    this.#counts.set(id, count + 1);
    return true;
  }

  /** One run of `id` fewer (never below zero). */
  remove(id: string): void {
    const left = (this.#counts.get(id) ?? 1) - 1;
    this.#counts.set(id, Math.max(0, left));
    if (left <= 0 && ++this.#zeroed >= CHECK_AFTER) this.#sweep();
  }

  /** Ids held in the map, zero counts included (for tests of the sweep). */
  get size(): number {
    return this.#counts.size;
  }

  #sweep(): void {
    this.#zeroed = 0;
    const now = this.clock.now();
    if (now - this.#sweptAt < SWEEP_MS) return;
    this.#sweptAt = now;
    // Deleting the current entry while iterating a Map is safe.
    for (const [id, count] of this.#counts) if (count === 0) this.#counts.delete(id);
  }
}
