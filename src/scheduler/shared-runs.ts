/**
 * The runs this scheduler has in flight in stores shared with other schedulers: it extends their
 * leases while they run, ends them when they end, and finds the runs other schedulers left
 * behind when they died.
 *
 * @internal
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { ClockTimer } from '../clock/clock.js';
import type { JobStore } from '../stores/job-store.js';
import type { SharedJobStore } from '../stores/runs.js';
import { Batches } from './batches.js';
import type { SchedulerContext } from './context.js';

/** The store behind `store` if it keeps runs in flight for several schedulers, else `null`. */
export function sharedRuns(store: JobStore | undefined): SharedJobStore | null {
  const candidate = store as Partial<SharedJobStore> | undefined;
  return candidate !== undefined &&
    typeof candidate.commitJobs === 'function' &&
    typeof candidate.extendRuns === 'function' &&
    typeof candidate.finishRuns === 'function' &&
    typeof candidate.reapRuns === 'function'
    ? (candidate as SharedJobStore)
    : null;
}

/** A new run id. */
export const newRunId = (): string => randomUUID();

/** A job held by this scheduler while the run of one of its catch-up slots lasts. */
interface Hold {
  readonly alias: string;
  /** The lease owner that holds it (the pass that took it). */
  readonly owner: string;
  readonly jobId: string;
  /** The job's next run time while held (ISO-8601): the next slot of the catch-up. */
  readonly at: string;
}

/** Runs in flight in shared stores, by store alias, and the jobs held while they run. */
export class RunLeases {
  /** Run ids in flight, by store alias. */
  readonly #live = new Map<string, Set<string>>();
  /** Ended runs told to their store (`finishRuns`), by store alias. */
  readonly #ended = new Batches<string>((alias, runIds) =>
    // Not fatal: an unfinished run stops counting once its lease expires, and is then reported.
    this.#call(alias, `ending ${runIds.length} run(s)`, (store) => store.finishRuns(runIds)),
  );
  /** When each store was last asked for abandoned runs. */
  readonly #reapedAt = new Map<string, number>();
  /** Jobs held while a run lasts, by run id. */
  readonly #held = new Map<string, Hold>();
  /** Held jobs whose run ended, let go by store alias and owner (see {@link RunLeases.ended}). */
  readonly #letGo = new Batches<{ runId: string; hold: Hold }>((_, batch) => this.#letGoNow(batch));
  #timer: ClockTimer | null = null;

  constructor(private readonly ctx: SchedulerContext) {}

  /** A run recorded in `alias` has started here: its lease is extended until it ends. */
  started(alias: string, runId: string): void {
    let live = this.#live.get(alias);
    if (live === undefined) this.#live.set(alias, (live = new Set()));
    live.add(runId);
    this.#arm();
  }

  /**
   * The run `runId` is the slot of a catch-up whose job `owner` holds at its next slot `at`: the
   * hold is renewed while the run lasts, and the job let go when it ends.
   */
  hold(alias: string, runId: string, owner: string, jobId: string, at: string): void {
    this.#held.set(runId, { alias, owner, jobId, at });
  }

  /** A run has ended (however): the store forgets it (ends are sent in batches, one call at a time). */
  ended(alias: string, runId: string): void {
    const live = this.#live.get(alias);
    if (live === undefined || !live.delete(runId)) return;
    if (live.size === 0) this.#live.delete(alias);
    const hold = this.#held.get(runId);
    if (hold === undefined) {
      this.#ended.add(alias, runId);
      return;
    }
    this.#held.delete(runId);
    this.#letGo.add(`${hold.alias}\0${hold.owner}`, { runId, hold });
  }

  /** A forced shutdown: every run still in flight here counts as ended. */
  abandonAll(): void {
    for (const [alias, live] of [...this.#live]) for (const runId of [...live]) this.ended(alias, runId);
  }

  /** Resolves once every ended run has been told to its store (before the stores shut down). */
  async settle(): Promise<void> {
    await Promise.all([this.#ended.settled(), this.#letGo.settled()]);
    if (this.#live.size === 0) this.#disarm();
  }

  /**
   * Ends the runs of held jobs' slots, then lets the jobs go, due at their next slot: the next
   * pass of any scheduler plans the rest of their catch-ups. In this order, so the runs no longer
   * count toward `maxInstances` when the next slots are committed. One call of each kind for all
   * that ended meanwhile (a thousand jobs catching up together must not cost a thousand
   * transactions a slot), one batch at a time per owner. On failure the holds expire instead.
   */
  #letGoNow(batch: { runId: string; hold: Hold }[]): Promise<void> {
    const { alias, owner } = (batch[0] as { hold: Hold }).hold;
    return this.#call(alias, `letting ${batch.length} held job(s) go`, async (store) => {
      await store.finishRuns(batch.map(({ runId }) => runId));
      const now = new Date(this.ctx.clock.now()).toISOString();
      const releases = batch.map(({ hold }) => ({ id: hold.jobId, acquiredRunTime: hold.at, nextRunTime: hold.at }));
      await store.commitJobs(owner, releases, [], now, this.ctx.leaseMs);
      this.ctx.wakeup();
    });
  }

  /**
   * Reports the runs of `alias` whose scheduler stopped extending them, at most once per half a
   * lease (they are found within a lease and a half of their scheduler's death).
   */
  async reap(alias: string, store: SharedJobStore): Promise<void> {
    const now = this.ctx.clock.now();
    const last = this.#reapedAt.get(alias);
    if (last !== undefined && now - last < this.ctx.leaseMs / 2) return;
    this.#reapedAt.set(alias, now);
    for (const run of await store.reapRuns(new Date(now).toISOString())) {
      this.ctx.log('warn', `run ${run.runId} of job ${JSON.stringify(run.jobId)} on ${run.node} was abandoned`);
      this.ctx.emit('job:abandoned', {
        jobId: run.jobId,
        store: alias,
        scheduledRunTime: new Date(run.scheduledRunTime),
        node: run.node,
        runId: run.runId,
      });
    }
  }

  /** Extends the leases of the runs in flight every third of a lease, while there are any. */
  #arm(): void {
    if (this.#timer !== null) return;
    this.#timer = this.ctx.clock.setTimeout(() => {
      this.#timer = null;
      void this.#extend();
    }, this.ctx.leaseMs / 3);
  }

  #disarm(): void {
    if (this.#timer !== null) this.ctx.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #extend(): Promise<void> {
    const now = new Date(this.ctx.clock.now()).toISOString();
    // Held jobs by store and owner: each group's holds are renewed in one call.
    const holds = new Map<string, Hold[]>();
    for (const hold of this.#held.values()) {
      const key = `${hold.alias}\0${hold.owner}`;
      const group = holds.get(key);
      if (group === undefined) holds.set(key, [hold]);
      else group.push(hold); // not a copy per hold: a thousand jobs may catch up at once
    }
    const calls = [...this.#live].map(([alias, live]) =>
      this.#call(alias, 'extending the leases of runs in flight', (store) =>
        store.extendRuns(this.ctx.identity, [...live], now, this.ctx.leaseMs),
      ),
    );
    for (const group of holds.values()) {
      const { alias, owner } = group[0] as Hold;
      const renewals = group.map(({ jobId, at }) => ({ id: jobId, acquiredRunTime: at, nextRunTime: at, hold: true }));
      calls.push(this.#call(alias, 'renewing held jobs', (store) => store.commitJobs(owner, renewals, [], now, this.ctx.leaseMs)));
    }
    await Promise.all(calls);
    if (this.#live.size > 0) this.#arm();
  }

  /** One call to a shared store; a failure is logged and reported, never thrown. */
  async #call(alias: string, what: string, call: (store: SharedJobStore) => Promise<unknown>): Promise<void> {
    const store = sharedRuns(this.ctx.stores.get(alias));
    if (store === null) return;
    try {
      await call(store);
    } catch (error) {
      this.ctx.log('error', `job store ${JSON.stringify(alias)}: ${what} failed`, error);
      this.ctx.emit('store:error', { alias, error });
    }
  }
}
