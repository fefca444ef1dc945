/**
 * The judge of the kill test's shared log (see `kill-harness.ts`): every (job, slot) of the
 * judged window must have been started exactly once; the figures it prints.
 *
 * @module
 */
import type { StoreKind } from './kill-node.js';

/** The jobs' interval: their slots are on a grid of whole seconds. */
export const SLOT_MS = 1_000;

const iso = (ms: number): string => new Date(ms).toISOString();

/** A SIGKILL the harness sent. */
export interface Kill {
  node: string;
  pid: number;
  at: number;
}

/** What the judge found. */
export interface Figures {
  store: StoreKind;
  /** The judged window: slots from `t1` to `t2` (epoch ms). */
  window: [number, number];
  /** (job, slot) pairs in the window. */
  expected: number;
  /** Of those, started exactly once: one run line, or none and reported abandoned. */
  once: number;
  /** Of `once`, not written but reported abandoned (recorded, then the node died before the task). */
  abandonedUnlogged: number;
  /** (job, slot) pairs with two run lines or more, anywhere in the log. */
  twice: number;
  /** Pairs in the window without a run line or an explaining `job:abandoned` report. */
  lost: number;
  /** Of the lost, those after which no slot of the job ran: the job was still behind at the stop. */
  behind: number;
  /**
   * Of the lost, those inside a coalesce-'all' catch-up that a killed node had started (it was
   * recorded as one run, reported abandoned under its first slot only) and died in the middle
   * of: the bug fixed by running a catch-up one slot per commit.
   */
  lostInCatchUp: number;
  /** Of the lost, those reported as missed / at max instances / failed (the rest: silent). */
  skipped: number;
  /** `job:abandoned` reports in the log (also for runs that did write their line). */
  abandoned: number;
  /** Abandoned reports naming a node that was never killed (its leases lapsed while it lived). */
  abandonedAlive: number;
  kills: number;
  /** Nodes that exited without being killed or stopped. */
  crashes: number;
  storeErrors: number;
  /** Lateness of the runs in the window: ms from the slot to the run line. */
  lateness: { p50: number; p99: number; max: number };
  /** Worst lateness of a slot from a second before a kill to a lease and 2 s after it. */
  takeover: number;
  /** Worst lateness of the other slots. */
  steady: number;
  /** Up to 10 examples of what went wrong. */
  examples: string[];
  ok: boolean;
}


/** What the judge is told besides the log. */
export interface JudgeInput {
  store: StoreKind;
  ids: readonly string[];
  t1: number;
  t2: number;
  kills: readonly Kill[];
  crashes: number;
  leaseMs: number;
}

/** A run line: the process that wrote it and when. */
interface RunLine {
  pid: number;
  ms: number;
}

/** Checks the log: every (job, slot) of `[t1, t2]` started exactly once; the figures. */
export function judge(text: string, input: JudgeInput): Figures {
  const runs = new Map<string, RunLine[]>(); // by "job slot"
  const abandoned = new Map<string, string>(); // "job slot" -> the node that had started it
  const skipped = new Map<string, string>(); // "job slot" -> why
  const latest = new Map<string, number>(); // job -> its latest slot that ran
  let storeErrors = 0;
  for (const line of text.split('\n')) {
    const [kind, job, slot, ...rest] = line.split(' ');
    const key = `${job} ${slot}`;
    if (kind === 'run') {
      runs.set(key, [...(runs.get(key) ?? []), { pid: Number(rest[1]), ms: Number(rest[2]) }]);
      latest.set(job as string, Math.max(latest.get(job as string) ?? 0, Date.parse(slot as string)));
    }
    else if (kind === 'abandoned') abandoned.set(key, rest[0] ?? '');
    else if (kind === 'missed' || kind === 'max-instances' || kind === 'error') skipped.set(key, kind);
    else if (kind === 'store-error') storeErrors++;
  }
  const killedNodes = new Set(input.kills.map((kill) => kill.node));
  const killedPids = new Set(input.kills.map((kill) => kill.pid));
  const nearKill = (slot: number): boolean =>
    input.kills.some((kill) => slot >= kill.at - SLOT_MS && slot <= kill.at + input.leaseMs + 2 * SLOT_MS);

  /**
   * Whether the lost `slot` of `job` lies in a catch-up a killed node had recorded: walking back,
   * only lost slots and slots run by that one killed process, up to a slot reported abandoned,
   * and `slot` was already due when that catch-up started (before its first line, or its kill).
   */
  const inAbandonedCatchUp = (job: string, slot: number): boolean => {
    let runner: number | null = null;
    for (let at = slot - SLOT_MS; at >= slot - 120 * SLOT_MS; at -= SLOT_MS) {
      const key = `${job} ${iso(at)}`;
      const lines = runs.get(key) ?? [];
      const line = lines[0];
      if (lines.length > 1 || (line !== undefined && runner !== null && line.pid !== runner)) return false;
      if (line !== undefined) runner = line.pid;
      const dead = abandoned.get(key);
      if (dead === undefined) continue;
      const started = line?.ms ?? input.kills.find((kill) => kill.node === dead && kill.at >= at)?.at ?? -Infinity;
      return killedNodes.has(dead) && (runner === null || killedPids.has(runner)) && slot <= started;
    }
    return false;
  };

  const examples: string[] = [];
  const example = (text: string): void => void (examples.length < 10 && examples.push(text));
  let twice = 0;
  for (const [key, lines] of runs) {
    if (lines.length < 2) continue;
    twice++;
    example(`twice: ${key} (by pids ${lines.map((line) => line.pid).join(', ')})`);
  }
  let expected = 0, once = 0, abandonedUnlogged = 0, lost = 0, behind = 0, lostInCatchUp = 0, skippedCount = 0, takeover = 0, steady = 0;
  const lateness: number[] = [];
  for (let slot = input.t1; slot <= input.t2; slot += SLOT_MS) {
    for (const id of input.ids) {
      expected++;
      const key = `${id} ${iso(slot)}`;
      const lines = runs.get(key) ?? [];
      if (lines.length === 1) once++;
      for (const { ms } of lines) {
        lateness.push(ms - slot);
        if (nearKill(slot)) takeover = Math.max(takeover, ms - slot);
        else steady = Math.max(steady, ms - slot);
      }
      if (lines.length > 0) continue;
      const dead = abandoned.get(key);
      if (dead !== undefined && killedNodes.has(dead)) {
        abandonedUnlogged++;
        continue;
      }
      lost++;
      const why = skipped.get(key);
      if (why !== undefined) skippedCount++;
      const late = slot > (latest.get(id) ?? 0);
      if (late) behind++;
      const inCatchUp = !late && inAbandonedCatchUp(id, slot);
      if (inCatchUp) lostInCatchUp++;
      const notes = [why, late ? 'not run by the stop' : undefined, inCatchUp ? 'in a catch-up of a killed node' : undefined];
      example(`lost: ${key}${notes.filter((note) => note !== undefined).map((note) => ` (${note})`).join('')}`);
    }
  }
  lateness.sort((a, b) => a - b);
  const at = (q: number): number => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))] ?? 0;
  return {
    store: input.store,
    window: [input.t1, input.t2],
    expected,
    once: once + abandonedUnlogged,
    abandonedUnlogged,
    twice,
    lost,
    behind,
    lostInCatchUp,
    skipped: skippedCount,
    abandoned: abandoned.size,
    abandonedAlive: [...abandoned.values()].filter((node) => !killedNodes.has(node)).length,
    kills: input.kills.length,
    crashes: input.crashes,
    storeErrors,
    lateness: { p50: at(0.5), p99: at(0.99), max: lateness[lateness.length - 1] ?? 0 },
    takeover,
    steady,
    examples,
    ok: expected > 0 && input.kills.length > 0 && twice === 0 && lost === 0 && input.crashes === 0,
  };
}

/** The figures as printed by `npm run chaos` and in a failing test's message. */
export function formatFigures(f: Figures): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
  return [
    `store:                      ${f.store}`,
    `judged window:              ${iso(f.window[0])} .. ${iso(f.window[1])} (${(f.window[1] - f.window[0]) / SLOT_MS + 1} slots a job)`,
    `slots expected:             ${f.expected}`,
    `started exactly once:       ${f.once} (of which ${f.abandonedUnlogged} recorded, then killed before the task wrote: reported abandoned)`,
    `started twice or more:      ${f.twice}`,
    `lost:                       ${f.lost} (${f.behind} not run by the stop, ${f.lostInCatchUp} in a catch-up of a killed node, ${f.skipped} reported missed / max-instances / failed)`,
    `abandoned reports:          ${f.abandoned} (${f.abandonedAlive} naming a node never killed)`,
    `kills (SIGKILL):            ${f.kills}`,
    `nodes that crashed:         ${f.crashes}`,
    `store errors reported:      ${f.storeErrors}`,
    `lateness of runs:           p50 ${s(f.lateness.p50)}, p99 ${s(f.lateness.p99)}, max ${s(f.lateness.max)}`,
    `worst lateness after kill:  ${s(f.takeover)} (takeover); elsewhere ${s(f.steady)}`,
    ...f.examples.map((text) => `  ${text}`),
    `verdict:                    ${f.ok ? 'OK' : 'FAILED'}`,
  ].join('\n');
}
