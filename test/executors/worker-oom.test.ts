/**
 * A WorkerExecutor thread that runs out of memory (`resourceLimits`) fails its run with an
 * ExecutorError whose cause is Node's ERR_WORKER_OUT_OF_MEMORY, and the next run works on a new
 * thread.
 *
 * The scenario runs in a child process (test/fixtures/worker/oom-child.ts, with tsx), not in the
 * test runner's: on some allocation paths Node aborts the whole process when a worker thread
 * reaches its heap limit (nodejs/node#47224), and in the runner's fork that took the fork down
 * with the rest of its file's tests and no word of why. Here such an abort is this test failing
 * with the child's signal and its output. The child is bounded in time: still running at the
 * bound, it is killed and the test fails.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsx } from '../helpers/tsx-child.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/worker/oom-child.ts', import.meta.url));
/** Far above the second or two the child takes, but well inside the test timeout. */
const LIMIT_MS = 15_000;

/** The child this file started, while it runs (killed by its own handle only). */
const children = new Set<ChildProcess>();

// A safety net: the child is killed at its bound already; none should be left when the file ends.
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('WorkerExecutor thread out of memory', () => {
  it('reports a run whose thread runs out of memory with an ExecutorError, and the next run works on a new thread', async () => {
    const ended = await runTsx(FIXTURE, { limitMs: LIMIT_MS, live: children });
    // Exit code 0 and no signal: the process survived its thread's OOM (an abort is SIGABRT).
    expect(ended, `the child did not exit cleanly; stderr:\n${ended.stderr}`).toMatchObject({ code: 0, signal: null });
    const lines = ended.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] as string) as {
      before: { status: string; returnValue: { sum: number; threadId: number } };
      crash: Record<string, unknown>;
      after: { status: string; returnValue: { sum: number; threadId: number } };
      logged: number;
    };
    expect(report.before).toMatchObject({ status: 'success', returnValue: { sum: 2, threadId: expect.any(Number) } });
    expect(report.crash).toEqual({
      status: 'error',
      startedAt: Date.parse('2026-01-01T00:00:00.000Z'),
      finishedAt: Date.parse('2026-01-01T00:00:00.000Z'),
      name: 'ExecutorError',
      code: 'ERR_EXECUTOR',
      message: expect.stringMatching(/out of memory/),
      causeCode: 'ERR_WORKER_OUT_OF_MEMORY',
    });
    expect(report.crash['message']).toContain('"crasher"');
    expect(report.crash['message']).toContain('"cpu"');
    expect(report.after).toMatchObject({ status: 'success', returnValue: { sum: 4, threadId: expect.any(Number) } });
    expect(report.after.returnValue.threadId).not.toBe(report.before.returnValue.threadId);
    // Reported with the run, not logged as a failure of an idle thread.
    expect(report.logged).toBe(0);
  });
});
