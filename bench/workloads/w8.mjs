/**
 * W8 worker executor: `node w8.mjs <lib> <part> [mode]`, one part per child. timetable's
 * `WorkerExecutor` from the repo's build (`dist/executors/worker.js`), its tasks the named
 * exports of `w8-tasks.mjs`.
 *
 * - `timetable precision <promise|worker|worker-same-priority>`: a 100 ms interval job (an in-process
 *   no-op on the default promise executor) for 10 s while 8 jobs run a 200 ms busy loop every
 *   200 ms each (`maxInstances: 1`: 8 runs always running or queued), in-process on the promise
 *   executor (blocking the main thread) or on a WorkerExecutor with 2 threads (its default
 *   `niceness` 10; `worker-same-priority`: `niceness: 0`, the threads at the main thread's
 *   priority): lateness
 *   of the 100 ms job's runs (task start minus its `scheduledRunTime`), how long each due time
 *   waited for a run, and the CPU runs completed in the window.
 * - `timetable overhead`: µs per run of a trivial task on a WorkerExecutor (2 threads), one at a
 *   time (submit, await, next) and 2,000 at once, through `executor.submit` directly and through
 *   the scheduler (`scheduler.runJob` up to `job:executed`), beside the same through the scheduler
 *   on the in-process executor and a floor (a plain Worker echoing each message).
 * - `bree overhead`: µs per run of a trivial job in bree (a new worker per run), one at a time,
 *   from `bree.run(name)` to bree's `worker deleted` (see `adapters/bree.mjs`).
 * - `timetable throughput <workers>`: 1,000 jobs on a WorkerExecutor with 1 or 2 threads, all due
 *   at the same instant (date triggers), each a fixed amount of CPU work (~2 ms): the wall time
 *   from the due instant to the last `job:executed`.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IntervalTrigger, Scheduler } from '../../dist/index.js';
import { WorkerExecutor } from '../../dist/executors/worker.js';
import { emitPartial, percentile, preciseNow, round, runChild, until } from './_common.mjs';
import { noop, spin } from './w8-tasks.mjs';

const TASKS = new URL('./w8-tasks.mjs', import.meta.url);

/** Part 1: the probe's period, the CPU jobs, their busy loop and the window. */
const PROBE_MS = 100;
const CPU_JOBS = 8;
const SPIN_MS = 200;
const WINDOW_MS = 10_000;
/** Part 2: trivial runs per timed round, and rounds (the median round counts). */
const OVERHEAD_RUNS = 2_000;
const OVERHEAD_ROUNDS = 5;
const OVERHEAD_WARMUP = 500;
/** Part 3: runs, and the work of one run (xorshift rounds: about 2 ms on the reference machine). */
const THROUGHPUT_RUNS = 1_000;
const CRUNCH_ITERATIONS = 1_200_000;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const cpuUs = (since) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

/** Part 1. `mode`: `promise`, `worker`, or `worker-same-priority` (the worker threads with `niceness: 0`). */
async function precision(mode) {
  if (!['promise', 'worker', 'worker-same-priority'].includes(mode)) throw new Error(`mode ${mode}: promise, worker or worker-same-priority`);
  const onWorkers = mode !== 'promise';
  const niceness = mode === 'worker-same-priority' ? { niceness: 0 } : {};
  const executors = onWorkers ? { cpu: new WorkerExecutor({ taskModule: TASKS, workers: 2, ...niceness }) } : {};
  const scheduler = new Scheduler({ executors });
  /** The probe's runs: their slot and the task's start (precise wall-clock time). */
  const runSlots = [];
  const runStarts = [];
  let cpuDone = 0;
  let cpuSkipped = 0;
  let errors = 0;
  let start = Infinity;
  let end = Infinity;
  const inWindow = (t) => t >= start && t < end;
  scheduler.on('job:executed', (event) => {
    if (event.jobId.startsWith('spin') && inWindow(event.timestamp.getTime())) cpuDone++;
  });
  scheduler.on('job:max-instances', (event) => {
    if (event.jobId.startsWith('spin') && inWindow(event.scheduledRunTime.getTime())) cpuSkipped++;
  });
  scheduler.on('job:error', (event) => {
    if (inWindow(event.timestamp.getTime())) errors++;
  });
  await scheduler.start();
  // Both grids on a whole second; the window starts a second later, once the threads are warm.
  const anchor = Math.ceil((Date.now() + 500) / 1000) * 1000;
  start = anchor + 1000;
  end = start + WINDOW_MS;
  const probe = (context) => {
    runStarts.push(preciseNow());
    runSlots.push(context.scheduledRunTime.getTime());
  };
  await scheduler.addJob(probe, new IntervalTrigger({ milliseconds: PROBE_MS, startDate: new Date(anchor) }), { id: 'probe' });
  for (let i = 0; i < CPU_JOBS; i++) {
    const trigger = new IntervalTrigger({ milliseconds: SPIN_MS, startDate: new Date(anchor) });
    if (onWorkers) await scheduler.addJob('spin', trigger, { id: `spin-${i}`, executor: 'cpu', args: [SPIN_MS] });
    else await scheduler.addJob(() => spin(SPIN_MS), trigger, { id: `spin-${i}` });
  }
  await until(end + PROBE_MS);
  // In-process CPU runs can hold the loop past the window: wait for a probe run after it.
  const waited = Date.now();
  while (!(runStarts.at(-1) >= end) && Date.now() - waited < 5000) await until(Date.now() + 20);
  await scheduler.shutdown({ wait: false });

  // The runs (slots that ran), as in W4; with coalescing a late run is for the latest slot due.
  const lateness = [];
  const seen = new Set();
  let duplicates = 0;
  for (let k = 0; k < runSlots.length; k++) {
    if (!inWindow(runSlots[k])) continue;
    if (seen.has(runSlots[k])) duplicates++;
    else lateness.push(runStarts[k] - runSlots[k]);
    seen.add(runSlots[k]);
  }
  // Every due time of the window: how long until the probe ran (for it, or for a later slot).
  const waits = [];
  for (let slot = start; slot < end; slot += PROBE_MS) {
    const first = runStarts.find((t) => t >= slot);
    waits.push(first === undefined ? null : first - slot);
  }
  lateness.sort((a, b) => a - b);
  const answered = waits.filter((x) => x !== null).sort((a, b) => a - b);
  return {
    mode,
    expected: WINDOW_MS / PROBE_MS,
    delivered: lateness.length,
    duplicates,
    latenessP50: round(percentile(lateness, 50)),
    latenessP99: round(percentile(lateness, 99)),
    latenessMax: round(percentile(lateness, 100)),
    slotWaitP50: round(percentile(answered, 50)),
    slotWaitP99: round(percentile(answered, 99)),
    slotWaitMax: round(percentile(answered, 100)),
    unanswered: waits.length - answered.length,
    cpuRuns: cpuDone,
    cpuSkipped,
    errors,
  };
}

/** A RunRequest for `executor.submit` (the record as the scheduler would pass it). */
function request(task, args) {
  const record = {
    id: task, name: task, task, inlineTask: false, args, trigger: { type: 'interval', seconds: 1 }, executor: 'cpu',
    misfireGraceTime: null, coalesce: 'latest', maxInstances: 1, jitter: null, timeout: null, nextRunTime: null, metadata: {}, version: 1,
  };
  const abort = new AbortController().signal;
  return () => ({ jobId: task, task, args, record, store: 'default', scheduledRunTime: Date.now(), call: undefined, abort, deadline: null, timeoutMs: null });
}

/** Part 2, timetable. */
async function overhead() {
  // The floor: a plain Worker answering each message (one round trip between two threads).
  const echo = new Worker(new URL('./w8-echo.mjs', import.meta.url));
  await new Promise((resolve, reject) => echo.once('online', resolve).once('error', reject));
  const ping = () => new Promise((resolve) => {
    echo.once('message', resolve);
    echo.postMessage(null);
  });

  // Directly on the executor.
  const executor = new WorkerExecutor({ taskModule: TASKS, workers: 2 });
  await executor.start({ alias: 'cpu', clock: { now: () => Date.now(), setTimeout, clearTimeout }, log: () => {} });
  const next = request('noop', []);
  const submit = async () => {
    const outcome = await executor.submit(next());
    if (outcome.status !== 'success') throw new Error(`run ended ${outcome.status}: ${outcome.error}`);
  };

  // Through the scheduler: runJob, then its job:executed, on one job (maxInstances high enough
  // for every run in flight) whose own trigger is a date a day ahead; on the worker executor, and
  // on the default in-process executor (the scheduler's own share of a run).
  const viaScheduler = async (executors, task) => {
    const scheduler = new Scheduler({ executors });
    await scheduler.start();
    const later = { type: 'date', runDate: new Date(Date.now() + 86_400_000) };
    await scheduler.addJob(task, later, { id: 'noop', maxInstances: 100_000, ...(executors.cpu ? { executor: 'cpu' } : {}) });
    let waiting = 0;
    let done = () => {};
    let failed = () => {};
    scheduler.on('job:executed', () => {
      if (--waiting === 0) done();
    });
    scheduler.on('job:error', (event) => failed(new Error(`job:error ${event.error}`)));
    /** Asks for `n` runs at once, resolves when all have run. */
    const batch = (n) =>
      new Promise((resolve, reject) => {
        waiting = n;
        done = resolve;
        failed = reject;
        const submitted = [];
        for (let k = 0; k < n; k++) submitted.push(scheduler.runJob('noop'));
        Promise.all(submitted).catch(reject);
      });
    return { scheduler, one: () => batch(1), batch };
  };
  const worker = await viaScheduler({ cpu: new WorkerExecutor({ taskModule: TASKS, workers: 2 }) }, 'noop');
  const inProcess = await viaScheduler({}, () => noop());

  const sequential = (one) => async (n) => {
    for (let k = 0; k < n; k++) await one();
  };
  const together = (one) => async (n) => {
    const runs = [];
    for (let k = 0; k < n; k++) runs.push(one());
    await Promise.all(runs);
  };
  const forms = {
    floor: sequential(ping),
    direct: sequential(submit),
    scheduler: sequential(worker.one),
    promiseScheduler: sequential(inProcess.one),
    directParallel: together(submit),
    schedulerParallel: worker.batch,
    promiseSchedulerParallel: inProcess.batch,
  };
  for (const body of Object.values(forms)) await body(OVERHEAD_WARMUP);
  // Round-robin over the forms, so that a slow spell of the machine hits them alike.
  const wall = Object.fromEntries(Object.keys(forms).map((name) => [name, []]));
  const cpu = Object.fromEntries(Object.keys(forms).map((name) => [name, []]));
  for (let r = 0; r < OVERHEAD_ROUNDS; r++) {
    for (const [name, body] of Object.entries(forms)) {
      const cpu0 = process.cpuUsage();
      const t0 = preciseNow();
      await body(OVERHEAD_RUNS);
      wall[name].push(((preciseNow() - t0) * 1000) / OVERHEAD_RUNS);
      cpu[name].push(cpuUs(cpu0) / OVERHEAD_RUNS);
    }
    emitPartial({ round: r, wall });
  }
  await echo.terminate();
  await executor.shutdown({ wait: true });
  await worker.scheduler.shutdown();
  await inProcess.scheduler.shutdown();
  const out = { runs: OVERHEAD_RUNS, rounds: OVERHEAD_ROUNDS };
  for (const name of Object.keys(forms)) {
    out[`${name}Us`] = round(median(wall[name]));
    out[`${name}CpuUs`] = round(median(cpu[name]));
    out[`${name}Rounds`] = wall[name].map((x) => round(x, 1));
  }
  return out;
}

/** Part 2, bree. */
async function breeOverhead() {
  const { perRun } = await import('../adapters/bree.mjs');
  return perRun({ runs: 50, warmup: 3 });
}

/** Part 3. */
async function throughput(workers) {
  if (!(workers >= 1)) throw new Error(`workers ${workers}`);
  const scheduler = new Scheduler({ executors: { cpu: new WorkerExecutor({ taskModule: TASKS, workers }) } });
  let left = 0;
  let done = () => {};
  let lastAt = 0;
  let busyMs = 0;
  const values = new Set();
  scheduler.on('job:executed', (event) => {
    values.add(event.returnValue);
    busyMs += event.durationMs;
    if (--left === 0) {
      lastAt = preciseNow();
      done();
    }
  });
  let errors = 0;
  scheduler.on('job:error', () => {
    errors++;
    if (--left === 0) done();
  });
  await scheduler.start();
  // Warm-up: every thread compiles the loop before the timed runs (10 runs per thread, run now).
  await scheduler.addJob('crunch', { type: 'date', runDate: new Date(Date.now() + 86_400_000) }, { id: 'warm', executor: 'cpu', args: [CRUNCH_ITERATIONS], maxInstances: 100 });
  await new Promise((resolve) => {
    left = 10 * workers;
    done = resolve;
    for (let k = 0; k < 10 * workers; k++) scheduler.runJob('warm');
  });
  busyMs = 0;
  values.clear();
  // 1,000 jobs due at one instant, 1.5 s ahead (the adds take a fraction of that).
  const due = Math.ceil((Date.now() + 1500) / 100) * 100;
  const trigger = { type: 'date', runDate: new Date(due) };
  for (let i = 0; i < THROUGHPUT_RUNS; i++) await scheduler.addJob('crunch', trigger, { id: `crunch-${i}`, executor: 'cpu', args: [CRUNCH_ITERATIONS] });
  if (Date.now() >= due - 100) throw new Error('the adds took too long');
  const cpu0 = process.cpuUsage();
  await new Promise((resolve) => {
    left = THROUGHPUT_RUNS;
    done = resolve;
  });
  const cpu = cpuUs(cpu0);
  await scheduler.shutdown();
  const wallMs = lastAt - due;
  return {
    workers,
    runs: THROUGHPUT_RUNS,
    iterations: CRUNCH_ITERATIONS,
    errors,
    sameResult: values.size === 1,
    totalMs: round(wallMs, 1),
    runsPerSecond: round((1000 * THROUGHPUT_RUNS) / wallMs, 1),
    msPerRun: round(busyMs / THROUGHPUT_RUNS, 3),
    threadBusy: round(busyMs / workers / wallMs, 3),
    cpuSeconds: round(cpu / 1e6, 2),
  };
}

const [lib, part, mode] = process.argv.slice(2);
await runChild(async () => {
  // How busy the machine was when the child started (these parts measure threads and cores).
  const machine = { cores: availableParallelism(), loadBefore: round(loadavg()[0]) };
  if (lib === 'bree' && part === 'overhead') return { part, ...machine, ...(await breeOverhead()) };
  if (lib !== 'timetable') throw new Error(`unknown library ${lib}`);
  if (part === 'precision') return { part, ...machine, ...(await precision(mode)) };
  if (part === 'overhead') return { part, ...machine, ...(await overhead()) };
  if (part === 'throughput') return { part, ...machine, ...(await throughput(Number(mode))) };
  throw new Error(`unknown part ${part}`);
});
