#!/usr/bin/env node
/**
 * The benchmark suite: timetable (from the repo's built ../dist) beside the Node scheduler peers
 * and three floors (W1-W4), and timetable's SQL stores beside its memory store and pg-boss (W5-W7,
 * against the PostgreSQL and MySQL servers of BENCH_POSTGRES_URL and BENCH_MYSQL_URL, see
 * workloads/_stores.mjs; a store whose server cannot be reached is n/a), and timetable's worker
 * executor beside bree (W8: main-thread precision under CPU work, per-run overhead, throughput of
 * CPU-bound runs; see workloads/w8.mjs), and timetable's Redis store beside BullMQ on the Redis
 * server of BENCH_REDIS_URL (W9: 1 and 3 node processes; see workloads/w9.mjs). Every (workload,
 * library, size, repeat) runs in a fresh child process (`node --expose-gc
 * --max-old-space-size=4096 workloads/wN.mjs ...`) under a time limit; the child prints one
 * `@@result {json}` line. The full run writes docs/performance.md.
 *
 *   node bench/run.mjs                                   # everything (~50 min), writes docs/performance.md
 *   node bench/run.mjs --workload w1,w2,w3,w4            # the in-process part only (~32 min), printed only
 *   node bench/run.mjs --workload w2 --lib timetable,croner --repeat 1   # a subset, printed only
 *   node bench/run.mjs --workload w5 --store memory,postgres             # stores: a subset
 *   node bench/run.mjs --workload w6 --merge             # rerun W6, keep the rest of the last run, write docs/performance.md
 *   node bench/run.mjs --workload w8                     # the worker executor only (~2.5 min), printed only
 *   node bench/run.mjs --workload w9                     # the Redis store beside BullMQ (~4 min), printed only
 *   node bench/run.mjs --workload w9 --merge             # the same, merged into the last full run's docs/performance.md
 *   node bench/run.mjs --render                          # rewrite docs/performance.md from the last results, running nothing
 *   options: --workload w1,...,w9  --lib a,b  --store a,b  --repeat N  --out FILE  --merge  --render  --dry-run (list the runs)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport } from './report.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH, '..');
/**
 * timetable's other public paths, beside `timetable` (crontab strings): JSON specs and trigger
 * instances built per job. They run in W1 and W3 only (W2 is the trigger alone, W4 one job).
 */
const PATHS = ['timetable-spec', 'timetable-instance'];
const LIBS = ['timetable', ...PATHS, 'croner', 'node-cron', 'cron', 'node-schedule', 'toad-scheduler', 'floor-timeouts', 'floor-sorted', 'floor-store'];
const FLOORS = ['floor-timeouts', 'floor-sorted', 'floor-store'];
/** Libraries of the store workloads only (W7). */
const STORE_PEERS = ['pg-boss'];
/** Libraries of the worker executor workload only (W8). */
const WORKER_PEERS = ['bree'];
/** Libraries of the Redis workload only (W9). */
const REDIS_PEERS = ['bullmq'];
const PEERS = [...STORE_PEERS, ...WORKER_PEERS, ...REDIS_PEERS];
const WORKLOADS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9'];
const STORES = ['memory', 'sqlite', 'postgres', 'mysql'];
/** What --store may name: the SQL workloads' stores, and Redis (W9 only). */
const ALL_STORES = [...STORES, 'redis'];
const EXPRESSIONS = ['*/5 * * * * *', '0 0 9-17 * * 1-5', '0 30 2 * * *', '0 0 0 29 2 *', '0 15 10 L * *'];
/** How long a child may take after printing its result before it counts as not exiting by itself. */
const EXIT_LIMIT_MS = 5_000;

/**
 * Sizes, runs and time limits per workload: timetable's cells get `repeats` runs (medians), the
 * peers' and floors' one (they differ from timetable by far more than the run-to-run noise). In
 * W3 the floors are near timetable's values and one 10 s run moves by a quarter or more from one
 * run to the next on a shared VM, so the floors' cells get `repeats` runs there too (`repeatedToo`).
 */
const PLAN = {
  w1: { sizes: [10_000, 100_000], repeats: 3, limitMs: { 10_000: 40_000, 100_000: 25_000 } },
  w2: { repeats: 3, limitMs: 30_000 },
  w3: { sizes: [1_000, 10_000], kinds: ['cron', 'interval'], repeats: 3, repeatedToo: FLOORS, limitMs: 45_000 },
  w4: { repeats: 3, limitMs: 30_000 },
  // W5: every store beside the memory store, one run each (20 s windows); the limit covers
  // 10,000 adds on a slow database.
  w5: { sizes: [1_000, 10_000], stores: STORES, repeats: 1, limitMs: { 1_000: 90_000, 10_000: 180_000 } },
  // W6: 3 node processes on one store, 60 s judged, one node killed every 10 s.
  w6: { stores: ['postgres', 'mysql', 'sqlite'], repeats: 1, limitMs: 180_000 },
  // W7: 1,000 minute-cron jobs for 3 minutes on PostgreSQL, pg-boss first.
  w7: { libs: ['pg-boss', 'timetable'], repeats: 1, limitMs: 420_000 },
  // W8: the worker executor, three parts (~2.5 min): precision of a 100 ms job while CPU runs go
  // on (10 s windows; the promise-executor contrast once), per-run overhead beside bree (bree once:
  // 50 runs of ~30 ms), throughput of 1,000 CPU-bound runs on 1 and 2 threads.
  w8: {
    repeats: 3,
    precision: ['worker', 'worker-same-priority', 'promise'],
    once: ['precision promise'],
    throughput: [1, 2],
    limitMs: { precision: 45_000, overhead: 90_000, throughput: 60_000 },
  },
  // W9: n jobs every second for 20 s on Redis, one run per cell (~25 s each, ~4 min in all):
  // timetable's memory store (1 node, the baseline), its RedisJobStore and BullMQ on 1 and on 3
  // node processes. The limit covers starting the nodes, 10,000 adds and the cleanup.
  w9: { sizes: [1_000, 10_000], nodes: [1, 3], repeats: 1, limitMs: { 1_000: 75_000, 10_000: 120_000 } },
};
/** The libraries whose cells get more than one run (all of them with --repeat). */
const REPEATED = ['timetable', ...PATHS];

function parseArgs(argv) {
  const options = { workloads: WORKLOADS, libs: [...LIBS, ...PEERS], stores: ALL_STORES, repeat: null, out: null, partial: false, dryRun: false, merge: false };
  for (let k = 0; k < argv.length; k += 2) {
    const [flag, value] = [argv[k], argv[k + 1]];
    if (flag === '--dry-run' || flag === '--merge' || flag === '--render') {
      if (flag === '--dry-run') options.dryRun = true;
      else if (flag === '--merge') options.merge = true;
      else options.render = true;
      k--;
      continue;
    }
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--workload') options.workloads = value.split(',');
    else if (flag === '--lib') options.libs = value.split(',');
    else if (flag === '--store') options.stores = value.split(',');
    else if (flag === '--repeat') options.repeat = Number(value);
    else if (flag === '--out') options.out = value;
    else throw new Error(`unknown option ${flag}`);
    if (flag !== '--out') options.partial = true;
  }
  for (const lib of options.libs) if (!LIBS.includes(lib) && !PEERS.includes(lib)) throw new Error(`unknown library ${lib}; one of ${[...LIBS, ...PEERS]}`);
  for (const w of options.workloads) if (!WORKLOADS.includes(w)) throw new Error(`unknown workload ${w}; one of ${WORKLOADS}`);
  for (const store of options.stores) if (!ALL_STORES.includes(store)) throw new Error(`unknown store ${store}; one of ${ALL_STORES}`);
  if (options.merge && (options.libs.length < LIBS.length + PEERS.length || options.stores.length < ALL_STORES.length || options.repeat !== null)) {
    throw new Error('--merge reruns whole workloads: use it with --workload only');
  }
  // A merged run completes the last full run: it writes the report like one.
  if (options.merge) options.partial = false;
  return options;
}

/** Every child to run, repeats outermost so that a slow spell of the machine hits all libraries alike. */
function tasks({ workloads, libs: chosen, stores, repeat }) {
  const list = [];
  const libs = chosen.filter((lib) => LIBS.includes(lib));
  // Run r of a cell is made for r = 0, and for later r only for REPEATED libraries (or with --repeat).
  const runs = (planned, lib, repeatedToo = []) => repeat ?? (REPEATED.includes(lib) || repeatedToo.includes(lib) ? planned : 1);
  const { w1, w2, w3, w4, w5, w6, w7, w8, w9 } = PLAN;
  const rounds = (planned, body) => {
    for (let r = 0; r < (repeat ?? planned); r++) body(r);
  };
  if (workloads.includes('w1')) {
    for (const n of w1.sizes) {
      rounds(w1.repeats, (r) => {
        for (const lib of libs) {
          if (r < runs(w1.repeats, lib)) list.push({ workload: 'w1', lib, key: `${n}`, cap: 'cron', args: [lib, n], limitMs: w1.limitMs[n], r });
        }
      });
    }
  }
  if (workloads.includes('w2')) {
    rounds(w2.repeats, (r) => {
      for (const lib of libs.filter((name) => !FLOORS.includes(name) && !PATHS.includes(name))) {
        for (const expr of EXPRESSIONS) {
          if (r < runs(w2.repeats, lib)) list.push({ workload: 'w2', lib, key: expr, cap: expr, args: [lib, expr], limitMs: w2.limitMs, r });
        }
      }
    });
  }
  if (workloads.includes('w3')) {
    for (const n of w3.sizes) {
      rounds(w3.repeats, (r) => {
        for (const kind of w3.kinds) {
          for (const lib of libs) {
            if (r < runs(w3.repeats, lib, w3.repeatedToo)) list.push({ workload: 'w3', lib, key: `${n} ${kind}`, cap: kind, args: [lib, n, kind], limitMs: w3.limitMs, r });
          }
        }
      });
    }
  }
  if (workloads.includes('w4')) {
    rounds(w4.repeats, (r) => {
      for (const lib of libs.filter((name) => !PATHS.includes(name))) {
        if (r < runs(w4.repeats, lib)) list.push({ workload: 'w4', lib, key: '1', cap: 'interval', args: [lib], limitMs: w4.limitMs, r });
      }
    });
  }
  if (workloads.includes('w5') && libs.includes('timetable')) {
    for (const n of w5.sizes) {
      rounds(w5.repeats, (r) => {
        for (const store of w5.stores.filter((name) => stores.includes(name))) {
          list.push({ workload: 'w5', lib: 'timetable', key: `${store} ${n}`, cap: store, args: [store, n], limitMs: w5.limitMs[n], r });
        }
      });
    }
  }
  if (workloads.includes('w6') && libs.includes('timetable')) {
    rounds(w6.repeats, (r) => {
      for (const store of w6.stores.filter((name) => stores.includes(name))) {
        list.push({ workload: 'w6', lib: 'timetable', key: store, cap: store, args: [store], limitMs: w6.limitMs, r });
      }
    });
  }
  if (workloads.includes('w7')) {
    rounds(w7.repeats, (r) => {
      for (const lib of w7.libs.filter((name) => chosen.includes(name))) {
        list.push({ workload: 'w7', lib, key: 'minute', cap: 'minute', args: [lib], limitMs: w7.limitMs, r });
      }
    });
  }
  if (workloads.includes('w8')) {
    // Rounds outermost; within a round the parts one after the other. Cells in `once` (the
    // promise-executor contrast) and the peer's run only in the first round, unless --repeat.
    rounds(w8.repeats, (r) => {
      const cell = (lib, key, args, limitMs) => {
        if (!chosen.includes(lib)) return;
        if (r >= (w8.once.includes(key) ? repeat ?? 1 : runs(w8.repeats, lib))) return;
        list.push({ workload: 'w8', lib, key, cap: key, args: [lib, ...args], limitMs, r });
      };
      for (const mode of w8.precision) cell('timetable', `precision ${mode}`, ['precision', mode], w8.limitMs.precision);
      cell('timetable', 'overhead', ['overhead'], w8.limitMs.overhead);
      cell('bree', 'overhead', ['overhead'], w8.limitMs.overhead);
      for (const workers of w8.throughput) cell('timetable', `throughput ${workers}`, ['throughput', workers], w8.limitMs.throughput);
    });
  }
  if (workloads.includes('w9')) {
    // Per size: the baseline, then timetable's Redis store and BullMQ side by side at each node count.
    for (const n of w9.sizes) {
      rounds(w9.repeats, (r) => {
        const cell = (lib, store, nodes) => {
          if (!chosen.includes(lib) || !stores.includes(store)) return;
          list.push({ workload: 'w9', lib, key: `${store} ${n} ${nodes}`, cap: store, args: [lib, store, n, nodes], limitMs: w9.limitMs[n], r });
        };
        cell('timetable', 'memory', 1);
        for (const nodes of w9.nodes) {
          cell('timetable', 'redis', nodes);
          cell('bullmq', 'redis', nodes);
        }
      });
    }
  }
  return list;
}

/** Runs one child; resolves with its result, or a timeout / OOM / error record. Never rejects. */
function runTask(task) {
  const script = join(BENCH, 'workloads', `${task.workload}.mjs`);
  const args = ['--expose-gc', '--max-old-space-size=4096', script, ...task.args.map(String)];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: BENCH, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    let partial = null;
    let result = null;
    let resultAt = 0;
    let timedOut = false;
    let keptAlive = false;
    let exitTimer = null;
    let stderr = '';
    const limitTimer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, task.limitMs);
    child.stdout.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (line.startsWith('@@partial ')) partial = JSON.parse(line.slice('@@partial '.length));
        if (!line.startsWith('@@result ') || result !== null) continue;
        result = JSON.parse(line.slice('@@result '.length));
        resultAt = Date.now();
        clearTimeout(limitTimer);
        exitTimer = setTimeout(() => {
          keptAlive = true;
          child.kill('SIGKILL');
        }, EXIT_LIMIT_MS);
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('close', (code, signal) => {
      clearTimeout(limitTimer);
      clearTimeout(exitTimer);
      const wallMs = Date.now() - started;
      if (result !== null) {
        resolve({ ...result, exited: !keptAlive, exitMs: keptAlive ? null : Date.now() - resultAt, wallMs });
      } else if (timedOut) {
        resolve({ ...partial, status: 'timeout', reason: `killed after ${task.limitMs / 1000} s`, wallMs });
      } else if (/heap out of memory|Allocation failed|invalid array length/i.test(stderr)) {
        resolve({ ...partial, status: 'oom', reason: 'out of memory (4 GB heap)', wallMs });
      } else {
        const last = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300);
        resolve({ ...partial, status: 'error', reason: `exit ${code ?? signal}: ${last}`, wallMs });
      }
    });
  });
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds timetable when dist is missing or older than src, and installs the peers when missing. */
function prepare() {
  const dist = join(ROOT, 'dist', 'index.js');
  if (!existsSync(dist) || statSync(dist).mtimeMs < newestMtime(join(ROOT, 'src'))) {
    console.log('building timetable (npm run build) ...');
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  if (['croner', 'pg-boss', 'bree', 'bullmq'].some((name) => !existsSync(join(BENCH, 'node_modules', name)))) {
    console.log('installing the peers (npm ci in bench/) ...');
    const installed = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: BENCH, stdio: 'inherit' });
    if (installed.status !== 0) throw new Error('npm ci in bench/ failed');
  }
}

function git(...args) {
  const out = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : null;
}

function versions() {
  const read = (file) => JSON.parse(readFileSync(file, 'utf8')).version;
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'src') ? ' + uncommitted src changes' : '';
  const list = { timetable: `${read(join(ROOT, 'package.json'))} (dist/ built from ${commit ?? 'unknown commit'}${dirty})` };
  for (const lib of LIBS) {
    if (lib === 'timetable' || PATHS.includes(lib) || FLOORS.includes(lib)) continue;
    list[lib] = read(join(BENCH, 'node_modules', lib, 'package.json'));
  }
  list['toad-scheduler'] += ` (cron jobs through croner ${read(join(BENCH, 'node_modules/toad-scheduler/node_modules/croner/package.json'))})`;
  list['pg-boss'] = read(join(BENCH, 'node_modules', 'pg-boss', 'package.json'));
  list.bree = read(join(BENCH, 'node_modules', 'bree', 'package.json'));
  const benchIoredis = join(BENCH, 'node_modules', 'ioredis', 'package.json');
  list.bullmq = `${read(join(BENCH, 'node_modules', 'bullmq', 'package.json'))} (on ioredis ${existsSync(benchIoredis) ? read(benchIoredis) : '?'})`;
  // The drivers timetable's stores load: the repo's own devDependencies.
  for (const name of ['better-sqlite3', 'pg', 'mysql2', 'ioredis']) {
    const file = join(ROOT, 'node_modules', name, 'package.json');
    list[`${name} (driver)`] = existsSync(file) ? read(file) : 'not installed';
  }
  return list;
}

/** The servers of the store workloads, without user or password. */
function serverNames() {
  const name = (url) => {
    const parsed = new URL(url);
    return `${parsed.host}`;
  };
  return {
    postgres: name(process.env.BENCH_POSTGRES_URL ?? 'postgres://127.0.0.1:5432/test'),
    mysql: name(process.env.BENCH_MYSQL_URL ?? 'mysql://127.0.0.1:3306/test'),
    redis: name(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.render) {
    // The report of the last full (or merged) run, rendered again (after a change to report.mjs).
    const raw = JSON.parse(readFileSync(join(BENCH, '.results', 'raw.json'), 'utf8'));
    const out = options.out ?? join(ROOT, 'docs', 'performance.md');
    writeFileSync(out, renderReport(raw.meta, raw.results, { ...options, partial: false }));
    console.log(`report written to ${relative(process.cwd(), out)}`);
    return;
  }
  const list = tasks(options);
  const rawFile = join(BENCH, '.results', 'raw.json');
  if (options.merge && !options.dryRun && !existsSync(rawFile)) {
    // Checked before the runs, not after them: nothing to merge into.
    throw new Error(`--merge needs ${relative(process.cwd(), rawFile)} from an earlier full run (it is not in git: run the full suite once on this machine)`);
  }
  if (options.dryRun) {
    for (const task of list) console.log(`${task.workload} ${task.lib} ${task.key} (run ${task.r + 1}, limit ${task.limitMs / 1000} s)`);
    console.log(`${list.length} runs (n/a ones are skipped after their first answer)`);
    return;
  }
  prepare();
  const started = Date.now();
  const meta = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadBefore: loadavg(),
    versions: versions(),
    plan: PLAN,
    expressions: EXPRESSIONS,
    servers: serverNames(),
    repeated: REPEATED,
    repeatOverride: options.repeat,
  };
  const results = [];
  /** What a library cannot do (workload, library, schedule kind or expression): not tried again. */
  const unsupported = new Set();
  /** The first run of each cell: no further runs after a failed one. */
  const firstRuns = new Map();
  for (const [index, task] of list.entries()) {
    const id = `${task.workload}|${task.lib}|${task.cap}`;
    const libWide = `${task.workload}|${task.lib}|*`;
    const label = `[${String(index + 1).padStart(3)}/${list.length}] ${task.workload} ${task.lib.padEnd(14)} ${task.key.padEnd(18)}`;
    if (unsupported.has(id) || unsupported.has(libWide)) continue;
    const cellId = `${task.workload}|${task.lib}|${task.key}`;
    const first = firstRuns.get(cellId);
    if (task.r > 0 && first?.status !== 'ok') continue;
    const result = await runTask(task);
    if (!firstRuns.has(cellId)) firstRuns.set(cellId, result);
    results.push({ workload: task.workload, lib: task.lib, key: task.key, ...result });
    if (result.status === 'n/a') unsupported.add(/no next-run API/.test(result.reason) ? libWide : id);
    const extra = result.status === 'ok' ? '' : ` ${result.reason}`;
    console.log(`${label} ${result.status.padEnd(7)} ${(result.wallMs / 1000).toFixed(1).padStart(5)} s${extra}`);
  }
  meta.loadAfter = loadavg();
  meta.totalSeconds = (Date.now() - started) / 1000;
  const resultsDir = join(BENCH, '.results');
  mkdirSync(resultsDir, { recursive: true });
  if (options.merge) {
    // The other workloads' results, from the last full (or merged) run.
    const raw = join(resultsDir, 'raw.json');
    if (!existsSync(raw)) throw new Error(`--merge needs ${relative(process.cwd(), raw)} from an earlier full run`);
    const last = JSON.parse(readFileSync(raw, 'utf8'));
    const kept = last.results.filter((r) => !options.workloads.includes(r.workload));
    results.unshift(...kept);
    meta.merged = { date: last.meta.date, totalSeconds: last.meta.totalSeconds, workloads: options.workloads, loadBefore: last.meta.loadBefore };
    meta.merged.earlier = last.meta.merged ?? null;
  }
  const report = renderReport(meta, results, options);

  const slim = results.map(({ times: _times, ...rest }) => rest);
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify({ meta, results: slim }, null, 2));
  // Everything, W2's fire times included: what --merge starts from.
  if (!options.partial) writeFileSync(join(resultsDir, 'raw.json'), JSON.stringify({ meta, results }));
  const out = options.out ?? (options.partial ? join(resultsDir, 'partial.md') : join(ROOT, 'docs', 'performance.md'));
  writeFileSync(out, report);
  if (options.partial && options.out === null) console.log(`\n${report}`);
  console.log(`\nsuite time ${(meta.totalSeconds / 60).toFixed(1)} min; report written to ${relative(process.cwd(), out)}`);
}

await main();
