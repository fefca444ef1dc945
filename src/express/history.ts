/**
 * Run history: the last N outcomes of each job, newest first, and its runs in flight, kept from
 * the scheduler's run events. Memory only (per router, lost on restart); a removed job's history
 * is dropped.
 *
 * @internal
 * @module
 */
import type { Scheduler, SchedulerEventMap } from '../index.js';
import { errorMessage, isoIn, type JobRuns, type RunInFlight, type RunRecord } from './serialize.js';

/** Ids removed lately: outcomes of their last runs may still arrive, and are dropped. */
const TOMBSTONES = 1000;

interface Entry {
  store: string;
  /** Newest first. */
  records: RunRecord[];
  /** Submitted and not ended, oldest first; the slot (epoch ms) ends one. */
  running: (RunInFlight & { slot: number })[];
}

const NO_RUNS: JobRuns = { records: [], running: [] };

type RunEventName = 'job:executed' | 'job:error' | 'job:missed' | 'job:max-instances';

/** Per-job run history of one scheduler. */
export class RunHistory {
  readonly #scheduler: Scheduler;
  readonly #size: number;
  readonly #entries = new Map<string, Entry>();
  readonly #removed = new Set<string>();
  readonly #unsubscribe: (() => void)[] = [];

  /**
   * @param scheduler - whose events to follow
   * @param size - records kept per job; 0 keeps none (runs in flight are followed still)
   */
  constructor(scheduler: Scheduler, size: number) {
    this.#scheduler = scheduler;
    this.#size = size;
    const on = <K extends keyof SchedulerEventMap>(name: K, listener: (event: SchedulerEventMap[K]) => void): void => {
      this.#unsubscribe.push(scheduler.on(name, listener));
    };
    on('job:submitted', (e) => this.#submitted(e));
    on('job:executed', (e) => this.#record(e, e.timestamp.getTime() - e.durationMs, e.durationMs, 'ok'));
    on('job:error', (e) => {
      // A run cancelled by shutdown before it started has no start.
      const neverStarted = e.durationMs === 0 && (e.error as { code?: unknown } | null)?.code === 'ERR_JOB_CANCELLED';
      const started = neverStarted ? null : e.timestamp.getTime() - e.durationMs;
      this.#record(e, started, neverStarted ? null : e.durationMs, 'error', errorMessage(e.error));
    });
    on('job:missed', (e) => this.#record(e, null, null, 'missed'));
    on('job:max-instances', (e) => this.#record(e, null, null, 'skipped'));
    on('job:added', (e) => void this.#removed.delete(e.jobId));
    on('job:removed', (e) => this.#forget(e.jobId));
    on('jobs:cleared', (e) => {
      for (const [id, entry] of this.#entries) if (e.store === null || entry.store === e.store) this.#forget(id);
    });
  }

  /** The records of a job, newest first, and its runs in flight (empty when none). */
  get(id: string): JobRuns {
    return this.#entries.get(id) ?? NO_RUNS;
  }

  /** How many jobs have records (for tests and diagnostics). */
  get jobCount(): number {
    return this.#entries.size;
  }

  /** Stops following the scheduler's events; the records already kept stay readable. */
  close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }

  #forget(id: string): void {
    this.#entries.delete(id);
    this.#removed.delete(id);
    this.#removed.add(id);
    if (this.#removed.size > TOMBSTONES) {
      const oldest = this.#removed.values().next();
      if (!oldest.done) this.#removed.delete(oldest.value);
    }
  }

  #record(
    event: SchedulerEventMap[RunEventName],
    startedMs: number | null,
    durationMs: number | null,
    status: RunRecord['status'],
    error?: string,
  ): void {
    const { jobId: id } = event;
    if (this.#removed.has(id)) return;
    const zone = this.#scheduler.timezone;
    const record: RunRecord = {
      scheduledRunTime: isoIn(zone, event.scheduledRunTime),
      startedAt: startedMs === null ? null : isoIn(zone, startedMs),
      finishedAt: isoIn(zone, event.timestamp),
      durationMs,
      status,
    };
    if (error !== undefined) record.error = error;
    const entry = this.#entry(event);
    // A run that was submitted has ended (a skipped or planned-away slot never was).
    const slot = event.scheduledRunTime.getTime();
    const index = entry.running.findIndex((run) => run.slot === slot);
    if (index >= 0) entry.running.splice(index, 1);
    if (this.#size === 0) return;
    entry.records.unshift(record);
    if (entry.records.length > this.#size) entry.records.length = this.#size;
  }

  #submitted(event: SchedulerEventMap['job:submitted']): void {
    if (this.#removed.has(event.jobId)) return;
    const zone = this.#scheduler.timezone;
    const slot = event.scheduledRunTime.getTime();
    this.#entry(event).running.push({ scheduledRunTime: isoIn(zone, slot), since: isoIn(zone, event.timestamp), slot });
  }

  #entry(event: { jobId: string; store: string }): Entry {
    let entry = this.#entries.get(event.jobId);
    if (!entry) {
      this.#entries.set(event.jobId, (entry = { store: event.store, records: [], running: [] }));
      this.#verify(event.jobId, entry);
    }
    return entry;
  }

  /** Drops a new entry whose job turns out to be gone (an outcome that arrived after a removal). */
  #verify(id: string, entry: Entry): void {
    this.#scheduler.getJob(id).then(
      (job) => {
        if (job === undefined && this.#entries.get(id) === entry) this.#entries.delete(id);
      },
      () => undefined,
    );
  }
}
