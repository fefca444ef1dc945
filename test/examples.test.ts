// Runs every example (the web demo with --smoke) as a child process, in parallel, and checks that
// each exits by itself with code 0 and prints its key lines, so examples cannot rot. The web demo
// also runs twice on one SQLite file, to see a job survive a restart; the PostgreSQL and MySQL
// examples run against the local servers (TIMETABLE_PG_URL, TIMETABLE_MYSQL_URL), and without a URL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MYSQL_URL, PG_URL, describeWithServer, probe } from './helpers/databases.js';
import { REDIS_URL, probeRedis } from './helpers/redis.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIMIT_MS = 30_000;

type Exit = { code: number | null; signal: NodeJS.Signals | null; output: string };

/**
 * Starts `examples/<file>` with tsx (killed after LIMIT_MS). `env` is added to this process's
 * environment; a variable set to `undefined` is left out.
 */
function startExample(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${file}`, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<Exit>((resolve, reject) => {
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`examples/${file} did not exit within ${LIMIT_MS} ms; output:\n${output}`));
    }, LIMIT_MS);
    child.on('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, output });
    });
  });
  /** Resolves with the first match of `pattern` in the output; rejects if the child exits first. */
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (match) {
          waiters.delete(check);
          resolve(match);
        }
      };
      waiters.add(check);
      check();
      exited.then(
        () => reject(new Error(`examples/${file} exited before printing ${pattern}; output:\n${output}`)),
        reject,
      );
    });
  return { child, exited, waitFor };
}

/** Runs `examples/<file>` to its end; resolves with its exit code and output (stdout + stderr). */
function runExample(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Exit> {
  return startExample(file, args, env).exited;
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
    /"0 0 31 2 \*" +ERR_INVALID_TRIGGER field=cron\.expression\n/,
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
    /Store: +SQLite file \S+timetable-demo-\w+\/demo\.db \(temporary, for --smoke\)/,
    'The demo jobs, added to the empty store:',
    'Sign in as:  user "demo", password "timetable"',
    'smoke: GET /scheduler -> 200 state=running jobs=5 auth=basic',
    /smoke: GET \/scheduler\/dashboard -> 200 text\/html; charset=utf-8 csp=strict title="timetable · scheduler dashboard"/,
    'smoke: GET /scheduler/jobs without credentials -> 401',
    'smoke: ok',
    'Shut down; the process exits by itself.',
  ],
  'demo.ts --smoke --memory': [
    'Store:       in memory (--memory): the jobs are lost at exit',
    'smoke: GET /scheduler -> 200 state=running jobs=5 auth=basic',
    'smoke: ok',
  ],
  'stores/sqlite.ts': [
    /\[first\] added heartbeat and reminder to \S+jobs\.db/,
    /heartbeat for slot .*\n.*heartbeat for slot .*\n.*\[first\] shut down\n/, // two runs, then the restart
    /row: heartbeat next_run_time \d{4}-\S+Z\n.*row: reminder  next_run_time \d{4}-\S+Z/,
    '[second] found in the file: heartbeat, reminder',
    /\[second\] heartbeat: one run for ([2-9]|\d\d) due slot\(s\)/, // coalesced (2 unless the host is slow)
    'reminder: the jobs survived a restart',
    '[second] reminder removed (finished)',
    'temporary directory removed',
  ],
  'stores/shared-nodes.ts': [
    'node-1 added job "tick" (every second); node-1, node-2 and node-3 share the file',
    [/^\+\d+\.\ds slot \d\d:\d\d:\d\d\.\d{3} ran on node-[123]$/gm, 6],
    /^\+\d+\.\ds node-[123] shut down; the other nodes carry on$/m,
    'slots: 6, runs: 6, each slot ran once: yes',
    /runs per node: node-1 \d, node-2 \d, node-3 \d\n/,
  ],
  'executors/worker.ts': [
    /renderPdf refused: \[ERR_TASK_NOT_FOUND\] Task "renderPdf" not found: executor "cpu"/,
    /primes-a: \{"primes":1270607,"threadId":\d+\}/,
    /runaway failed: JobTimeoutError \[ERR_JOB_TIMEOUT\] Job "runaway" timed out after 1 s/,
    /primes-b: \{"primes":1270607,"threadId":\d+\}/,
    'validate failed: RangeError [E_BAD_MONTH] not a month: 2026-13',
    /heartbeat: \d+ runs on the main thread/,
    'shut down; the worker threads are gone and the process exits by itself',
  ],
  'express/minimal.ts': [
    'POST /jobs -> 201, Location: /scheduler/jobs/weekly-report',
    'trigger: at 09:00 on Monday, Europe/Berlin',
    /next run: \d{4}-\d\d-\d\dT09:00:00\.000\+0[12]:00 /,
    'GET /jobs?limit=50&q=report -> 200: weekly-report (1 found)',
    'GET /preview?trigger=*/20 * * * * -> every 20 minutes, Europe/Berlin, next: 5 times',
    'PATCH /jobs/weekly-report with the GET JSON -> 200, maxInstances 2',
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

/** Checks that an example exited with 0 and printed the expected lines. */
function expectOutput({ code, signal, output }: Exit, expected: Expected[]): void {
  expect({ code, signal }, output).toEqual({ code: 0, signal: null });
  for (const line of expected) {
    if (typeof line === 'string') expect(output).toContain(line);
    else if (line instanceof RegExp) expect(output).toMatch(line);
    else expect(output.match(line[0])?.length ?? 0, `${line[0]} in:\n${output}`).toBe(line[1]);
  }
}

describe.concurrent('examples', () => {
  for (const [command, expected] of Object.entries(EXAMPLES)) {
    it(`${command} exits with code 0 and prints its key lines`, async () => {
      const [file = '', ...args] = command.split(' ');
      expectOutput(await runExample(file, args), expected);
    }, LIMIT_MS + 5_000);
  }
});

// --- the web demo keeps its jobs in its SQLite file across a restart --------------------------------

const scratch = mkdtempSync(join(tmpdir(), 'timetable-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('demo.ts on an SQLite file', () => {
  it('keeps a job added over the REST API across SIGTERM and a restart', async () => {
    const db = join(scratch, 'demo.db');
    const authorization = `Basic ${Buffer.from('demo:timetable').toString('base64')}`;

    const first = startExample('demo.ts', ['--db', db], { PORT: '0' });
    try {
      const [, origin] = await first.waitFor(/Dashboard: +(http:\/\/127\.0\.0\.1:\d+)\/scheduler\/dashboard/);
      const created = await fetch(`${origin}/scheduler/jobs`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'kept-cleanup', task: 'cleanup-temp', args: [3], trigger: { type: 'interval', hours: 1 } }),
      });
      expect(created.status).toBe(201);
    } catch (error) {
      first.child.kill('SIGKILL');
      throw error;
    }
    first.child.kill('SIGTERM');
    expectOutput(await first.exited, [
      `Store:       SQLite file ${db}: the jobs are kept across restarts`,
      'The demo jobs, added to the empty store:',
      /\+ kept-cleanup +added/,
      'SIGTERM: closing the server and shutting down',
      'Shut down; the process exits by itself.',
    ]);

    // The second start finds the six jobs and adds no demo job again.
    expectOutput(await runExample('demo.ts', ['--smoke', '--db', db]), [
      `Store:       SQLite file ${db}: the jobs are kept across restarts`,
      '6 job(s) kept in the store from the last run:',
      /^ {4}kept-cleanup +interval\[every 1h, timezone=\S+\]$/m,
      'smoke: GET /scheduler -> 200 state=running jobs=6 auth=basic',
      'smoke: ok',
    ]);
  }, 2 * LIMIT_MS);
});

// --- the server stores, on the local servers --------------------------------------------------------

const SERVER_EXAMPLES = [
  {
    name: 'PostgreSQL',
    file: 'stores/postgres.ts',
    variable: 'TIMETABLE_PG_URL',
    fallback: 'DATABASE_URL',
    url: PG_URL,
    server: await probe('postgres'),
    expected: [
      /node-a and node-b started on \S+, schema "timetable_example_[0-9a-f]{8}"/,
      [/^slot \d\d:\d\d:\d\d\.\d{3} ran on node-[ab]: report sent$/gm, 4],
      'slots: 4, each slot ran once: yes; both nodes shut down',
      /node-c found after the restart: report interval\[every 1s, timezone=\S+\], next run \d{4}-/,
      /schema "timetable_example_[0-9a-f]{8}" dropped/,
    ] as Expected[],
  },
  {
    name: 'MySQL',
    file: 'stores/mysql.ts',
    variable: 'TIMETABLE_MYSQL_URL',
    fallback: 'DATABASE_URL',
    url: MYSQL_URL,
    server: await probe('mysql'),
    expected: [
      /node-a and node-b started on \S+, tables example_[0-9a-f]{8}_runs/,
      [/^slot \d\d:\d\d:\d\d\.\d{3} ran on node-[ab]: report sent$/gm, 4],
      'slots: 4, each slot ran once: yes; both nodes shut down',
      /node-c found after the restart: report interval\[every 1s, timezone=\S+\], next run \d{4}-/,
      /tables example_[0-9a-f]{8}_runs, example_[0-9a-f]{8}_jobs, example_[0-9a-f]{8}_meta dropped/,
    ] as Expected[],
  },
  {
    name: 'Redis',
    file: 'stores/redis.ts',
    variable: 'TIMETABLE_REDIS_URL',
    fallback: 'REDIS_URL',
    url: REDIS_URL,
    server: await probeRedis(),
    expected: [
      /node-a and node-b started on \S+, keys \{example_[0-9a-f]{8}\}\*/,
      [/^slot \d\d:\d\d:\d\d\.\d{3} ran on node-[ab]: report sent$/gm, 4],
      'slots: 4, each slot ran once: yes; both nodes shut down',
      /node-c found after the restart: report interval\[every 1s, timezone=\S+\], next run \d{4}-/,
      /keys \{example_[0-9a-f]{8}\}\* deleted/,
    ] as Expected[],
  },
];

for (const { name, file, variable, fallback, url, server, expected } of SERVER_EXAMPLES) {
  describe.concurrent(`examples/${file}`, () => {
    it('without a URL, says which variable to set and exits with 0', async () => {
      const result = await runExample(file, [], { [variable]: undefined, [fallback]: undefined });
      expectOutput(result, [`set ${variable} (or ${fallback})`]);
      expect(result.output).not.toMatch(/ran on|dropped|deleted/);
    });
    describeWithServer(name, server, () => {
      it(`on ${name} (${variable}): shares, keeps and cleans up`, async () => {
        expectOutput(await runExample(file, [], { [variable]: url }), expected);
      }, LIMIT_MS + 5_000);
    });
  });
}
