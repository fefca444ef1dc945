// Runs every example (the web demo once, with --smoke) as a child process, all in parallel, and
// checks that each exits by itself with code 0 and prints its key lines, so examples cannot rot.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIMIT_MS = 30_000;

/** Runs `examples/<file>` with tsx; resolves with its exit code and output (stdout + stderr). */
function runExample(file: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const [name, ...args] = file.split(' ');
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}`, ...args], {
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
  'cron-timezone.ts': [
    'Mon 2024-03-11 09:30 -04:00  (2024-03-11T13:30:00Z)',
    // 02:30 does not exist on the spring-forward night: one fire, at the end of the gap
    'Sat 2024-03-09 02:30 -05:00  (2024-03-09T07:30:00Z)\n  Sun 2024-03-10 03:00 -04:00  (2024-03-10T07:00:00Z)\n  Mon 2024-03-11 02:30 -04:00',
    // 01:30 twice on the fall-back night: the fixed-time job fires at the first only
    '[dstMode: fixed]\n  Sun 2024-11-03 01:30 -04:00  (2024-11-03T05:30:00Z)\n  Mon 2024-11-04 01:30 -05:00',
    '  Sun 2024-11-03 01:30 -04:00  (2024-11-03T05:30:00Z)\n  Sun 2024-11-03 01:00 -05:00  (2024-11-03T06:00:00Z)',
    "cron[day_of_week='mon-fri', hour='9', minute='30', timezone=America/New_York]\n  ran",
    'ran daily 2:30   at Sun 2024-03-10 03:00 -04:00  (2024-03-10T07:00:00Z)',
    [/ran (daily 2:30  |weekday 9:30) at /g, 6],
  ],
  'crontab.ts': [
    "cron['0 0 L * *', timezone=Europe/London]: Sat 2026-01-31 00:00:00 | Sat 2026-02-28 00:00:00 | Tue 2026-03-31 00:00:00",
    "cron['0 18 * * 5L', timezone=Europe/London]: Fri 2026-01-30 18:00:00",
    "cron['0 10 * * 1#2', timezone=Europe/London]: Mon 2026-01-12 10:00:00 | Mon 2026-02-09 10:00:00",
    "cron['@weekly', timezone=Europe/London]: Sun 2026-01-04 00:00:00",
    "(13th OR Friday): Fri 2026-01-02 00:00:00 | Fri 2026-01-09 00:00:00 | Tue 2026-01-13 00:00:00",
    "(AND):       Fri 2026-02-13 00:00:00 | Fri 2026-03-13 00:00:00 | Fri 2026-11-13 00:00:00",
    /"0 0 31 2 \*" +ERR_INVALID_TRIGGER field=cron\n/,
    /"0 0 \* \* 8" +ERR_INVALID_TRIGGER field=cron\.expression\n/,
    /"@reboot" +ERR_INVALID_TRIGGER field=cron\.expression\n/,
    'jobs added: 7',
  ],
  'calendar-interval.ts': [
    // the 31st of each month that has one
    [/^ {2}\w{3} 202[67]-\d\d-31 09:00 /gm, 8],
    'Sat 2026-10-31 09:00 -04:00  (2026-10-31T13:00:00Z)\n  Thu 2026-12-31 09:00 -05:00',
    'Mon 2026-02-23 08:00 -05:00  (2026-02-23T13:00:00Z)\n  Mon 2026-03-09 08:00 -04:00  (2026-03-09T12:00:00Z)',
    'Mon 2026-10-19 08:00 -04:00  (2026-10-19T12:00:00Z)\n  Mon 2026-11-02 08:00 -05:00  (2026-11-02T13:00:00Z)',
    'Mon 2026-03-09 09:00 -04:00  (2026-03-09T13:00:00Z)',
    'first run:   2026-01-31T08:00:00.000Z',
  ],
  'combined-triggers.ts': [
    'Thu 2026-03-19 09:00\n  Thu 2026-03-19 10:30\n  Thu 2026-03-19 12:00\n  Thu 2026-03-19 13:30\n  Thu 2026-03-19 15:00\n  Thu 2026-03-19 16:30\n  Fri 2026-03-20 09:00',
    'Fri 2026-03-20 16:30\n  Mon 2026-03-23 09:00',
    "cron[day_of_week='mon-fri', hour='9-16', minute='*/15', timezone=America/New_York]",
    'Tue 2026-03-31 09:00\n  Wed 2026-04-01 09:00\n  Thu 2026-04-02 09:00',
    'And of 09:00 daily and 10:00 daily: ERR_MAX_ITERATIONS after 100 iterations',
  ],
  'demo.ts --smoke': [
    /Dashboard: +http:\/\/127\.0\.0\.1:\d+\/scheduler\/dashboard/,
    'Sign in as:  user "demo", password "timetable"',
    'smoke: GET /scheduler -> 200 state=running jobs=5 auth=basic',
    /smoke: GET \/scheduler\/dashboard -> 200 text\/html; charset=utf-8 csp=strict title="timetable · scheduler dashboard"/,
    'smoke: GET /scheduler/jobs without credentials -> 401',
    'smoke: ok',
    'Shut down; the process exits by itself.',
  ],
  'express/minimal.ts': [
    'POST /jobs -> 201, Location: /scheduler/jobs/weekly-report',
    "trigger: cron[day_of_week='mon', hour='9', timezone=Europe/Berlin]",
    /next run: \d{4}-\d\d-\d\dT09:00:00\.000\+0[12]:00 /,
    'GET /jobs/weekly-report -> last outcome: ok, history: 1 record(s)',
    'bad request -> 400 ERR_INVALID_TRIGGER (field trigger)\nbad request -> 400 ERR_TASK_NOT_FOUND (field task)\n' +
      'bad request -> 400 ERR_INVALID_TRIGGER (field trigger.runDate)\nbad request -> 401 ERR_UNAUTHORIZED',
    'DELETE /jobs/weekly-report -> 204\ndone',
  ],
  'express/custom-auth.ts': [
    'reader   GET /jobs -> 200   POST /jobs -> 401 ERR_UNAUTHORIZED',
    'writer   GET /jobs -> 200   POST /jobs -> 201',
    'expired  GET /jobs -> 401   POST /jobs -> 401 ERR_UNAUTHORIZED',
    'tampered GET /jobs -> 401   POST /jobs -> 401 ERR_UNAUTHORIZED',
    'none     GET /jobs -> 401   POST /jobs -> 401 ERR_UNAUTHORIZED',
    'jobs: cleanup-2\n',
  ],
  'express/read-only.ts': [
    'GET / -> state running, 1 job(s), readOnly true',
    [/ -> 403 ERR_READ_ONLY\n/g, 4],
    'GET /jobs with Host: attacker.example -> 403',
    'job still there: true, paused: false, state: running',
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
