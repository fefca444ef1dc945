/**
 * What the workload child processes share: loading an adapter, recording fires, classifying
 * them by slot, percentiles and the result line the orchestrator reads from stdout.
 */

/** The zone of the cron workloads. */
export const ZONE = 'America/New_York';

/** Wall-clock time with sub-millisecond resolution (for lateness; `Date.now()` decides early fires). */
export const preciseNow = () => performance.timeOrigin + performance.now();

/** Prints the result line for the orchestrator (stdout is synchronous for pipes on Linux). */
export function emit(result) {
  process.stdout.write(`@@result ${JSON.stringify(result)}\n`);
}

/** Prints what is known so far; the orchestrator keeps it if the child is then killed or runs out of memory. */
export function emitPartial(result) {
  process.stdout.write(`@@partial ${JSON.stringify(result)}\n`);
}

/** Imports `adapters/<lib>.mjs`. */
export function loadAdapter(lib) {
  if (!/^[a-z-]+$/.test(lib)) throw new Error(`bad library name ${lib}`);
  return import(`../adapters/${lib}.mjs`);
}

/** Runs `main`; an adapter's `unsupported()` becomes an n/a result, any other error a failure. */
export async function runChild(main) {
  try {
    emit({ status: 'ok', ...(await main()) });
  } catch (error) {
    if (error?.code === 'UNSUPPORTED') emit({ status: 'n/a', reason: error.message });
    else {
      emit({ status: 'error', reason: String(error?.stack ?? error).split('\n').slice(0, 3).join(' ') });
      process.exitCode = 1;
    }
  }
}

/** Resolves at wall-clock time `t` (a plain timer of our own, gone once it fired). */
export function until(t) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));
}

/**
 * Fires as preallocated columns: job index, `Date.now()`, the precise time and the slot the
 * library reported (NaN when it reports none).
 */
export class FireLog {
  constructor(capacity) {
    this.jobs = new Int32Array(capacity);
    this.ms = new Float64Array(capacity);
    this.precise = new Float64Array(capacity);
    this.slots = new Float64Array(capacity);
    this.length = 0;
    this.dropped = 0;
  }

  /** Records a fire of `job` now; returns `Date.now()`. */
  record(job, slot) {
    const ms = Date.now();
    const k = this.length;
    if (k === this.jobs.length) {
      this.dropped++;
      return ms;
    }
    this.jobs[k] = job;
    this.ms[k] = ms;
    this.precise[k] = preciseNow();
    this.slots[k] = slot ?? Number.NaN;
    this.length = k + 1;
    return ms;
  }
}

/** How long before a due time a fire may come and still be inferred to be (early) for it. */
export const earlyWindow = (period) => Math.min(20, period / 10);

/**
 * The slot a fire is for: the one the library reported, else inferred on the grid
 * `origin + k × period`: a fire up to `early` ms before a slot counts as an early fire for it,
 * anything later as a late fire for the slot before (so an inferred lateness beyond
 * `period - early` cannot be told apart from the next slot).
 */
export function slotOf(reported, ms, origin, period, early) {
  if (reported === reported && reported !== undefined) return reported; // not NaN
  return origin + Math.floor((ms - origin + early) / period) * period;
}

/** The p-th percentile (0-100) of an ascending array, nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const round = (x, digits = 2) => (x === null ? null : Number(x.toFixed(digits)));

/**
 * W3, W4 and W5: `n` jobs on a `period` grid for `windowMs`. Jobs are added first; the window starts
 * at the first slot at least 500 ms after the adds returned (and not before the interval anchor),
 * plus `warmupMs` of slots measured apart (`warmup*` fields: the first seconds of a process that
 * just added its jobs, when the runtime still compiles the hot code and collects the adds' garbage),
 * and ends after the last slot's fires are in (or `period - early` ms after it).
 *
 * `adapter` replaces the library's adapter module (W5: timetable on a given store). `probe`
 * (`{ read(), diff(a, b) }`, async `read`) is read where the CPU time is, and `diff` of the two
 * readings is returned as `probe`, beside the fires those readings enclose (`cpuFires`).
 */
export async function dispatch({ lib, n, kind, period, windowMs, cron, adapter: given = null, probe = null, warmupMs = 0 }) {
  const adapter = given ?? (await loadAdapter(lib));
  const instance = await adapter.create();
  const slots = windowMs / period;
  const early = earlyWindow(period);
  const log = new FireLog(n * (slots + 20) + 1000);
  const lastSlotSeen = new Uint8Array(n);
  let lastSlotCount = 0;
  let lastSlot = Infinity;
  let finish = () => {};
  const onFire = (i, slot) => {
    // Stop waiting as soon as every job fired for the last slot of the window.
    if (slotOf(slot, log.record(i, slot), origin, period, early) >= lastSlot && lastSlotSeen[i] === 0) {
      lastSlotSeen[i] = 1;
      if (++lastSlotCount === n) finish();
    }
  };

  const anchor = kind === 'interval' ? Math.ceil((Date.now() + 1000) / 1000) * 1000 : 0;
  const origin = anchor;
  const schedule = kind === 'cron' ? { kind: 'cron', expr: cron, timezone: ZONE } : { kind: 'interval', ms: period, anchor };
  const addStart = preciseNow();
  await instance.add(n, schedule, onFire);
  const addMs = preciseNow() - addStart;
  const warmStart = Math.max(anchor, Math.ceil((Date.now() + 500) / period) * period);
  const start = warmStart + warmupMs;
  const end = start + windowMs;
  lastSlot = end - period;

  // CPU is read 30% of a period before the window's first and past its last slot, away from the bursts.
  const cpuAt = [start - 0.3 * period, end - 0.3 * period];
  let warmCpu = null;
  if (warmupMs > 0) {
    await until(warmStart - 0.3 * period);
    const cpuW0 = process.cpuUsage();
    const warmT0 = Date.now();
    await until(cpuAt[0]);
    warmCpu = { usage: process.cpuUsage(cpuW0), t0: warmT0, t1: Date.now() };
  }
  await until(cpuAt[0]);
  const probe0 = probe === null ? null : await probe.read();
  const cpu0 = process.cpuUsage();
  const cpuT0 = Date.now();
  await until(cpuAt[1]);
  const cpu1 = process.cpuUsage(cpu0);
  const cpuT1 = Date.now();
  const probed = probe === null ? null : probe.diff(probe0, await probe.read());
  let timer;
  await new Promise((resolve) => {
    finish = resolve;
    if (lastSlotCount === n) resolve();
    timer = setTimeout(resolve, Math.max(0, end - early - Date.now()));
  });
  clearTimeout(timer); // our own timer must not hold the process when its exit is checked
  const shutdownStart = preciseNow();
  await instance.shutdown();
  const shutdownMs = preciseNow() - shutdownStart;

  const seen = new Uint8Array(n * slots);
  let delivered = 0;
  let duplicates = 0;
  let earlyFires = 0;
  let cpuFires = 0;
  let reported = 0;
  const lateness = [];
  const staleLateness = [];
  const warmLateness = [];
  let warmCpuFires = 0;
  for (let k = 0; k < log.length; k++) {
    const ms = log.ms[k];
    if (ms >= cpuT0 && ms < cpuT1) cpuFires++;
    if (warmCpu !== null && ms >= warmCpu.t0 && ms < warmCpu.t1) warmCpuFires++;
    const slot = slotOf(log.slots[k], ms, origin, period, early);
    if (slot === log.slots[k]) reported++;
    if (slot >= warmStart && slot < start) warmLateness.push(log.precise[k] - slot);
    // A fire during the window for a due time before it: the library runs that far behind.
    if (slot < start && ms >= start && ms < end) staleLateness.push(log.precise[k] - slot);
    if (slot < start || slot >= end) continue;
    const key = log.jobs[k] * slots + (slot - start) / period;
    if (ms < slot) earlyFires++;
    if (seen[key]) {
      duplicates++;
      continue;
    }
    seen[key] = 1;
    delivered++;
    lateness.push(log.precise[k] - slot);
  }
  lateness.sort((a, b) => a - b);
  staleLateness.sort((a, b) => a - b);
  warmLateness.sort((a, b) => a - b);
  const warmup = warmCpu === null ? {} : {
    warmupSeconds: warmupMs / 1000,
    warmupFires: warmLateness.length,
    warmupExpected: n * (warmupMs / period),
    warmupLatenessP99: round(percentile(warmLateness, 99)),
    warmupCpuUsPerFire: warmCpuFires > 0 ? round((warmCpu.usage.user + warmCpu.usage.system) / warmCpuFires) : null,
  };
  const cpuUs = cpu1.user + cpu1.system;
  return {
    n,
    kind,
    expected: n * slots,
    delivered,
    duplicates,
    early: earlyFires,
    dropped: log.dropped,
    slotsReported: reported > 0,
    latenessP50: round(percentile(lateness, 50)),
    latenessP99: round(percentile(lateness, 99)),
    latenessMax: round(percentile(lateness, 100)),
    cpuUsPerFire: cpuFires > 0 ? round(cpuUs / cpuFires) : null,
    staleFires: staleLateness.length,
    staleLatenessP50: round(percentile(staleLateness, 50)),
    cpuFires,
    ...warmup,
    ...(probe === null ? {} : { probe: probed }),
    addMs: round(addMs, 1),
    shutdownMs: round(shutdownMs, 1),
  };
}
