/**
 * What this process keeps per job: the function passed to `addJob` (jobs of non-persistent
 * stores) and the runs in flight (`maxInstances`), in one object per job.
 *
 * Why one map for both: with thousands of runs a second, looking a job up by id in a large map
 * is mostly a cache miss, and a run needs both its function and its count; one lookup finds both.
 * The run that adds to a job's count holds the slot and takes the count back from it when it ends.
 *
 * Counts belong to an epoch: a forced shutdown starts a new one ({@link JobSlots.forgetRuns}), and
 * the runs it abandoned neither count toward `maxInstances` afterwards nor lower the new counts.
 *
 * A slot without a function and without runs stays in the map for a while: a job that runs every
 * second would otherwise leave the map and enter it again every second, and with thousands of
 * such jobs that churn cost more than the rest of the bookkeeping of a run. Such idle slots are
 * swept out at most once per {@link SWEEP_MS} (looked at after every {@link CHECK_AFTER} counts
 * that dropped to zero), so jobs that ran once and are gone do not pile up.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { TaskFunction } from './job.js';

/** Shortest time between two sweeps of idle slots. */
export const SWEEP_MS = 60_000;
/** Counts that drop to zero between two looks at the clock. */
export const CHECK_AFTER = 1_024;

/** One job's state in this process. */
export interface JobSlot {
  /** The function passed to `addJob`, or `null` (a registered task, or a job run elsewhere). */
  task: TaskFunction | null;
  /** Runs in flight counted in epoch {@link JobSlot.epoch}; in any other epoch the count is 0. */
  running: number;
  epoch: number;
}

/** Slots by job id. */
export class JobSlots {
  readonly #slots = new Map<string, JobSlot>();
  #epoch = 0;
  /** Counts that dropped to zero since the clock was last looked at. */
  #zeroed = 0;
  #sweptAt: number;

  constructor(private readonly clock: Clock) {
    this.#sweptAt = clock.now();
  }

  /** The epoch runs are counted in now. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Starts a new epoch: every run in flight stops counting (a forced shutdown abandoned them). */
  forgetRuns(): void {
    this.#epoch++;
  }

  /** The slot of `id`, if this process has one. */
  find(id: string): JobSlot | undefined {
    return this.#slots.get(id);
  }

  /** The slot of `id`, made if missing. */
  of(id: string): JobSlot {
    let slot = this.#slots.get(id);
    if (slot === undefined) {
      slot = { task: null, running: 0, epoch: this.#epoch };
      this.#slots.set(id, slot);
    }
    return slot;
  }

  /** The function passed to `addJob` for `id`, if any. */
  task(id: string): TaskFunction | null {
    return this.#slots.get(id)?.task ?? null;
  }

  /** Sets (or with `null` clears) the function of `id`; a slot left idle goes at once. */
  setTask(id: string, task: TaskFunction | null): void {
    if (task !== null) {
      this.of(id).task = task;
      return;
    }
    const slot = this.#slots.get(id);
    if (slot === undefined) return;
    slot.task = null;
    if (this.#idle(slot)) this.#slots.delete(id);
  }

  /** Runs of `id` in flight in the current epoch. */
  running(id: string): number {
    const slot = this.#slots.get(id);
    return slot === undefined || slot.epoch !== this.#epoch ? 0 : slot.running;
  }

  /**
   * One more run of the job of `slot`, unless `limit` runs are in flight already (then `false`).
   * A run counted here goes back to {@link JobSlots.end} exactly once, with the epoch it began in.
   */
  begin(slot: JobSlot, limit: number): boolean {
    if (slot.epoch !== this.#epoch) {
      slot.epoch = this.#epoch;
      slot.running = 0;
    }
    if (slot.running >= limit) return false;
    slot.running++;
    return true;
  }

  /** A run counted by {@link JobSlots.begin} in `epoch` has ended (never below zero). */
  end(slot: JobSlot, epoch: number): void {
    if (slot.epoch !== epoch) return;
    if (slot.running > 0) slot.running--;
    if (slot.running === 0 && ++this.#zeroed >= CHECK_AFTER) this.#sweep();
  }

  /** Slots held, idle ones included (for tests of the sweep). */
  get size(): number {
    return this.#slots.size;
  }

  /** A slot neither holding a function nor counting a run of the current epoch. */
  #idle(slot: JobSlot): boolean {
    return slot.task === null && (slot.running === 0 || slot.epoch !== this.#epoch);
  }

  #sweep(): void {
    this.#zeroed = 0;
    const now = this.clock.now();
    if (now - this.#sweptAt < SWEEP_MS) return;
    this.#sweptAt = now;
    // Deleting the current entry while iterating a Map is safe.
    for (const [id, slot] of this.#slots) if (this.#idle(slot)) this.#slots.delete(id);
  }
}
