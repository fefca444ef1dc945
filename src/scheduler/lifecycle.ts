/**
 * Starting and shutting down: the order in which executors, stores, pending jobs, the loop and
 * running jobs are brought up and down, and the guard that refuses overlapping transitions.
 *
 * @internal
 * @module
 */
import { SchedulerStateError } from '../errors.js';
import type { SchedulerContext } from './context.js';
import type { JobOperations } from './jobs.js';
import type { SchedulingLoop } from './loop.js';
import { writePending } from './pending.js';
import type { Runner } from './runner.js';
import type { StoppedReads } from './stopped-reads.js';

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
    private readonly stoppedReads: StoppedReads,
  ) {}

  /** The transition in progress, if any. */
  get transition(): 'starting' | 'stopping' | undefined {
    return this.#transition?.name;
  }

  /** What resolves once the transition in progress has ended; `undefined` when none is. */
  settled(): Promise<void> | undefined {
    return this.#transition?.done;
  }

  /** Starts executors and stores and writes pending jobs; undoes what it started on failure. */
  async start(paused: boolean): Promise<void> {
    if (this.ctx.state !== 'stopped' || this.#transition) {
      throw new SchedulerStateError(this.#transition?.name ?? this.ctx.state, 'The scheduler is already running');
    }
    // A read of the stopped stores opens and closes them: let the one under way end first.
    const reads = this.stoppedReads.startBegins();
    await this.#run('starting', async () => {
      const started: Array<() => Promise<void>> = [];
      try {
        await reads.readsEnded;
        for (const [alias, executor] of this.ctx.executors) {
          await executor.start?.(this.ctx.executorContext(alias));
          started.push(() => executor.shutdown({ wait: false }));
        }
        for (const [alias, store] of this.ctx.stores) {
          await store.start?.(this.ctx.storeContext(alias));
          started.push(async () => store.shutdown?.());
        }
        await writePending(this.ctx, this.jobs);
      } catch (error) {
        for (const shutdown of started.reverse()) await shutdown().catch(() => undefined);
        throw error;
      }
      this.ctx.state = paused ? 'paused' : 'running';
    }).finally(reads.end);
  }

  /**
   * Stops the loop, cancels runs still waiting out their jitter, waits for started runs when
   * `wait`, then shuts down executors and stores. A `wait: false` call during a graceful
   * shutdown forces it.
   *
   * @param fromRun - the call comes from a task of this scheduler: a graceful shutdown then
   *   resolves once no new run starts, and goes on in the background (its end is
   *   `scheduler:shutdown`; its errors are logged). Waiting for every run to end would wait for
   *   the caller itself, forever.
   */
  async shutdown(wait: boolean, fromRun = false): Promise<void> {
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
    let quiet!: () => void;
    const noNewRuns = new Promise<void>((resolve) => (quiet = resolve));
    const done = this.#stop(wait, quiet);
    if (!wait || !fromRun) return done;
    done.catch((error: unknown) => this.ctx.log('error', 'shutdown failed', error));
    // `done` settles first only if the shutdown failed before it stopped starting runs.
    await Promise.race([noNewRuns, done]);
  }

  /** The shutdown itself; calls `quiet` once the scheduler starts no new run. */
  async #stop(wait: boolean, quiet: () => void): Promise<void> {
    try {
      await this.#run('stopping', async () => {
        this.ctx.state = 'stopped';
        await this.loop.stop();
        // Runs still waiting out their jitter have not started: they are cancelled either way
        // (a graceful shutdown must not wait up to `jitter` seconds). Started runs, including the
        // rest of a coalesce 'all' batch, finish first when waiting.
        this.runner.cancelWaits();
        this.#forced = false;
        quiet();
        if (wait) await this.runner.drain();
        // Not waiting: forget the runs in flight, as a forced shutdown does, so none of them
        // goes on with a coalesce 'all' batch or holds an instance into the next start().
        else this.runner.abandon();
        // Runs that ended are told to shared stores before the stores close.
        await this.ctx.runLeases.settle();
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
}
