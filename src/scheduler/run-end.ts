/**
 * What a run in flight counts in, and who is told when it ends: its generation (a forced
 * shutdown starts a new one), its job's slot (`maxInstances`) and its run in a shared store.
 *
 * @internal
 * @module
 */
import type { JobSlot } from './job-slots.js';

/**
 * Runs of one generation: a forced shutdown starts a new one, so runs it abandoned neither count
 * toward `maxInstances` after the next `start()` nor keep a coalesce-`'all'` catch-up going.
 */
export interface Generation {
  /** The epoch of the job slots' counts this generation's runs are counted in. */
  readonly epoch: number;
  /** Runs in flight in all (a count, not a set of promises: one fewer promise per run). */
  running: number;
  /** Called when `running` drops to zero. */
  readonly idle: (() => void)[];
  abandoned: boolean;
}

/** A generation with no run in flight yet. */
export const newGeneration = (epoch: number): Generation => ({ epoch, running: 0, idle: [], abandoned: false });

/** Who to tell when a run ends: the generation it counts in, and its shared-store run. */
export interface RunEnd {
  readonly generation: Generation;
  /** The job's slot, whose count is one lower when the run ends. */
  readonly slot: JobSlot;
  readonly jobId: string;
  readonly store: string;
  readonly runId: string | null;
}
