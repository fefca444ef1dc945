/**
 * The runs in flight of the schedulers sharing a store: extending their leases, forgetting the
 * ones that ended, and finding the abandoned ones (the arguments and replies of the run
 * scripts).
 *
 * @internal
 * @module
 */
import type { AbandonedRun } from 'timetable';
import { instantMs } from '../sql/records.js';
import { EXTEND, FINISH, REAP } from './lua/runs.js';
import { runScript } from './scripts.js';
import type { Session } from './session.js';

/** Run ids per script call. */
const PAGE = 500;
/**
 * Most abandoned runs one `reapRuns` removes and returns: a bound on the script's work; the
 * scheduler asks again on its next pass, and finds the rest.
 */
export const REAP_LIMIT = 1_000;

/** Run ids a page at a time. */
function pages(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += PAGE) out.push(ids.slice(i, i + PAGE));
  return out;
}

/** Extends the leases of `node`'s runs still in flight, a page of ids per script call. */
export async function extend(s: Session, node: string, runIds: readonly string[], now: string, leaseMs: number): Promise<void> {
  const nowMs = instantMs(now, 'now');
  const { keys } = s;
  for (const page of pages(runIds)) {
    await runScript(s.client, EXTEND, [keys.runs, keys.runLeases, keys.jobRuns], [node, String(nowMs), String(nowMs + leaseMs), ...page]);
  }
}

/** Forgets runs, a page of ids per script call. */
export async function finish(s: Session, runIds: readonly string[]): Promise<void> {
  const { keys } = s;
  for (const page of pages(runIds)) await runScript(s.client, FINISH, [keys.runs, keys.runLeases, keys.jobRuns], page);
}

/** The run a reaped entry stands for, or `null` when its JSON was edited into something else. */
function abandoned(runId: string, text: string, leaseEnd: string): AbandonedRun | null {
  try {
    const run = JSON.parse(text) as { jobId?: unknown; node?: unknown; scheduledRunTime?: unknown };
    if (typeof run.jobId !== 'string' || typeof run.node !== 'string' || typeof run.scheduledRunTime !== 'string') return null;
    return { runId, jobId: run.jobId, node: run.node, scheduledRunTime: run.scheduledRunTime, leaseUntil: new Date(Number(leaseEnd)).toISOString() };
  } catch {
    return null;
  }
}

/** Removes and returns up to {@link REAP_LIMIT} abandoned runs, by lease end. */
export async function reap(s: Session, now: string): Promise<AbandonedRun[]> {
  const nowMs = instantMs(now, 'now');
  const { keys } = s;
  const reply = (await runScript(s.client, REAP, [keys.runs, keys.runLeases, keys.jobRuns], [String(nowMs), String(REAP_LIMIT)])) as string[];
  const runs: AbandonedRun[] = [];
  for (let i = 0; i < reply.length; i += 3) {
    const run = abandoned(reply[i] as string, reply[i + 1] as string, reply[i + 2] as string);
    if (run !== null) runs.push(run);
  }
  return runs.sort((a, b) => (a.leaseUntil < b.leaseUntil ? -1 : a.leaseUntil > b.leaseUntil ? 1 : 0));
}
