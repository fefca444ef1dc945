/**
 * The kill test, shared by `test/stores/kill.test.ts` (45 s a store) and `npm run chaos` (as long
 * as asked): scheduler processes (`kill-node.ts`) on one fresh store, jobs every second, one node
 * killed with SIGKILL and restarted every few seconds; then the shared log is judged: every
 * slot of the judged window must have been started exactly once.
 *
 * Timeline of a run of `seconds` with lease `L`:
 *
 * ```
 * spawn ─ all ready ─ seed ─ t1 ── a kill every ~killEvery s ── last kill ──── t2 ── end ── stop
 *                                                       (end − L − 5 s)  (end − 2 s)
 * ```
 *
 * The nodes start on an empty store (they create its tables at once) and the jobs' first slot
 * `t1` follows the seeding, so there is no backlog from the nodes' start-up. The kills end
 * `L + 5` s before the end, so that what the last killed node held has been taken over (after
 * `L`) and its runs reported abandoned (within another half lease and a pass) before the nodes
 * stop. At the end the nodes get up to `drainSeconds` more to start the window's slots that
 * are still due (a loaded machine may have fallen behind); then they are stopped.
 *
 * {@link runCatchUpKill} is one case of it without luck: a node killed in the middle of a
 * catch-up (see {@link Figures.lostInCatchUp}).
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntervalTrigger, Scheduler } from '../../src/index.js';
import { mysqlScratch, pgScratch, PG_URL, sqliteScratch } from './databases.js';
import { REDIS_URL, redisScratch } from './redis.js';
import { judge, SLOT_MS, type Figures, type Kill } from './kill-judge.js';
import { openStore, TASK, type NodeConfig, type StoreConfig, type StoreKind } from './kill-node.js';

export { formatFigures, type Figures } from './kill-judge.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE_SCRIPT = fileURLToPath(new URL('./kill-node.ts', import.meta.url));

/** What to run. */
export interface KillOptions {
  store: StoreKind;
  /** Wall time from the first judged slot (just after seeding) to the stop of the nodes. */
  seconds: number;
  /** Jobs, each every second. */
  jobs: number;
  /** Scheduler processes. */
  nodes: number;
  /** Mean seconds between two kills (each wait is drawn from ±25 % of it). */
  killEvery: number;
  /** The nodes' `leaseTime`, in seconds. */
  leaseTime: number;
  /** The jobs' `maxInstances`. */
  maxInstances: number;
  /** Longest pretend work of a run, in ms. */
  workMs: number;
  /** Longest wait after the end for the window's slots still due. @defaultValue 15 */
  drainSeconds?: number;
  /** Copy the shared log there before it is deleted. */
  keepLog?: string;
  /** Progress lines (kills, crashes); none by default. */
  progress?: (line: string) => void;
}


/** Every child process the harness started and has not seen exit (for {@link killAll}). */
const live = new Set<ChildProcess>();

/** SIGKILLs every node any run started that is still running (a test's `afterAll`, a signal). */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const ceilSlot = (ms: number): number => Math.ceil(ms / SLOT_MS) * SLOT_MS;
const floorSlot = (ms: number): number => Math.floor(ms / SLOT_MS) * SLOT_MS;
const iso = (ms: number): string => new Date(ms).toISOString();

/** Resolves once `condition()` holds (tried every `everyMs`), or after `ms` anyway. */
async function until(condition: () => boolean, ms: number, everyMs = 50): Promise<void> {
  for (const end = Date.now() + ms; !condition() && Date.now() < end; ) await sleep(everyMs);
}

/** A fresh schema / database for one run (SQLite: a file in `dir`), and how to drop it. */
async function scratchStore(kind: StoreKind, dir: string): Promise<{ store: StoreConfig; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const pg = await pgScratch();
    return { store: { kind, url: PG_URL, schema: pg.schema }, drop: () => pg.drop() };
  }
  if (kind === 'mysql') {
    const my = await mysqlScratch();
    return { store: { kind, url: my.url, schema: '' }, drop: () => my.drop() };
  }
  if (kind === 'redis') {
    const redis = redisScratch();
    return { store: { kind, url: REDIS_URL, schema: redis.prefix() }, drop: () => redis.drop() };
  }
  return { store: { kind, url: join(dir, 'jobs.db'), schema: '' }, drop: async () => undefined };
}

/** What {@link seed} adds: `jobs` jobs every second on the grid of `startMs`. */
interface SeedOptions {
  jobs: number;
  maxInstances: number;
  startMs: number;
  /** A first run time before now makes a backlog (a catch-up for coalesce 'all'). */
  firstRunMs?: number;
}

/** Adds the jobs through a paused scheduler (not a node: it never runs anything). */
async function seed(store: StoreConfig, options: SeedOptions): Promise<string[]> {
  const scheduler = new Scheduler({ stores: { default: openStore(store) }, tasks: { [TASK]: () => undefined } });
  await scheduler.start({ paused: true });
  const ids = Array.from({ length: options.jobs }, (_, i) => `job-${String(i).padStart(4, '0')}`);
  try {
    for (const id of ids) {
      await scheduler.addJob(TASK, new IntervalTrigger({ seconds: SLOT_MS / 1000, startDate: new Date(options.startMs) }), {
        id,
        // 'all': the slots a killed node held are all run by the node that takes over (late,
        // as a catch-up), none coalesced away; the grace keeps them from counting as missed.
        coalesce: 'all',
        misfireGraceTime: 60,
        maxInstances: options.maxInstances,
        // The first slot is set, not computed from the time of the add: on a busy machine the
        // last adds may come after `startMs`, and their first slot must still be `startMs`.
        nextRunTime: new Date(options.firstRunMs ?? options.startMs),
      });
    }
  } finally {
    await scheduler.shutdown();
  }
  return ids;
}

/** One node: its name, its current process, and whether that process said `ready`. */
interface Node {
  name: string;
  child: ChildProcess | null;
  ready: boolean;
  /** Set before the harness kills or stops it (or it is to kill itself): its exit is no crash. */
  expectedExit: boolean;
  stderr: string;
}

/** Starts, kills and restarts the nodes of one run. */
class Nodes {
  readonly nodes: Node[];
  readonly kills: Kill[] = [];
  crashes = 0;

  constructor(
    count: number,
    private readonly config: Omit<NodeConfig, 'node'>,
    private readonly progress: (line: string) => void = () => undefined,
  ) {
    this.nodes = Array.from({ length: count }, (_, i) => ({ name: `n${i + 1}`, child: null, ready: false, expectedExit: false, stderr: '' }));
  }

  /** Starts (or restarts) `node`; resolves once it is ready, rejects if it exits first. */
  start(node: Node, extra: Partial<NodeConfig> = {}): Promise<void> {
    const config: NodeConfig = { ...this.config, ...extra, node: node.name };
    const child = spawn(process.execPath, ['--import', 'tsx', NODE_SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, KILL_NODE_CONFIG: JSON.stringify(config) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(child);
    Object.assign(node, { child, ready: false, expectedExit: config.dieAfterRuns !== undefined });
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (!node.ready && chunk.toString().includes('ready')) {
          node.ready = true;
          resolve();
        }
      });
      // The last few kB only: enough to say why a node failed.
      child.stderr?.on('data', (chunk: Buffer) => (node.stderr = (node.stderr + chunk.toString()).slice(-4_000)));
      child.on('exit', (code, signal) => {
        live.delete(child);
        if (node.child === child) Object.assign(node, { child: null, ready: false });
        if (!node.expectedExit) {
          this.crashes++;
          this.progress(`${node.name} (pid ${child.pid}) exited on its own: ${code ?? signal}\n${node.stderr}`);
        }
        reject(new Error(`${node.name} exited (${code ?? signal}) before it was ready:\n${node.stderr}`));
      });
    });
  }

  /** Sends `signal` to `node`'s process (its exit then is no crash); resolves when it has exited. */
  signal(node: Node, signal: NodeJS.Signals): Promise<void> {
    const child = node.child;
    if (child === null) return Promise.resolve();
    node.expectedExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    return exited;
  }

  /**
   * SIGKILLs one ready node, `preferred` if it is ready, else one at random, and starts it again
   * under the same name: a restarted service keeps its configured identity, and the lease
   * owners of the new process (`<name>#1`, `#2`...) repeating those of the dead one must do no
   * harm.
   */
  async killOne(preferred: string | null): Promise<void> {
    const ready = this.nodes.filter((node) => node.ready && node.child !== null);
    const node = ready.find((node) => node.name === preferred) ?? ready[Math.floor(Math.random() * ready.length)];
    if (node?.child == null) return;
    const { pid = 0 } = node.child;
    const exited = this.signal(node, 'SIGKILL');
    const at = Date.now();
    this.kills.push({ node: node.name, pid, at });
    this.progress(`killed ${node.name} (pid ${pid}) ${at % SLOT_MS} ms after a slot${preferred === null ? '' : ', aimed at the last runner'}`);
    await exited;
    // Not awaited: the kills go on meanwhile; a node that cannot start is counted as a crash.
    this.start(node).catch(() => undefined);
  }

  /** SIGTERM (graceful shutdown) to every node; SIGKILL to those still running after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    const timer = setTimeout(() => this.kill(), graceMs);
    await Promise.all(this.nodes.map((node) => this.signal(node, 'SIGTERM')));
    clearTimeout(timer);
  }

  /** SIGKILLs this run's nodes that are still running; resolves once they have exited. */
  async kill(): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.signal(node, 'SIGKILL')));
  }
}

/** The node of the last run line of the log (in its last 4 kB), or `null`. */
function lastRunner(log: string): string | null {
  const fd = openSync(log, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(size, 4_096));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    const last = buffer.toString().split('\n').reverse().find((line) => line.startsWith('run '));
    return last?.split(' ')[3] ?? null;
  } finally {
    closeSync(fd);
  }
}

/** A temporary directory for the log (and an SQLite file), and a fresh store. */
async function scratch(kind: StoreKind): Promise<{ store: StoreConfig; log: string; drop(): Promise<void> }> {
  const tmp = sqliteScratch();
  try {
    const { store, drop } = await scratchStore(kind, tmp.dir);
    return { store, log: tmp.file('runs.log'), drop: () => drop().finally(() => tmp.drop()) };
  } catch (error) {
    tmp.drop();
    throw error;
  }
}

/** Runs the nodes on a fresh store, seeds it, kills nodes, stops them, and judges the log. */
export async function runKill(options: KillOptions): Promise<Figures> {
  const progress = options.progress ?? (() => undefined);
  const { store, log, drop } = await scratch(options.store);
  const begin = Date.now();
  const { leaseTime, workMs } = options;
  // The nodes' own bound: past the run, the drain and the stop, with room for a slow start-up.
  const deadline = begin + (options.seconds + 120) * 1_000;
  const nodes = new Nodes(options.nodes, { store, log, leaseTime, workMs, deadline }, progress);
  try {
    await Promise.all(nodes.nodes.map((node) => nodes.start(node)));
    // The first slot leaves the nodes a poll (1 s) to see the jobs.
    const t1 = ceilSlot(Date.now()) + 2 * SLOT_MS;
    // The run is timed from its first slot, not from the spawns: on a loaded machine the nodes'
    // start-up took up to ~10 s, and counted in the run it left too little time for the kills.
    const end = t1 + options.seconds * 1_000;
    const ids = await seed(store, { ...options, startMs: t1 });
    const t2 = floorSlot(end) - 2 * SLOT_MS;
    const killsUntil = end - (leaseTime + 5) * 1_000;
    progress(`${options.nodes} nodes ready and jobs added after ${Date.now() - begin} ms; judging slots from ${iso(t1)}`);
    // Every other kill is aimed: at the node that ran the latest slot (one node usually takes
    // all of a slot's jobs), in the first 60 ms after a slot, while it acquires, commits and
    // starts the slot's runs: the instants at which a kill can leave a slot half done. The
    // others hit any node at any instant.
    let next = t1 + Math.random() * options.killEvery * 1_000;
    for (let aimed = false; next < killsUntil; aimed = !aimed) {
      if (aimed) next = floorSlot(next) + Math.random() * 60;
      await sleep(next - Date.now());
      await nodes.killOne(aimed ? lastRunner(log) : null);
      next += options.killEvery * 1_000 * (0.75 + Math.random() / 2);
    }
    await sleep(end - Date.now());
    const judgeLog = (): Figures =>
      judge(readFileSync(log, 'utf8'), { store: options.store, ids, t1, t2, kills: nodes.kills, crashes: nodes.crashes, leaseMs: leaseTime * 1_000 });
    await until(() => judgeLog().lost === 0, (options.drainSeconds ?? 15) * 1_000, 500);
    await nodes.stop(10_000);
    if (options.keepLog !== undefined) copyFileSync(log, options.keepLog);
    return judgeLog();
  } finally {
    await nodes.kill();
    await drop();
  }
}

/** What {@link runCatchUpKill} saw. */
export interface CatchUpOutcome {
  /** The slots that were due when the first node began the catch-up. */
  slots: string[];
  /** Of those, the ones started twice, or neither started nor reported abandoned. */
  unaccounted: string[];
  /** The log, for the failure message. */
  log: string;
}

/**
 * The catch-up case on its own, without luck: one job 5 s behind (coalesce 'all'), so the
 * first node's first pass finds ~6 due slots to run one after the other; the node SIGKILLs
 * itself right after its second run line. A second node then takes over. Every slot of the
 * catch-up must have been started once, or reported abandoned.
 */
export async function runCatchUpKill(): Promise<CatchUpOutcome> {
  const { store, log, drop } = await scratch('sqlite');
  const base = floorSlot(Date.now());
  // Lease 1 s (the least): the run of the dead node is reaped soon.
  const nodes = new Nodes(2, { store, log, leaseTime: 1, workMs: 0, deadline: base + 60_000 });
  try {
    await seed(store, { jobs: 1, maxInstances: 10, startMs: base - 6 * SLOT_MS, firstRunMs: base - 5 * SLOT_MS });
    const [first, second] = nodes.nodes as [Node, Node];
    await nodes.start(first, { dieAfterRuns: 2 }).catch(() => undefined);
    await until(() => first.child === null, 20_000);
    await nodes.start(second);
    const parse = (): string[][] => readFileSync(log, 'utf8').split('\n').map((line) => line.split(' '));
    // The catch-up holds the slots that were due when the first node planned it: before its first run line.
    const plannedUntil = (lines: string[][]): number => Number(lines.find((line) => line[0] === 'run' && line[3] === first.name)?.[5] ?? base);
    // Done once the dead node's run was reported and the second node ran a slot past the catch-up.
    await until(() => {
      const lines = parse();
      const past = iso(floorSlot(plannedUntil(lines)) + SLOT_MS);
      return lines.some((line) => line[0] === 'abandoned') && lines.some((line) => line[0] === 'run' && line[2]! >= past);
    }, 20_000);
    await nodes.stop(5_000);
    const text = readFileSync(log, 'utf8');
    const lines = parse();
    const planned = plannedUntil(lines);
    const slots: string[] = [];
    for (let slot = base - 5 * SLOT_MS; slot <= planned; slot += SLOT_MS) slots.push(iso(slot));
    const count = (kind: string, slot: string): number => lines.filter((line) => line[0] === kind && line[2] === slot).length;
    const unaccounted = slots.filter((slot) => count('run', slot) > 1 || (count('run', slot) === 0 && count('abandoned', slot) === 0));
    return { slots, unaccounted, log: text };
  } finally {
    await nodes.kill();
    await drop();
  }
}

