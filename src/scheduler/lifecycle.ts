/**
 * Starting and shutting down: the order in which executors, stores, pending jobs, the loop and
 * running jobs are brought up and down, and the guard that refuses overlapping transitions.
 *
 * @internal
 * @module
 */
import { ConflictingIdError, SchedulerStateError } from '../errors.js';
import type { SchedulerContext } from './context.js';
import type { JobOperations } from './jobs.js';
import type { SchedulingLoop } from './loop.js';
import type { Runner } from './runner.js';

/** Start and shutdown of one scheduler. */
export class Lifecycle {
  /** A start or shutdown in progress: another one is refused, job calls wait for it. */
  #transition: { name: 'starting' | 'stopping'; done: Promise<void> } | null = null;
  /** Set when a forced shutdown overtakes a graceful one in progress. */
  #forced = false;

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly runner: Runner,
    private readonly loop: SchedulingLoop,
    private readonly jobs: JobOperations,
  ) {}

  /** The transition in progress, if any. */
  get transition(): 'starting' | 'stopping' | undefined {
    return this.#transition?.name;
  }

  /** Resolves once no transition is in progress (at once when none is). */
  async settled(): Promise<void> {
    await this.#transition?.done;
  }

  /** Starts executors and stores and writes pending jobs; undoes what it started on failure. */
  async start(paused: boolean): Promise<void> {
    if (this.ctx.state !== 'stopped' || this.#transition) {
      throw new SchedulerStateError(this.#transition?.name ?? this.ctx.state, 'The scheduler is already running');
    }
    await this.#run('starting', async () => {
      const started: Array<() => Promise<void>> = [];
      try {
        for (const [alias, executor] of this.ctx.executors) {
          await executor.start?.({ alias, clock: this.ctx.clock });
          started.push(() => executor.shutdown({ wait: false }));
        }
        for (const [alias, store] of this.ctx.stores) {
          await store.start?.({ alias });
          started.push(async () => store.shutdown?.());
        }
        await this.#writePending();
      } catch (error) {
        for (const shutdown of started.reverse()) await shutdown().catch(() => undefined);
        throw error;
      }
      this.ctx.state = paused ? 'paused' : 'running';
    });
  }

  /**
   * Stops the loop, cancels runs still waiting out their jitter, waits for started runs when
   * `wait`, then shuts down executors and stores. A `wait: false` call during a graceful
   * shutdown forces it.
   */
  async shutdown(wait: boolean): Promise<void> {
    if (!wait && this.#transition?.name === 'stopping') {
      // A second, forced shutdown during a graceful one (Ctrl-C twice): abort what still runs.
      this.#forced = true;
      this.runner.abandon();
      await Promise.all([...this.ctx.executors.values()].map((executor) => executor.shutdown({ wait: false })));
      await this.settled();
      return;
    }
    if (this.ctx.state === 'stopped' || this.#transition) {
      throw new SchedulerStateError(this.#transition?.name ?? this.ctx.state, 'The scheduler is not running');
    }
    try {
      await this.#run('stopping', async () => {
        this.ctx.state = 'stopped';
        await this.loop.stop();
        // Runs still waiting out their jitter have not started: they are cancelled either way
        // (a graceful shutdown must not wait up to `jitter` seconds). Started runs, including the
        // rest of a coalesce 'all' batch, finish first when waiting.
        this.runner.cancelWaits();
        this.#forced = false;
        if (wait) await this.runner.drain();
        const graceful = wait && !this.#forced;
        const executors = [...this.ctx.executors.values()].map((executor) => executor.shutdown({ wait: graceful }));
        const stores = [...this.ctx.stores.values()].map(async (store) => store.shutdown?.());
        const failed = (await Promise.allSettled([...executors, ...stores])).find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
      });
    } finally {
      this.ctx.emit('scheduler:shutdown', {});
    }
  }

  /** Runs a transition step; job calls made meanwhile wait until it has ended. */
  async #run(name: 'starting' | 'stopping', step: () => Promise<void>): Promise<void> {
    const done = step();
    this.#transition = { name, done: done.then(() => undefined, () => undefined) };
    try {
      await done;
    } finally {
      this.#transition = null;
    }
  }

  /** Writes the pending jobs, after checking that none of their ids is taken. */
  async #writePending(): Promise<void> {
    for (const job of this.jobs.pending.values()) {
      if (!job.replaceExisting && (await this.jobs.find(job.record.id))) {
        throw new ConflictingIdError(job.record.id);
      }
    }
    const now = new Date(this.ctx.clock.now());
    for (const [id, job] of this.jobs.pending) {
      const { record } = job;
      if (record.nextRunTime !== null && !job.explicitNextRunTime) {
        // Pending jobs start from the start time, not from when they were added.
        const first = this.ctx.triggerOf(record).getNextFireTime(null, now);
        if (first === null) {
          this.jobs.pending.delete(id);
          this.ctx.emit('job:removed', { jobId: id, store: job.store, reason: 'finished' });
          continue;
        }
        job.record = { ...record, nextRunTime: first.toISOString() };
      }
      await this.jobs.write(job);
      this.jobs.pending.delete(id);
    }
  }
}
