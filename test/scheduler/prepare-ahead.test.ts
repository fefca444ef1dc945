/**
 * Due instants prepared ahead (an in-process store): after a small instant the next one's jobs
 * are taken and their runs planned a few milliseconds early, after one of more than 100 jobs the
 * jobs are only taken early; either way the runs start at the instant itself, a change made
 * through the scheduler in between wins, and a stop hands the jobs back unstarted. A persistent
 * store is never asked ahead. On the virtual clock a preparation takes no time, so the lead is
 * its least, 2 ms: the window is [T - 2 ms, T).
 */
import { describe, expect, it } from 'vitest';
import { IntervalTrigger, MemoryJobStore, type JobContext } from '../../src/index.js';
import type { JobRecord } from '../../src/stores/job-store.js';
import type { VirtualClock } from '../../src/testing/index.js';
import { T0, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const S = 1_000;
const at = (ms: number) => new Date(T0 + ms);

/** A memory store that records, for each acquisition that took jobs, the instant asked for and the clock's time. */
class WatchedStore extends MemoryJobStore {
  readonly asked: { for: number; at: number; jobs: number }[] = [];
  constructor(private readonly clock: VirtualClock) {
    super();
  }
  override async acquireDueJobs(now: string, owner: string, leaseMs: number, limit: number): Promise<JobRecord[]> {
    const jobs = await super.acquireDueJobs(now, owner, leaseMs, limit);
    if (jobs.length > 0) this.asked.push({ for: Date.parse(now), at: this.clock.now(), jobs: jobs.length });
    return jobs;
  }
}

/**
 * A scheduler on a watched store, one job every second from 1 s whose runs are recorded, and
 * `crowd` more jobs on the same schedule (150: the instants from 2 s on have too many jobs for
 * their runs to be prepared, and their jobs are only taken ahead).
 */
async function everySecond(options: { args?: string[]; crowd?: number } = {}) {
  const { clock, scheduler } = makeScheduler();
  const store = new WatchedStore(clock);
  await scheduler.addJobStore(store, 'watched');
  for (let k = 0; k < (options.crowd ?? 0); k++) {
    await scheduler.addJob(() => undefined, new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: `crowd-${k}`, store: 'watched' });
  }
  const runs: { slot: number; at: number; args: unknown[] }[] = [];
  const task = (...args: unknown[]) => {
    const context = args.pop() as JobContext;
    runs.push({ slot: context.scheduledRunTime.getTime() - T0, at: clock.now() - T0, args });
  };
  await scheduler.addJob(task, new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: 'job', store: 'watched', args: options.args ?? [] });
  const events = recordEvents(scheduler);
  await scheduler.start();
  return { clock, scheduler, store, runs, events };
}

describe('runs prepared ahead of their due instant', () => {
  it('are taken before the instant and started exactly at it', async () => {
    const { clock, scheduler, store, runs } = await everySecond();
    await clock.advance(3 * S);
    expect(runs.map((run) => [run.slot, run.at])).toEqual([[S, S], [2 * S, 2 * S], [3 * S, 3 * S]]);
    // Each slot's job was asked for 2 ms ahead, and no run started then.
    expect(store.asked.map((ask) => [ask.for - T0, ask.at - T0])).toEqual([[S, S - 2], [2 * S, 2 * S - 2], [3 * S, 3 * S - 2]]);
    await scheduler.shutdown();
  });

  it('prepares the runs of at most 100 jobs; after an instant that had more, takes the next one\'s jobs ahead; all start at the instant, once', async () => {
    const { clock, scheduler } = makeScheduler();
    const store = new WatchedStore(clock);
    await scheduler.addJobStore(store, 'watched');
    const runs = new Map<string, number[]>();
    for (let k = 0; k < 1_250; k++) {
      const id = `job-${k}`;
      runs.set(id, []);
      await scheduler.addJob(() => void runs.get(id)?.push(clock.now() - T0), new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id, store: 'watched' });
    }
    await scheduler.start();
    await clock.advance(2 * S);
    expect(new Set([...runs.values()].map((times) => JSON.stringify(times)))).toEqual(new Set([JSON.stringify([S, 2 * S])]));
    const asked = (slot: number) => store.asked.filter((ask) => ask.for - T0 === slot).map((ask) => [ask.at - T0, ask.jobs]);
    // The runs of a hundred are prepared ahead; the other jobs are taken at the instant, a
    // thousand at a time. The instant after one of 1,250 jobs has all of them taken ahead, a
    // thousand at a time, and only planned at the instant.
    expect(asked(S)).toEqual([[S - 2, 100], [S, 1_000], [S, 150]]);
    expect(asked(2 * S)).toEqual([[2 * S - 2, 1_000], [2 * S - 2, 250]]);
    // Once the instants are small again, their runs are prepared again (the first small one
    // still follows a big one).
    for (let k = 0; k < 1_200; k++) await scheduler.removeJob(`job-${k}`);
    await clock.advance(2 * S);
    expect(asked(3 * S)).toEqual([[3 * S - 2, 50]]);
    expect(asked(4 * S)).toEqual([[4 * S - 2, 50]]);
    expect(runs.get('job-1249')).toEqual([S, 2 * S, 3 * S, 4 * S]);
    expect(runs.get('job-0')).toEqual([S, 2 * S]);
    await scheduler.shutdown();
  });

  it('never asks a persistent store ahead of time', async () => {
    const runs: number[] = [];
    const { clock, scheduler } = makeScheduler({ tasks: { tick: () => void runs.push(clock.now() - T0) } });
    const store = new WatchedStore(clock);
    Object.defineProperty(store, 'persistent', { value: true });
    await scheduler.addJobStore(store, 'watched');
    await scheduler.addJob('tick', new IntervalTrigger({ seconds: 1, startDate: at(S) }), { store: 'watched' });
    await scheduler.start();
    await clock.advance(3 * S);
    expect(runs).toEqual([S, 2 * S, 3 * S]);
    expect(store.asked.map((ask) => [ask.for - T0, ask.at - T0])).toEqual([[S, S], [2 * S, 2 * S], [3 * S, 3 * S]]);
    await scheduler.shutdown();
  });
});

describe.each([
  ['runs prepared ahead (a small instant)', 0],
  ['jobs taken ahead (an instant of more than 100 jobs)', 150],
])('%s', (_, crowd) => {
  it('does not start a run whose job was paused in the window; the job stays paused, nothing is lost', async () => {
    const { clock, scheduler, runs } = await everySecond({ crowd });
    await clock.advance(2 * S - 1); // the slot of 2 s is prepared
    await scheduler.pauseJob('job');
    await clock.advance(3 * S);
    expect(runs.map((run) => run.slot)).toEqual([S]);
    expect((await scheduler.getJob('job'))?.nextRunTime).toBeNull();
    await scheduler.resumeJob('job'); // from now: 2 s + 3 s - 1 ms, next slot 5 s
    await clock.advance(S);
    expect(runs.map((run) => [run.slot, run.at])).toEqual([[S, S], [5 * S, 5 * S]]);
    await scheduler.shutdown();
  });

  it('does not start a run whose job was removed in the window', async () => {
    const { clock, scheduler, runs, events } = await everySecond({ crowd });
    await clock.advance(2 * S - 1);
    await scheduler.removeJob('job');
    await clock.advance(2 * S);
    expect(runs.map((run) => run.slot)).toEqual([S]);
    expect(await scheduler.getJob('job')).toBeUndefined();
    const submitted = ofType(events, 'job:submitted').filter((event) => event.jobId === 'job');
    expect(submitted.map((event) => event.scheduledRunTime.getTime() - T0)).toEqual([S]);
    expect(ofType(events, 'store:error')).toEqual([]);
    await scheduler.shutdown();
  });

  it('starts the run of a job modified in the window with the new record', async () => {
    const { clock, scheduler, runs } = await everySecond({ args: ['old'], crowd });
    await clock.advance(2 * S - 1);
    await scheduler.modifyJob('job', { args: ['new'] });
    await clock.advance(S + 1);
    expect(runs.map((run) => [run.slot, run.at, run.args])).toEqual([[S, S, ['old']], [2 * S, 2 * S, ['new']], [3 * S, 3 * S, ['new']]]);
    await scheduler.shutdown();
  });

  it('follows the new trigger of a job rescheduled in the window, not the plan made ahead', async () => {
    const { clock, scheduler, runs } = await everySecond({ crowd });
    await clock.advance(2 * S - 1);
    await scheduler.rescheduleJob('job', new IntervalTrigger({ seconds: 10, startDate: at(5 * S) }));
    await clock.advance(4 * S);
    expect(runs.map((run) => [run.slot, run.at])).toEqual([[S, S], [5 * S, 5 * S]]);
    await scheduler.shutdown();
  });

  it('drops the runs of jobs removed all at once in the window', async () => {
    const { clock, scheduler, runs, events } = await everySecond({ crowd });
    await clock.advance(2 * S - 1);
    await scheduler.removeAllJobs();
    await clock.advance(2 * S);
    expect(runs.map((run) => run.slot)).toEqual([S]);
    expect(ofType(events, 'job:submitted').filter((event) => event.scheduledRunTime.getTime() === T0 + 2 * S)).toEqual([]);
    await scheduler.shutdown();
  });

  it('runs a job replaced under its id in the window as the new job, from its own first slot', async () => {
    const { clock, scheduler, runs } = await everySecond({ crowd });
    await clock.advance(2 * S - 1);
    const replaced: number[] = [];
    await scheduler.addJob(() => void replaced.push(clock.now() - T0), new IntervalTrigger({ seconds: 1, startDate: at(4 * S) }), {
      id: 'job',
      store: 'watched',
      replaceExisting: true,
    });
    await clock.advance(3 * S + 1);
    expect(runs.map((run) => run.slot)).toEqual([S]);
    expect(replaced).toEqual([4 * S, 5 * S]);
    await scheduler.shutdown();
  });

  it('hands the jobs back unstarted when the scheduler pauses in the window; they run late on resume', async () => {
    const { clock, scheduler, runs } = await everySecond({ crowd });
    await clock.advance(2 * S - 1);
    scheduler.pause();
    await clock.advance(S);
    expect(runs.map((run) => run.slot)).toEqual([S]);
    scheduler.resume(); // at 3 s - 1 ms: the slot of 2 s is due (coalesced, 'latest')
    await clock.advance(S);
    expect(runs.map((run) => [run.slot, run.at])).toEqual([[S, S], [2 * S, 3 * S - 1], [3 * S, 3 * S]]);
    await scheduler.shutdown();
  });

  it('hands the jobs back unstarted at shutdown: the next start finds the slot due', async () => {
    const { clock, scheduler, runs } = await everySecond({ crowd });
    await clock.advance(2 * S - 1);
    await scheduler.shutdown();
    await clock.advance(S);
    expect(runs.map((run) => run.slot)).toEqual([S]);
    await scheduler.start();
    await clock.advance(0);
    expect(runs.map((run) => [run.slot, run.at])).toEqual([[S, S], [2 * S, 3 * S - 1]]);
    await scheduler.shutdown();
  });

  it('also starts at the instant a job added in the window for it', async () => {
    const { clock, scheduler, runs } = await everySecond({ crowd });
    await clock.advance(2 * S - 1); // the slot of 2 s is prepared
    const late: number[] = [];
    await scheduler.addJob(() => void late.push(clock.now() - T0), new IntervalTrigger({ seconds: 1, startDate: at(2 * S) }));
    await clock.advance(1);
    expect(runs.map((run) => [run.slot, run.at])).toEqual([[S, S], [2 * S, 2 * S]]);
    expect(late).toEqual([2 * S]);
    await scheduler.shutdown();
  });

  it('keeps the releases a store failed to take at the instant and sends them first next time: no slot runs twice', async () => {
    const { clock, scheduler, store, runs, events } = await everySecond({ crowd });
    const release = store.releaseJobs.bind(store);
    let failures = 0;
    store.releaseJobs = async (...args) => {
      // The hand-back of the slot of 2 s fails once.
      if (clock.now() - T0 === 2 * S && failures === 0) {
        failures++;
        throw new Error('connection reset');
      }
      return release(...args);
    };
    await clock.advance(5 * S);
    expect(failures).toBe(1);
    expect(ofType(events, 'store:error')).toHaveLength(1);
    // The job stayed leased until its release went through; each slot ran once.
    const slots = runs.map((run) => run.slot);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.slice(0, 2)).toEqual([S, 2 * S]);
    expect(slots.at(-1)).toBe(5 * S);
    await scheduler.shutdown();
  });

  it('takes the slot\'s jobs 2 ms ahead and starts their runs exactly at the instant', async () => {
    const { clock, scheduler, store, runs } = await everySecond({ crowd });
    await clock.advance(3 * S);
    expect(runs.map((run) => [run.slot, run.at])).toEqual([[S, S], [2 * S, 2 * S], [3 * S, 3 * S]]);
    const asked = store.asked.filter((ask) => ask.for === T0 + 3 * S).map((ask) => [ask.at - T0, ask.jobs]);
    expect(asked).toEqual([[3 * S - 2, crowd + 1]]);
    await scheduler.shutdown();
  });

  it('does not run the jobs of a store removed in the window', async () => {
    const { clock, scheduler, runs, events } = await everySecond({ crowd });
    await clock.advance(2 * S - 1);
    await scheduler.removeJobStore('watched');
    await clock.advance(2 * S);
    expect(runs.map((run) => run.slot)).toEqual([S]);
    expect(ofType(events, 'store:error')).toEqual([]);
    await scheduler.shutdown();
  });
});

describe('jobs taken ahead of a big instant', () => {
  it('go back untouched when the scheduler pauses while the instant is processed; they run late on resume, once', async () => {
    const { clock, scheduler } = makeScheduler();
    const store = new WatchedStore(clock);
    await scheduler.addJobStore(store, 'watched');
    // 2,100 jobs: the instant of 2 s has its jobs taken ahead in three batches, and the first
    // run at 2 s pauses the scheduler.
    const runs = new Map<number, number[]>();
    let paused = false;
    const task = (context: JobContext) => {
      const slot = context.scheduledRunTime.getTime() - T0;
      const times = runs.get(slot) ?? [];
      times.push(clock.now() - T0);
      runs.set(slot, times);
      if (slot === 2 * S && !paused) {
        paused = true;
        scheduler.pause();
      }
    };
    for (let k = 0; k < 2_100; k++) {
      await scheduler.addJob(task, new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: `job-${k}`, store: 'watched' });
    }
    await scheduler.start();
    await clock.advance(2 * S);
    expect(store.asked.filter((ask) => ask.for === T0 + 2 * S).map((ask) => [ask.at - T0, ask.jobs])).toEqual([[2 * S - 2, 1_000], [2 * S - 2, 1_000], [2 * S - 2, 100]]);
    expect(scheduler.state).toBe('paused');
    // The first batch's runs were submitted before the pause; the other batches went back.
    expect(runs.get(2 * S)).toEqual(Array(1_000).fill(2 * S));
    await clock.advance(S / 2);
    scheduler.resume();
    await clock.advance(0);
    expect(runs.get(2 * S)).toEqual([...Array(1_000).fill(2 * S), ...Array(1_100).fill(2 * S + S / 2)]);
    await clock.advance(S / 2);
    expect(runs.get(3 * S)).toEqual(Array(2_100).fill(3 * S));
    await scheduler.shutdown();
  });

  it('go back untouched when the store fails at the instant, and run once it recovers: nothing twice, nothing lost', async () => {
    const { clock, scheduler, store, runs, events } = await everySecond({ crowd: 150 });
    const release = store.releaseJobs.bind(store);
    let failing = false;
    store.releaseJobs = async (...args) => {
      if (failing) throw new Error('connection reset');
      return release(...args);
    };
    await clock.advance(2 * S - 1); // the jobs of 2 s are taken
    // A job added now runs at once, and its release fails: the pass at 2 s must send it first,
    // fails again, and keeps the taken jobs, unstarted, to hand back after it.
    failing = true;
    await scheduler.addJob(() => undefined, new IntervalTrigger({ seconds: 1, startDate: at(2 * S - 1) }), { store: 'watched' });
    await clock.advance(1);
    expect(ofType(events, 'store:error')).toHaveLength(2);
    expect(runs.map((run) => run.slot)).toEqual([S]);
    failing = false;
    await clock.advance(2 * S);
    // Once the store took the releases back, the job was due again: its missed slot of 2 s ran
    // late, and every slot ran once.
    const slots = runs.map((run) => run.slot);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots[0]).toBe(S);
    expect(runs[1]?.slot).toBeGreaterThanOrEqual(2 * S);
    expect(runs[1]?.at).toBeGreaterThan(2 * S);
    expect(slots.at(-1)).toBe(4 * S);
    await scheduler.shutdown();
  });
});
