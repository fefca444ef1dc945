/**
 * Floor: timetable's own parts without its scheduler. One timer over timetable's
 * `MemoryJobStore`: a wake takes the due jobs under a lease (1,000 per call, as the scheduler
 * does), calls each job's function, asks one shared timetable trigger for the job's next slot,
 * and hands every job back to the store once all have run. What the `JobStore` contract and the
 * trigger cost per fire, and nothing else: no events, no executor, no `maxInstances`, no misfire
 * rules, no leases checked against the clock. timetable's W3 cost above this floor is its
 * scheduler's own.
 */
import { CronTrigger, IntervalTrigger, MemoryJobStore } from '../../dist/index.js';

export const info = { label: 'floor: timetable store and trigger, no scheduler', floor: true };

const BATCH = 1_000;
const LEASE_MS = 30_000;

/** A job record of the store's contract, due at `nextRunTime`. */
function record(id, trigger, nextRunTime) {
  return {
    id, name: null, task: id, inlineTask: true, args: [], trigger, executor: 'default',
    misfireGraceTime: 1, coalesce: 'latest', maxInstances: 1, jitter: null, timeout: null,
    nextRunTime, metadata: {}, version: 1,
  };
}

export async function create() {
  const store = new MemoryJobStore();
  const fns = new Map();
  let trigger = null;
  let timer = null;
  let wakes = 0;
  let stopped = false;
  // ISO strings and their instants, memoized per distinct value: every job of a burst shares them.
  let isoIn = '';
  let msOut = 0;
  let msIn = NaN;
  let isoOut = '';

  const toMs = (iso) => (iso === isoIn ? msOut : ((isoIn = iso), (msOut = Date.parse(iso))));
  const toIso = (ms) => (ms === msIn ? isoOut : ((msIn = ms), (isoOut = new Date(ms).toISOString())));

  async function arm() {
    const next = await store.getNextRunTime();
    clearTimeout(timer);
    if (stopped || next === null) return;
    timer = setTimeout(wake, Math.max(0, Date.parse(next) - Date.now()));
  }

  async function wake() {
    const nowDate = new Date();
    const nowIso = nowDate.toISOString();
    const owner = `floor#${++wakes}`;
    const releases = [];
    let batch;
    do {
      batch = await store.acquireDueJobs(nowIso, owner, LEASE_MS, BATCH);
      for (const job of batch) {
        const slot = toMs(job.nextRunTime);
        fns.get(job.id)(slot);
        const next = trigger.getNextFireTime(new Date(slot), nowDate);
        releases.push({ id: job.id, acquiredRunTime: job.nextRunTime, nextRunTime: next === null ? null : toIso(next.getTime()) });
      }
    } while (batch.length === BATCH);
    for (let i = 0; i < releases.length; i += BATCH) await store.releaseJobs(owner, releases.slice(i, i + BATCH));
    await arm();
  }

  return {
    async add(n, schedule, onFire) {
      trigger =
        schedule.kind === 'cron'
          ? CronTrigger.fromCrontab(schedule.expr, { timezone: schedule.timezone ?? 'UTC' })
          : new IntervalTrigger({ milliseconds: schedule.ms, startDate: new Date(schedule.anchor) });
      const spec = trigger.toJSON();
      const first = trigger.getNextFireTime(null, new Date()).toISOString();
      for (let i = 0; i < n; i++) {
        const id = `job-${i}`;
        fns.set(id, (slot) => onFire(i, slot));
        await store.addJob(record(id, spec, first));
      }
      await arm();
    },
    shutdown() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
