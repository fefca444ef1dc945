// Runs every example (except the 15 s console demo) as a child process, all in parallel, and
// checks that each exits by itself with code 0 and prints its key lines, so examples cannot rot.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIMIT_MS = 30_000;

/** Runs `examples/<file>` with tsx; resolves with its exit code and output (stdout + stderr). */
function runExample(file: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${file}`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`examples/${file} did not exit within ${LIMIT_MS} ms; output:\n${output}`));
    }, LIMIT_MS);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, output });
    });
  });
}

/** What an example's output must contain: a string, a pattern, or [pattern, exact count]. */
type Expected = string | RegExp | [RegExp, number];

/** Each example and the lines its output must contain. */
const EXAMPLES: Record<string, Expected[]> = {
  'interval.ts': [[/tick for slot/g, 3], 'shut down after 3 runs (state: stopped)'],
  'one-off-date.ts': [
    /job:removed +job=reminder reason=finished\n.*reminder sent.*\n.*job:executed +job=reminder returned "delivered"/,
    'jobs in the store: 0',
  ],
  'events-logging.ts': [
    'scheduler:started',
    /job:executed +job=greet .*returned="hello #1"/,
    /job:error +job=flaky .*error=upstream unavailable \(run 1\)/,
    /job:max-instances +job=slow/,
    /job:removed +job=flaky reason=removed/,
    'scheduler:shutdown',
  ],
  'graceful-shutdown.ts': [
    'batch 1 gave up at item 3: Job "sync" timed out after 1.5 s',
    /SIGTERM received[^]*batch 2 item 4\/4 done[^]*run\(\) resolved \(state: stopped\)/,
  ],
  'custom-trigger.ts': [
    'trigger:  weekday-random-minute[Mon-Fri 09:?? Europe/Berlin, seed=tenant-42]',
    [/ran backup of tenant-42 at (Mon|Tue|Wed|Thu|Fri) \S+ 09:\d\d/g, 5],
    'bad spec rejected (ERR_INVALID_TRIGGER, field weekday-random-minute.hour)',
  ],
  'custom-store.ts': [
    '[second] loaded from the file: heartbeat, reminder',
    /\[second\] heartbeat: one run for ([2-9]|\d\d) due slot\(s\)/, // coalesced (2 unless the host is slow)
    '[second] reminder: the jobs survived a restart',
    '[second] reminder removed (finished)',
  ],
  'policies.ts': [
    "coalesce 'latest' (the default): one run, for the newest slot\n  ran:    1 run(s): +10s (standing for 10 slots)\n  then:   +11s +12s",
    "coalesce 'earliest': one run, for the oldest slot\n  ran:    1 run(s): +1s (standing for 10 slots)",
    '  ran:    10 run(s): +1s +2s +3s +4s +5s +6s +7s +8s +9s +10s',
    "misfireGraceTime 3 + coalesce 'all'\n  ran:    4 run(s): +7s +8s +9s +10s\n  missed: 6 slot(s): +1s +2s +3s +4s +5s +6s",
    [/slot \+\d0s started at \+\d+\.\d{3}s/g, 4],
  ],
};

describe.concurrent('examples', () => {
  for (const [file, expected] of Object.entries(EXAMPLES)) {
    it(`${file} exits with code 0 and prints its key lines`, async () => {
      const { code, signal, output } = await runExample(file);
      expect({ code, signal }, output).toEqual({ code: 0, signal: null });
      for (const line of expected) {
        if (typeof line === 'string') expect(output).toContain(line);
        else if (line instanceof RegExp) expect(output).toMatch(line);
        else expect(output.match(line[0])?.length ?? 0, `${line[0]} in:\n${output}`).toBe(line[1]);
      }
    }, LIMIT_MS + 5_000);
  }
});
