/**
 * W6 nodes killed: `node w6.mjs <sqlite|postgres|mysql>`. Three node processes (w6-node.mjs)
 * share a fresh store; 1,000 jobs `* * * * * *` (coalesce 'all', so a slot run late is still its
 * own run) are due from T0, and the 60 due seconds from T0 are judged. Every 10 s one node is
 * killed with SIGKILL and a new one (a new identity, as a restarted process gets by default) is
 * started at once. Kills alternate between two kinds:
 *
 * - `mid-pass` (at 10, 30 and 50 s): from the due second on, the jobs table is read every few ms
 *   until a node holds leases on the jobs due that second, and that node is killed then (the
 *   worst moment: what it took is only taken over once its leases expire). If none does within
 *   400 ms, a node holding older jobs (taking over an earlier kill's), else as `any`.
 * - `any` (at 20 and 40 s): a node picked at random, at a random instant of the second.
 *
 * With the default lease time of 10 s, an earlier kill's jobs are taken over right when the next
 * kill comes; a kill of the node doing that is `chained` (its slots wait for two leases).
 *
 * Each slot (job, due second) is then: started once, started twice or more, or never started:
 * reported by a survivor as the run of a dead node (`job:abandoned`: the killed node had
 * committed the run but not yet called the task), reported as skipped (`job:max-instances`: a
 * dead node's run still counted, `job:missed`), or lost (never started, never reported).
 * Lateness is the task's start minus the due second: its p99 outside the kill windows (from the
 * killed second to the lease time + 2 s after the kill), and the worst inside each (the takeover).
 * `BENCH_KEEP=1` keeps the nodes' logs and the tables, and prints where they are.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Scheduler } from '../../dist/index.js';
import { percentile, round, runChild, until } from './_common.mjs';
import { createNamespace, dropNamespace, leaseReader, openStore } from './_stores.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const JOBS = 1_000;
const NODES = 3;
const WINDOW_S = 60;
const KILL_EVERY_S = 10;
/** The scheduler's default lease time: the takeover target is this + 1 s. */
const LEASE_MS = 10_000;
/** Between the adds' start and T0: room for 1,000 adds on a slow database. */
const LEAD_MS = 10_000;
const READY_LIMIT_MS = 30_000;

const [kind] = process.argv.slice(2);

await runChild(async () => {
  const ns = await createNamespace(kind, 'w6');
  const dir = mkdtempSync(join(tmpdir(), 'timetable-bench-w6-'));
  const nodes = new Map(); // slot -> { child, identity, log, startedAt, readyAt }
  const incarnations = new Array(NODES).fill(0);
  const restarts = [];
  try {
    /** Starts node `slot`'s next incarnation; resolves when it is ready. */
    const startNode = (slot) => {
      const identity = `w6-n${slot + 1}${incarnations[slot] ? `-r${incarnations[slot]}` : ''}`;
      incarnations[slot]++;
      const log = join(dir, `${identity}.log`);
      const child = spawn(process.execPath, [join(HERE, 'w6-node.mjs'), JSON.stringify(ns), identity, log], {
        stdio: ['pipe', 'pipe', 'pipe'], // the node exits when its stdin ends: when this process dies
      });
      const node = { child, identity, log, startedAt: Date.now(), readyAt: null, stderr: '' };
      nodes.set(slot, node);
      child.stderr.on('data', (chunk) => {
        node.stderr = (node.stderr + chunk).slice(-4000);
        appendFileSync(join(dir, `${identity}.stderr`), chunk);
      });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${identity} not ready after ${READY_LIMIT_MS / 1000} s: ${node.stderr}`)), READY_LIMIT_MS);
        child.stdout.on('data', (chunk) => {
          if (String(chunk).includes('@@ready') && node.readyAt === null) {
            node.readyAt = Date.now();
            clearTimeout(timer);
            resolve(node);
          }
        });
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          if (node.readyAt === null) reject(new Error(`${identity} exited (${code ?? signal}): ${node.stderr.trim().split('\n').slice(-3).join(' ')}`));
        });
      });
    };

    // Three nodes start at once on the empty namespace (they create the tables between them).
    await Promise.all([...Array(NODES).keys()].map(startNode));

    // The jobs, added by a scheduler of this process that leaves before T0.
    const t0 = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
    const setup = new Scheduler({ identity: 'w6-setup', timezone: 'UTC', stores: { default: await openStore(ns) }, tasks: { fire: () => {} } });
    await setup.start();
    for (let first = 0; first < JOBS; first += 50) {
      const adds = [];
      for (let i = first; i < Math.min(JOBS, first + 50); i++) {
        adds.push(setup.addJob('fire', '* * * * * *', { id: `job-${i}`, args: [i], coalesce: 'all', nextRunTime: new Date(t0) }));
      }
      await Promise.all(adds);
    }
    await setup.shutdown();
    const setupLeftMs = t0 - Date.now();
    if (setupLeftMs < 500) throw new Error(`the adds ended ${-setupLeftMs} ms after T0`);

    // The kills.
    const reader = await leaseReader(ns);
    const kills = [];
    const slotOf = (owner) => {
      const identity = owner?.split('#')[0];
      return [...nodes].find(([, node]) => node.identity === identity)?.[0];
    };
    for (let k = 1; k * KILL_EVERY_S < WINDOW_S; k++) {
      const second = t0 + k * KILL_EVERY_S * 1000;
      let mode = k % 2 === 1 ? 'mid-pass' : 'any';
      let victim;
      if (mode === 'mid-pass') {
        // The holder of this second's pass if one shows up, else one taking over earlier slots.
        await until(second);
        let fallback;
        while (victim === undefined && Date.now() < second + 400) {
          for (const { owner, due } of await reader.holders(Date.now())) {
            const slot = slotOf(owner);
            if (slot === undefined) continue;
            if (due >= second) victim = slot;
            else fallback ??= slot;
          }
          if (victim === undefined) await new Promise((resolve) => setTimeout(resolve, 2));
        }
        victim ??= fallback;
        if (victim === undefined) mode = 'any (no lease held within 400 ms)';
      }
      if (victim === undefined) {
        await until(mode === 'any' ? second + Math.floor(Math.random() * 1000) : second + 400);
        victim = Math.floor(Math.random() * NODES);
      }
      const node = nodes.get(victim);
      node.child.kill('SIGKILL');
      const at = Date.now();
      // What it held stays in the tables until its leases expire: the slots its death delays.
      const held = await reader.heldBy(node.identity, at);
      kills.push({
        at,
        atS: round((at - t0) / 1000, 3),
        mode,
        node: node.identity,
        held: held.jobs,
        inFlight: held.runs,
        leasesHeld: held.jobs.length,
        runsInFlight: held.runs.length,
        // It held jobs due before this second: it was taking over an earlier kill's jobs.
        chained: held.jobs.some(({ due }) => due < Math.floor(at / 1000) * 1000),
      });
      startNode(victim).then(
        (fresh) => restarts.push(fresh.readyAt - fresh.startedAt),
        (error) => restarts.push(String(error.message)),
      );
    }
    await reader.close();

    // Until the last slots ran and the last kill's runs were reported (within 1.5 leases).
    const lastKill = kills[kills.length - 1]?.at ?? t0;
    await until(Math.max(t0 + WINDOW_S * 1000 + 3000, lastKill + 1.5 * LEASE_MS + 3000));
    await Promise.all(
      [...nodes.values()].map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.on('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    const judged = judge(dir, t0, kills);
    for (const kill of kills) {
      delete kill.held;
      delete kill.inFlight;
    }
    return { store: kind, ...judged, kills, restartMs: restarts, setupLeftMs };
  } finally {
    for (const { child } of nodes.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    // BENCH_KEEP=1 keeps the logs (and the tables) for a closer look.
    if (process.env.BENCH_KEEP) console.error(`kept ${dir} and ${JSON.stringify(ns)}`);
    else {
      rmSync(dir, { recursive: true, force: true });
      await dropNamespace(ns);
    }
  }
});

/** Reads every node's log and sorts the window's slots. */
function judge(dir, t0, kills) {
  const SLOTS = WINDOW_S;
  const end = t0 + SLOTS * 1000;
  const index = (job, slot) => job * SLOTS + (slot - t0) / 1000;
  const inWindow = (slot) => slot >= t0 && slot < end && (slot - t0) % 1000 === 0;
  const starts = new Uint8Array(JOBS * SLOTS);
  const firstStart = new Float64Array(JOBS * SLOTS).fill(Number.NaN);
  const abandoned = new Uint8Array(JOBS * SLOTS);
  const skipped = new Uint8Array(JOBS * SLOTS);
  const runsByNode = {};
  const storeErrors = [];
  let abandonedReports = 0;
  const markSpan = (array, job, first, last) => {
    for (let slot = Math.max(first, t0); slot <= Math.min(last, end - 1000); slot += 1000) if (inWindow(slot)) array[index(job, slot)] = 1;
  };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.log'))) {
    const node = file.replace(/\.log$/, '');
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const [tag, ...rest] = line.split(' ');
      if (tag === 'R') {
        const [job, slot, start] = rest.map(Number);
        runsByNode[node] = (runsByNode[node] ?? 0) + 1;
        if (!inWindow(slot)) continue;
        const k = index(job, slot);
        starts[k] = Math.min(255, starts[k] + 1);
        if (!(firstStart[k] <= start)) firstStart[k] = start;
      } else if (tag === 'A') {
        abandonedReports++;
        const [job, slot] = rest.map(Number);
        if (inWindow(slot)) abandoned[index(job, slot)] = 1;
      } else if (tag === 'M' || tag === 'X') {
        const [job, first, last] = rest.map(Number);
        markSpan(skipped, job, first, last);
      } else if (tag === 'E') storeErrors.push(`${node}: ${rest.join(' ')}`);
    }
  }
  // Lateness outside the kill windows: slots due from the killed second to lease + 2 s after the kill.
  const windows = kills.map(({ at }) => [Math.floor(at / 1000) * 1000, at + LEASE_MS + 2000]);
  const inKillWindow = (slot) => windows.some(([from, to]) => slot >= from && slot < to);
  let once = 0;
  let twice = 0;
  let lostAbandoned = 0;
  let lostSkipped = 0;
  let lost = 0;
  const lostExamples = [];
  const outside = [];
  for (let job = 0; job < JOBS; job++) {
    for (let s = 0; s < SLOTS; s++) {
      const k = job * SLOTS + s;
      const slot = t0 + s * 1000;
      if (starts[k] === 0) {
        if (abandoned[k]) lostAbandoned++;
        else if (skipped[k]) lostSkipped++;
        else {
          lost++;
          if (lostExamples.length < 5) lostExamples.push(`job-${job} @ T0+${s} s`);
        }
        continue;
      }
      if (starts[k] === 1) once++;
      else twice++;
      if (!inKillWindow(slot)) outside.push(firstStart[k] - slot);
    }
  }
  outside.sort((a, b) => a - b);
  // The takeover of a kill: the lateness of the slots the killed node held (each held job from
  // its due slot to the end of the kill window), and how its runs in flight ended.
  // A later kill that hit the node taking these jobs over makes them wait for two leases.
  kills.forEach((kill, w) => {
    const ids = new Set(kill.held.map(({ id }) => id));
    const later = kills.findIndex((other, v) => v > w && other.chained && other.held.some(({ id }) => ids.has(id)));
    kill.interruptedBy = later < 0 ? null : later + 1;
  });
  for (const kill of kills) {
    let worst = null;
    let firstWorst = null;
    let notStarted = 0;
    for (const { id, due } of kill.held) {
      const job = Number(id.slice('job-'.length));
      let first = true;
      for (let slot = due; slot < Math.min(end, kill.at + LEASE_MS + 2000); slot += 1000) {
        if (!inWindow(slot)) continue;
        const k = index(job, slot);
        if (starts[k] === 0) notStarted++;
        else {
          worst = Math.max(worst ?? 0, firstStart[k] - slot);
          if (first) firstWorst = Math.max(firstWorst ?? 0, firstStart[k] - slot);
        }
        first = false;
      }
    }
    // The worst lateness of the slots it held, and of the first slot of each job it held (when
    // the job was taken over; the later slots run in the catch-up after it).
    kill.takeoverMs = worst === null ? null : round(worst, 1);
    kill.firstSlotMs = firstWorst === null ? null : round(firstWorst, 1);
    kill.heldSlotsNotStarted = notStarted;
    let inFlightStarted = 0;
    for (const { jobId, slot } of kill.inFlight) if (inWindow(slot) && starts[index(Number(jobId.slice('job-'.length)), slot)] > 0) inFlightStarted++;
    kill.inFlightStarted = inFlightStarted;
  }
  return {
    jobs: JOBS,
    slots: JOBS * SLOTS,
    once,
    twice,
    lost,
    abandoned: lostAbandoned,
    skipped: lostSkipped,
    abandonedReports,
    lostExamples,
    latenessP50: round(percentile(outside, 50)),
    latenessP99: round(percentile(outside, 99)),
    latenessMaxOutside: round(percentile(outside, 100)),
    takeoverMs: kills.some((kill) => kill.takeoverMs !== null) ? Math.max(...kills.map((kill) => kill.takeoverMs ?? 0)) : null,
    runsByNode,
    storeErrors: storeErrors.length,
    storeErrorExamples: storeErrors.slice(0, 3),
  };
}
