/**
 * A custom job store: the JobStore contract over one JSON file, so jobs outlive the process.
 * Two schedulers run one after the other on the same file, as a service would across a restart.
 * A teaching example, not production code: it rewrites the whole file on every call. (It does
 * pass the shared store contract suite, test/contracts/job-store.contract.ts: run it on yours.)
 *
 * Run:  npx tsx examples/custom-store.ts
 * See:  the first scheduler adds two jobs and runs the heartbeat twice, then shuts down; the file
 *       content; 2.5 s of "downtime"; the second scheduler finds both jobs in the file, runs the
 *       heartbeat once for the two slots it missed (coalesced), then the reminder, which is then
 *       removed from the file. Exits by itself after about 5.5 s.
 *
 * (An application imports from 'timetable'; the examples import the sources so that they run
 * from a checkout without a build.)
 */
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrentModificationError, ConflictingIdError, DateTrigger, JobNotFoundError, Scheduler } from '../src/index.js';
import type { JobContext, JobRecord, JobRelease, JobStore } from '../src/index.js';

/** Who holds a due job, until when (epoch ms), and its trigger then (JSON). Leases live in the file too. */
type Lease = { owner: string; until: number; trigger: string };
type Contents = { jobs: Map<string, JobRecord>; leases: Map<string, Lease> };

const timeOf = (job: JobRecord) => (job.nextRunTime === null ? Infinity : Date.parse(job.nextRunTime));
/** By next run time, then id; paused jobs (Infinity) last. Infinity - Infinity is NaN: falls to id. */
const byRunTime = (a: JobRecord, b: JobRecord) => timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

class JsonFileJobStore implements JobStore {
  // Jobs outlive the process, so the scheduler only accepts registered task names (functions
  // cannot be written to a file) and trigger types its registry can rebuild.
  readonly persistent = true;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  async addJob(record: JobRecord): Promise<void> {
    await this.#update(({ jobs }) => {
      if (jobs.has(record.id)) throw new ConflictingIdError(record.id);
      jobs.set(record.id, record);
    });
  }

  async updateJob(record: JobRecord): Promise<void> {
    await this.#update(({ jobs }) => {
      const stored = jobs.get(record.id);
      if (stored === undefined) throw new JobNotFoundError(record.id);
      // Optimistic concurrency: someone else wrote in between, so the caller re-reads and retries.
      if (record.version !== stored.version + 1) throw new ConcurrentModificationError(record.id);
      jobs.set(record.id, record); // a leased job keeps its lease
    });
  }

  async removeJob(id: string): Promise<void> {
    await this.#update(({ jobs, leases }) => {
      if (!jobs.delete(id)) throw new JobNotFoundError(id);
      leases.delete(id);
    });
  }

  async removeAllJobs(): Promise<void> {
    await this.#update(({ jobs, leases }) => {
      jobs.clear();
      leases.clear();
    });
  }

  getJob(id: string): Promise<JobRecord | undefined> {
    return this.#view(({ jobs }) => jobs.get(id));
  }

  getJobs(): Promise<JobRecord[]> {
    return this.#view(({ jobs }) => [...jobs.values()].sort(byRunTime));
  }

  /** A leased job can be taken over once its lease expires, so it counts from then. */
  getNextRunTime(): Promise<string | null> {
    return this.#view(({ jobs, leases }) => {
      const times = [...jobs.values()]
        .filter((job) => job.nextRunTime !== null)
        .map((job) => Math.max(timeOf(job), leases.get(job.id)?.until ?? -Infinity));
      return times.length === 0 ? null : new Date(Math.min(...times)).toISOString();
    });
  }

  /** Leases the due jobs to `owner`, so that schedulers sharing the file never run a slot twice. */
  acquireDueJobs(now: string, owner: string, leaseMs: number, limit: number): Promise<JobRecord[]> {
    return this.#update(({ jobs, leases }) => {
      const nowMs = Date.parse(now);
      // Take back other owners' expired leases first: their holder crashed or hung; a late
      // release is ignored. An owner never gets back a job it still holds: it is still on it.
      for (const [id, lease] of leases) if (lease.until <= nowMs && lease.owner !== owner) leases.delete(id);
      const due = [...jobs.values()]
        .filter((job) => timeOf(job) <= nowMs && !leases.has(job.id))
        .sort(byRunTime)
        .slice(0, limit);
      for (const job of due) leases.set(job.id, { owner, until: nowMs + leaseMs, trigger: JSON.stringify(job.trigger) });
      return due;
    });
  }

  /** Moves released jobs to their next run time; returns the ids of the jobs it removed. */
  releaseJobs(owner: string, releases: JobRelease[]): Promise<string[]> {
    return this.#update(({ jobs, leases }) => {
      const removed: string[] = [];
      for (const { id, acquiredRunTime, nextRunTime, pause } of releases) {
        const lease = leases.get(id);
        if (lease?.owner !== owner) continue; // not (or no longer) ours
        leases.delete(id);
        const job = jobs.get(id);
        // Paused, rescheduled or replaced while it was processed: that newer write wins.
        if (job === undefined || job.nextRunTime !== acquiredRunTime || JSON.stringify(job.trigger) !== lease.trigger) continue;
        if (nextRunTime === null && pause === true) {
          jobs.set(id, { ...job, nextRunTime: null, version: job.version + 1 }); // its trigger failed: keep it, paused
        } else if (nextRunTime === null) {
          jobs.delete(id); // the trigger is finished
          removed.push(id);
        } else {
          jobs.set(id, { ...job, nextRunTime, version: job.version + 1 });
        }
      }
      return removed;
    });
  }

  // Each call is one read-modify-write, queued behind the previous one so that concurrent calls
  // stay atomic. (Several processes on one file would also need a file lock.)
  #view<T>(read: (data: Contents) => T): Promise<T> {
    return this.#serialize(async () => read(await this.#load()));
  }

  #update<T>(change: (data: Contents) => T): Promise<T> {
    return this.#serialize(async () => {
      const data = await this.#load();
      const result = change(data); // a throw leaves the file untouched
      const json = { jobs: Object.fromEntries(data.jobs), leases: Object.fromEntries(data.leases) };
      await writeFile(`${this.path}.tmp`, JSON.stringify(json, null, 2));
      await rename(`${this.path}.tmp`, this.path); // atomic: a crash never leaves half a file
      return result;
    });
  }

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #load(): Promise<Contents> {
    // A missing file is an empty store. (start() and shutdown() are optional: none needed here.)
    const text = await readFile(this.path, 'utf8').catch(() => '{"jobs":{},"leases":{}}');
    const json = JSON.parse(text) as { jobs: Record<string, JobRecord>; leases: Record<string, Lease> };
    return { jobs: new Map(Object.entries(json.jobs)), leases: new Map(Object.entries(json.leases)) };
  }
}

// ---------------------------------------------------------------------------------------------

const started = Date.now();
const log = (line: string) => console.log(`+${((Date.now() - started) / 1000).toFixed(1)}s ${line}`);
const file = join(await mkdtemp(join(tmpdir(), 'timetable-example-')), 'jobs.json');

// Both "processes" register the same tasks by name: the file stores the name, not the code.
const tasks = {
  heartbeat: ({ scheduler }: JobContext) => log(`[${scheduler.identity}] heartbeat`),
  remind: (text: string, { scheduler }: JobContext) => log(`[${scheduler.identity}] reminder: ${text}`),
};
const newScheduler = (identity: string) =>
  new Scheduler({ identity, tasks, stores: { default: new JsonFileJobStore(file) } });
const waitFor = (scheduler: Scheduler, jobId: string, runs: number) =>
  new Promise<void>((resolve) => scheduler.on('job:executed', (e) => e.jobId === jobId && --runs === 0 && resolve()));

async function showFile(): Promise<void> {
  const { jobs } = JSON.parse(await readFile(file, 'utf8')) as { jobs: Record<string, JobRecord> };
  const lines = Object.values(jobs).map((job) => `\n    ${job.id}: task=${job.task} next=${job.nextRunTime} v${job.version}`);
  log(`the file holds:${lines.join('')}`);
}

const first = newScheduler('first');
await first.start();
await first.addJob('heartbeat', { type: 'interval', seconds: 1 }, { id: 'heartbeat' });
await first.addJob('remind', new DateTrigger(Date.now() + 5500), { id: 'reminder', args: ['the jobs survived a restart'] });
await waitFor(first, 'heartbeat', 2);
await first.shutdown();
await showFile();

log('down for 2.5 s (the heartbeat misses two slots)...');
await sleep(2500);

const second = newScheduler('second');
second.on('job:submitted', (e) => log(`[second] ${e.jobId}: one run for ${e.scheduledRunTimes.length} due slot(s)`));
second.on('job:removed', (e) => log(`[second] ${e.jobId} removed (${e.reason})`));
// Start paused to look at what was loaded before anything runs.
await second.start({ paused: true });
log(`[second] loaded from the file: ${(await second.getJobs()).map((job) => job.id).join(', ')}`);
second.resume();
await waitFor(second, 'reminder', 1);
await second.shutdown();
await showFile();
await rm(dirname(file), { recursive: true });
