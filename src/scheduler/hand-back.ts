/**
 * What one pass of the loop owes one store: the releases of the due jobs it processed, and, for
 * a store shared by several schedulers, the runs it is about to start.
 *
 * With a plain store the runs start at once and the releases follow in batches (the runs of one
 * batch do not wait for the store). With a shared store the order is reversed: one call commits
 * the jobs' next run times together with the runs, and only the runs the store recorded start.
 * A scheduler killed between the two has started nothing the store does not know of, so no other
 * scheduler can start the same slot again.
 *
 * @internal
 * @module
 */
import { toIso } from '../triggers/dates.js';
import type { JobRecord, JobRelease, JobStore } from '../stores/job-store.js';
import type { RunStart, SharedJobStore } from '../stores/runs.js';
import type { SchedulerContext } from './context.js';
import { DueJobs, type PlannedStart } from './due-job.js';
import type { Runner } from './runner.js';
import { newRunId } from './shared-runs.js';

/** Most releases sent in one call. */
const CHUNK = 1_000;

/** The parts a hand-back uses. */
export interface HandBackParts {
  readonly jobs: DueJobs;
  readonly runner: Runner;
}

/** The releases (and runs) one pass owes one store. */
export class HandBack {
  readonly #releases: JobRelease[] = [];
  readonly #starts: PlannedStart[] = [];
  /** When the batch of the oldest pending release arrived; `null` when nothing is pending. */
  #oldest: number | null = null;

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly parts: HandBackParts,
    private readonly alias: string,
    private readonly store: JobStore,
    private readonly shared: SharedJobStore | null,
    private readonly owner: string,
  ) {}

  /** Milliseconds the oldest pending release has waited at `now` (0 when none). */
  age(now: number): number {
    return this.#oldest === null ? 0 : now - this.#oldest;
  }

  /** Adds a processed job: its release, and (shared stores) the runs to start after the commit. */
  add(release: JobRelease | null, start: PlannedStart | null, arrived: number): void {
    if (release !== null) {
      this.#releases.push(release);
      this.#oldest ??= arrived;
    }
    if (start !== null) this.#starts.push(start);
  }

  /** Hands a job back as it was acquired: it is due again at once, under a new lease. */
  untouched(record: JobRecord, arrived: number): void {
    this.add(untouchedRelease(record), null, arrived);
  }

  /** Sends what is pending. @throws what the store threw (nothing is lost: see `failed`) */
  async flush(): Promise<void> {
    this.#oldest = null;
    if (this.shared !== null) return this.#commit(this.shared);
    while (this.#releases.length > 0) {
      const chunk = this.#releases.slice(0, CHUNK);
      await release(this.ctx, this.alias, this.store, this.owner, chunk);
      this.#releases.splice(0, chunk.length);
    }
  }

  /**
   * After a store error: a plain store is sent what it can still take (the runs already started;
   * left to their leases' expiry, another scheduler could run their slots again), and the rest
   * is returned to retry before the next acquisition. A shared store's commit is all or nothing:
   * nothing started, the jobs stay leased until their leases expire, then their slots are planned
   * again.
   */
  async failed(): Promise<JobRelease[]> {
    if (this.shared !== null) return [];
    await this.flush().catch(() => undefined);
    return [...this.#releases];
  }

  async #commit(store: SharedJobStore): Promise<void> {
    const releases = this.#releases.splice(0);
    const starts = this.#starts.splice(0);
    if (releases.length === 0 && starts.length === 0) return;
    const { ctx } = this;
    const { jobs, runner } = this.parts;
    const leases = ctx.runLeases;
    const runs: RunStart[] = starts.map((start) => ({
      runId: newRunId(),
      jobId: start.record.id,
      node: ctx.identity,
      scheduledRunTime: toIso(DueJobs.runOf(start).scheduledRunTime),
      maxInstances: start.record.maxInstances,
    }));
    const now = new Date(ctx.clock.now()).toISOString();
    const result = await store.commitJobs(this.owner, releases, runs, now, ctx.leaseMs);
    reportRemoved(ctx, this.alias, result.removed);
    const started = new Set(result.started);
    const atLimit = new Set(result.atLimit);
    // Held jobs whose run was refused: the catch-up is skipped, as a refused series is.
    const skips: JobRelease[] = [];
    starts.forEach((start, i) => {
      const { runId } = runs[i] as RunStart;
      const { hold, record } = start;
      if (started.has(runId)) {
        leases.started(this.alias, runId);
        if (hold !== null) leases.hold(this.alias, runId, this.owner, record.id, toIso(hold.at));
        jobs.submit(start, runId);
      } else if (atLimit.has(runId)) {
        runner.atLimit(record, this.alias, DueJobs.runOf(start));
        if (hold !== null) {
          const at = toIso(hold.at);
          skips.push({ id: record.id, acquiredRunTime: at, nextRunTime: hold.skipTo === null ? null : toIso(hold.skipTo) });
        }
      }
    });
    if (skips.length > 0) {
      const skipped = await store.commitJobs(this.owner, skips, [], now, ctx.leaseMs);
      reportRemoved(ctx, this.alias, skipped.removed);
    }
  }
}

/** The release that hands a job back as it was acquired: due again at once, under a new lease. */
export function untouchedRelease(record: JobRecord): JobRelease {
  const at = record.nextRunTime as string;
  return { id: record.id, acquiredRunTime: at, nextRunTime: at };
}

/** Hands jobs back to a plain store and reports the ones that ended. */
export async function release(
  ctx: SchedulerContext,
  alias: string,
  store: JobStore,
  owner: string,
  releases: JobRelease[],
): Promise<void> {
  const removed = await store.releaseJobs(owner, releases);
  if (!Array.isArray(removed)) {
    // A store written against an older contract: it still works, but finished jobs are not reported.
    ctx.log('warn', `job store ${JSON.stringify(alias)}: releaseJobs() must return the ids it removed`);
    return;
  }
  reportRemoved(ctx, alias, removed);
}

/** Reports the jobs a store removed when they were handed back (their trigger finished). */
function reportRemoved(ctx: SchedulerContext, alias: string, removed: readonly string[]): void {
  for (const id of removed) {
    ctx.slots.setTask(id, null);
    ctx.emit('job:removed', { jobId: id, store: alias, reason: 'finished' });
  }
}
