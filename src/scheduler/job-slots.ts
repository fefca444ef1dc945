/**
 * Runs in flight per job, for `maxInstances`.
 *
 * Each job's count is one small object, handed to the run that added to it and taken back from
 * that run when it ends: a run costs one map lookup instead of four (with thousands of runs a
 * second, the lookups in a large map were a tenth of the CPU of a run). A count that drops to
 * zero stays in the map: a job that runs every second would otherwise leave the map and enter
 * it again every second, and with thousands of such jobs that churn cost more than the rest of
 * the bookkeeping of a run. Zero counts are swept out at most once per {@link SWEEP_MS} (looked
 * at after every {@link CHECK_AFTER} counts that dropped to zero), so jobs that ran once and
 * are gone do not pile up.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';

/** Shortest time between two sweeps of zero counts. */
export const SWEEP_MS = 60_000;
/** Counts that drop to zero between two looks at the clock. */
export const CHECK_AFTER = 1_024;

/** The runs in flight of one job; a run that added to it holds it until the run ends. */
export interface InstanceCount {
  running: number;
}

/** Runs in flight per job id. */
export class InstanceCounts {
  readonly #counts = new Map<string, InstanceCount>();
  /** Counts that dropped to zero since the clock was last looked at. */
  #zeroed = 0;
  #sweptAt: number;

  constructor(private readonly clock: Clock) {
    this.#sweptAt = clock.now();
  }

  /** Runs of `id` in flight. */
  get(id: string): number {
    return this.#counts.get(id)?.running ?? 0;
  }

  /**
   * One more run of `id`, unless `limit` runs are in flight already: then `null`. The count
   * returned goes back to {@link InstanceCounts.remove} exactly once, when the run has ended.
   */
  add(id: string, limit: number): InstanceCount | null {
    let count = this.#counts.get(id);
    if (count === undefined) {
      count = { running: 0 };
      this.#counts.set(id, count);
    }
    if (count.running >= limit) return null;
    count.running++;
    return count;
  }

  /**
   * The run that {@link InstanceCounts.add} gave `count` to has ended (never below zero). A
   * count is swept out only at zero, when no run holds it; the job's next run gets a new one.
   */
  remove(count: InstanceCount): void {
    if (count.running > 0) count.running--;
    if (count.running === 0 && ++this.#zeroed >= CHECK_AFTER) this.#sweep();
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
    for (const [id, count] of this.#counts) if (count.running === 0) this.#counts.delete(id);
  }
}
