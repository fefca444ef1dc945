/**
 * A process whose scheduler has a WorkerExecutor exits by itself once the scheduler is shut
 * down: no worker thread, timer or channel of the executor is left to keep it alive, whether the
 * shutdown waits for a running task or ends one that spins. A task module that does not load
 * fails start() without leaving threads behind (nor respawning them in a loop).
 *
 * Each case runs test/fixtures/worker/exit-after-shutdown.ts in a child process with tsx and
 * bounds it in time: a child still running at the bound is killed and the test fails.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsx } from '../helpers/tsx-child.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/worker/exit-after-shutdown.ts', import.meta.url));
/** Far above the second or so a child takes, but well inside the test timeout. */
const LIMIT_MS = 12_000;

/** Children this file started that have not exited yet (each is killed by its own handle only). */
const children = new Set<ChildProcess>();

// A safety net: each child is killed at its bound already; none should be left when the file ends.
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Runs the fixture with `args`, bounded by {@link LIMIT_MS}. */
const runChild = (args: string[]) => runTsx(FIXTURE, { limitMs: LIMIT_MS, args, live: children });

const lines = (output: string): string[] => output.split('\n').filter(Boolean);

describe.concurrent('a process with a WorkerExecutor', () => {
  it.each<[string, string, string[]]>([
    [
      'shutdown({ wait: false }) while a task spins in a thread',
      'forced',
      [
        'shutting down (forced) after at least 2 runs of the interval job; the long run: not ended',
        'shut down; the long run: error Run of job "long" was cancelled by shutdown',
      ],
    ],
    [
      'shutdown({ wait: false }) while a timed-out task still spins, its thread due to be ended an hour later',
      'forced-after-timeout',
      [
        'shutting down (forced-after-timeout) after at least 2 runs of the interval job; the long run: error Job "long" timed out after 0.2 s',
        'shut down; the long run: error Job "long" timed out after 0.2 s',
      ],
    ],
    [
      'shutdown({ wait: true }), which waits for the running task',
      'graceful',
      [
        'shutting down (graceful) after at least 2 runs of the interval job; the long run: not ended',
        'shut down; the long run: executed, returned a thread id: true',
      ],
    ],
  ])('exits by itself after %s', async (_what, mode, expected) => {
    const { code, output } = await runChild([mode]);
    expect(lines(output)).toEqual(expected);
    expect(code).toBe(0);
  });

  it.each(['bad-syntax.mjs', 'top-throw.mjs', 'top-exit.mjs'])(
    'prints the start() rejection for a module that does not load (%s) and exits by itself',
    async (file) => {
      const { code, output } = await runChild(['bad-module', file]);
      const url = pathToFileURL(fileURLToPath(new URL(`../fixtures/worker/${file}`, import.meta.url))).href;
      expect(lines(output)).toEqual([
        expect.stringMatching(new RegExp(`^start failed: ExecutorError ERR_EXECUTOR: executor "cpu": the task module ${escape(url)} did not load: .+`)),
      ]);
      expect(code).toBe(0);
    },
  );
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
