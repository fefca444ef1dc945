/**
 * Renders the suite's results as docs/performance.md: the machine, the versions, one table per
 * workload (timetable first, then the peers, then the floors, with ratios to timetable) and
 * timetable's targets. Numbers are medians over the runs of each cell.
 */
const ORDER = ['timetable', 'croner', 'node-cron', 'cron', 'node-schedule', 'toad-scheduler', 'floor-timeouts', 'floor-sorted'];
const LABELS = { 'floor-timeouts': 'floor: setTimeout per job', 'floor-sorted': 'floor: one timer, sorted array' };
const label = (lib) => LABELS[lib] ?? lib;
const DOUBT = ' (?)';
const DOUBT_NOTE = `(?) croner, cron and toad-scheduler do not tell which due time a fire is for, so it is inferred from the fire time; once such a library runs half a period or more behind (or misses fires), a late fire cannot be told from an early or a repeated one, and its duplicate and early counts are not reliable.\n`;

function median(values) {
  const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const int = (x) => (x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));
function num(x) {
  if (x === null || x === undefined) return '–';
  const digits = Math.abs(x) < 1 ? 3 : Math.abs(x) < 10 ? 2 : Math.abs(x) < 100 ? 1 : 0;
  return digits === 0 ? int(x) : x.toFixed(digits);
}
function ratio(x, base) {
  if (typeof x !== 'number' || typeof base !== 'number' || base <= 0) return '–';
  const r = x / base;
  return `${r >= 100 ? int(r) : r >= 10 ? r.toFixed(0) : r.toFixed(r >= 1 ? 1 : 2)}×`;
}

/** The runs of one cell, their medians, and how they ended. */
function cell(results, workload, lib, key) {
  const runs = results.filter((r) => r.workload === workload && r.lib === lib && r.key === key);
  const ok = runs.filter((r) => r.status === 'ok');
  const failed = runs.filter((r) => r.status !== 'ok');
  const m = (field) => median(ok.map((r) => r[field]));
  /** Medians over every run that got as far as measuring `field` (W1 reports its adds before the round). */
  const mp = (field) => median(runs.map((r) => r[field]));
  let status = null;
  if (runs.length === 0) status = 'not run';
  else if (ok.length === 0) {
    const first = failed[0];
    status =
      first.status === 'n/a' ? `n/a (${first.reason})`
      : first.status === 'oom' ? 'OOM (4 GB heap)'
      : first.status === 'timeout' ? `timed out (${first.reason})`
      : `failed (${first.reason})`;
  }
  const note = ok.length > 0 && failed.length > 0 ? ` (${failed.length} of ${runs.length} runs: ${failed[0].status})` : '';
  return { runs, ok, m, mp, status, note };
}

function table(header, align, rows) {
  return [`| ${header.join(' | ')} |`, `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

const libsIn = (results, workload) => ORDER.filter((lib) => results.some((r) => r.workload === workload && r.lib === lib));

function w1Section(results, meta) {
  const sizes = [...new Set(results.filter((r) => r.workload === 'w1').map((r) => r.key))];
  const out = [];
  for (const key of sizes) {
    const n = Number(key);
    const base = cell(results, 'w1', 'timetable', key);
    const rows = libsIn(results, 'w1').map((lib) => {
      const c = cell(results, 'w1', lib, key);
      if (c.runs.length === 0) return null;
      const adds = [num(c.mp('usPerAdd')), ratio(c.mp('usPerAdd'), base.mp('usPerAdd')), int(c.mp('heapPerJob')), ratio(c.mp('heapPerJob'), base.mp('heapPerJob')), int(c.mp('rssPerJob'))];
      if (c.status) {
        const when = c.mp('usPerAdd') === null ? '' : ' after the adds';
        return [label(lib), ...adds, `${c.status}${when}`, '', '', String(c.runs.length)];
      }
      const allFired = c.ok.filter((r) => r.fired === n && r.duplicates === 0 && r.early === 0).length;
      const doubt = c.ok.some((r) => !r.slotsReported && (r.fired < n || r.roundMs > 2500)) ? DOUBT : '';
      const fired = allFired === c.ok.length ? 'yes' : `no: ${int(c.m('fired'))} of ${int(n)}${c.m('duplicates') ? `, ${int(c.m('duplicates'))} duplicate${doubt}` : ''}${c.m('early') ? `, ${int(c.m('early'))} early${doubt}` : ''}${allFired > 0 ? ` (all in ${allFired} of ${c.ok.length} runs)` : ''}`;
      const exited = c.ok.filter((r) => r.exited).length;
      const exit = exited === c.ok.length ? `yes (${int(median(c.ok.map((r) => r.exitMs)))} ms)` : `no in ${c.ok.length - exited} of ${c.ok.length} runs (killed after 5 s)`;
      return [label(lib) + c.note, ...adds, fired, int(c.m('roundMs')), exit, String(c.runs.length)];
    }).filter((row) => row !== null);
    out.push(`### ${int(n)} jobs\n`);
    out.push(table(
      ['library', 'µs per add', '× timetable', 'heap B/job', '× timetable', 'RSS B/job', 'every job fired in the round', 'round delivered in (ms)', 'exits by itself after shutdown', 'runs'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'l', 'r', 'l', 'r'], rows,
    ));
    out.push('');
  }
  if (out.some((text) => text.includes(DOUBT))) out.push(DOUBT_NOTE);
  return `${out.join('\n')}\n`;
}

function w2Section(results, meta) {
  const EXPRESSIONS = meta.expressions;
  const libs = libsIn(results, 'w2');
  const base = Object.fromEntries(EXPRESSIONS.map((e) => [e, cell(results, 'w2', 'timetable', e)]));
  const notes = [];
  const footnote = (text) => {
    notes.push(text);
    return ` [${notes.length}]`;
  };
  const speed = libs.map((lib) => {
    const tried = EXPRESSIONS.map((expr) => cell(results, 'w2', lib, expr)).filter((c) => c.runs.length > 0);
    const none = tried.find((c) => c.status?.includes('no next-run API'));
    if (none && tried.every((c) => c.status)) return [label(lib), none.status, ...EXPRESSIONS.map(() => '')];
    const medians = [];
    const cells = EXPRESSIONS.map((expr) => {
      const c = cell(results, 'w2', lib, expr);
      if (c.status) return c.runs.length === 0 ? '–' : c.status.startsWith('n/a') ? `n/a${footnote(`${label(lib)} \`${expr}\`: ${c.status.slice(5, -1)}`)}` : c.status;
      medians.push(c.m('usPerNext'));
      const { count, stop, timedSteps } = c.ok[0];
      const prefix = timedSteps < count ? `; timed over the first ${int(timedSteps)}` : '';
      const short = count < 2000 || prefix ? footnote(`${label(lib)} \`${expr}\`: ${int(count)} fire times${count < 2000 ? `, then it ${stop}` : ''}${prefix}`) : '';
      return lib === 'timetable' ? `${num(c.m('usPerNext'))}${short}` : `${num(c.m('usPerNext'))} (${ratio(c.m('usPerNext'), base[expr].m('usPerNext'))})${short}`;
    });
    const all = median(medians);
    const of = medians.length < EXPRESSIONS.length ? ` (${medians.length} of ${EXPRESSIONS.length})` : '';
    return [label(lib), ...cells, medians.length ? `${num(all)}${of}` : '–'];
  });
  const agreement = libs.filter((lib) => lib !== 'timetable' && speed.find((row) => row[0] === label(lib))[2] !== '').map((lib) => [
    label(lib),
    ...EXPRESSIONS.map((expr) => compare(cell(results, 'w2', lib, expr), base[expr])),
  ]);
  return [
    'µs per next (median over the runs; in each run, the median of 3 to 15 timed passes over the 2,000 successive fire times after a warm-up), and the ratio to timetable:\n',
    table(['library', ...EXPRESSIONS.map((e) => `\`${e}\``), 'median over the expressions'], ['l', ...EXPRESSIONS.map(() => 'r'), 'r'], speed),
    '',
    notes.map((text, k) => `[${k + 1}] ${text}`).join('  \n'),
    '',
    'The same fire times as timetable? (first run of each; timetable follows the DST rule of SPEC §3.3: a fixed time inside a spring-forward gap fires at the first instant after the gap)\n',
    table(['library', ...EXPRESSIONS.map((e) => `\`${e}\``)], ['l', ...EXPRESSIONS.map(() => 'l')], agreement),
    '',
    '',
  ].join('\n');
}

/** Where a peer's fire times first differ from timetable's. */
function compare(theirs, ours) {
  if (theirs.status) return theirs.runs.length === 0 ? '–' : 'n/a';
  if (ours.status) return '–';
  const a = theirs.ok[0].times;
  const b = ours.ok[0].times;
  const shared = Math.min(a.length, b.length);
  for (let k = 0; k < shared; k++) {
    if (a[k] !== b[k]) return `differs from #${k + 1}: ${iso(a[k])} (timetable ${iso(b[k])})`;
  }
  if (a.length === b.length) return `same (${int(a.length)})`;
  return `same first ${int(shared)}; ${a.length < b.length ? 'it stops' : 'timetable stops'} there`;
}
const iso = (ms) => new Date(ms).toISOString().replace(':00.000Z', 'Z');

function w3Section(results, meta, workload) {
  const keys = [...new Set(results.filter((r) => r.workload === workload).map((r) => r.key))];
  const sizes = [...new Set(keys.map((k) => k.split(' ')[0]))];
  const out = [];
  for (const size of sizes) {
    const rows = [];
    for (const kind of ['cron', 'interval']) {
      const key = workload === 'w4' ? size : `${size} ${kind}`;
      if (!keys.includes(key)) continue;
      const base = cell(results, workload, 'timetable', key);
      for (const lib of libsIn(results, workload)) {
        const c = cell(results, workload, lib, key);
        const what = workload === 'w4' ? [] : [kind === 'cron' ? '`* * * * * *`' : '1 s interval'];
        if (c.runs.length === 0) continue;
        if (c.status) {
          if (c.status.startsWith('n/a') && kind === 'interval' && workload === 'w3') continue;
          rows.push([label(lib), ...what, c.status, '', '', '', '', '', ...(workload === 'w4' ? [] : ['', '']), String(c.runs.length)]);
          continue;
        }
        const expected = c.ok[0].expected;
        const cpu = workload === 'w4' ? [] : [num(c.m('cpuUsPerFire')), ratio(c.m('cpuUsPerFire'), base.m('cpuUsPerFire'))];
        const period = workload === 'w4' ? 100 : 1000;
        const doubt = c.ok.some((r) => !r.slotsReported && (r.delivered < r.expected || r.latenessMax > period / 2));
        const counted = (field) => `${int(c.m(field))}${doubt && c.m(field) > 0 ? DOUBT : ''}`;
        const stale = c.m('staleFires') >= expected / 100 && c.m('delivered') < expected
          ? `; its ${int(c.m('staleFires'))} fires in the window were for earlier due times, a median ${num(c.m('staleLatenessP50') / 1000)} s late`
          : '';
        rows.push([
          label(lib) + c.note, ...what, `${int(c.m('delivered'))} / ${int(expected)} (${num((100 * c.m('delivered')) / expected)}%)${stale}`,
          counted('duplicates'), counted('early'), num(c.m('latenessP50')), num(c.m('latenessP99')), num(c.m('latenessMax')), ...cpu,
          String(c.runs.length),
        ]);
      }
      if (workload === 'w4') break;
    }
    const header = ['library', ...(workload === 'w4' ? [] : ['schedule']), 'fires delivered / expected', 'duplicate', 'early', 'lateness p50 (ms)', 'p99 (ms)', 'max (ms)', ...(workload === 'w4' ? [] : ['CPU µs per fire', '× timetable']), 'runs'];
    if (workload === 'w3') out.push(`### ${int(Number(size))} jobs\n`);
    out.push(table(header, header.map((h, k) => (k < (workload === 'w4' ? 1 : 2) ? 'l' : 'r')), rows));
    out.push('');
  }
  if (out.some((text) => text.includes(DOUBT))) out.push(DOUBT_NOTE);
  return `${out.join('\n')}\n`;
}

function targets(results, EXPRESSIONS) {
  const rows = [];
  const add = (target, value, met) => rows.push([target, value, met === null ? '–' : met ? 'met' : '**not met**']);
  const w1 = cell(results, 'w1', 'timetable', '100000');
  if (!w1.status) {
    add('W1 100k: ≤ 10 µs per add', `${num(w1.m('usPerAdd'))} µs`, w1.m('usPerAdd') <= 10);
    add('W1 100k: ≤ 1,000 heap bytes per job', `${int(w1.m('heapPerJob'))} B`, w1.m('heapPerJob') <= 1000);
    const all = w1.ok.every((r) => r.fired === 100000 && r.duplicates === 0 && r.early === 0);
    add('W1 100k: every job fires in its round', all ? 'yes' : `${int(w1.m('fired'))} of 100,000`, all);
  }
  const w2 = EXPRESSIONS.map((e) => cell(results, 'w2', 'timetable', e)).filter((c) => !c.status);
  if (w2.length === EXPRESSIONS.length) {
    const m = median(w2.map((c) => c.m('usPerNext')));
    add('W2: median ≤ 3 µs per next', `${num(m)} µs`, m <= 3);
  }
  for (const kind of ['cron', 'interval']) {
    const c = cell(results, 'w3', 'timetable', `10000 ${kind}`);
    if (c.status) continue;
    const expected = c.ok[0].expected;
    add(`W3 10k ${kind}: 100% of fires`, `${num((100 * c.m('delivered')) / expected)}%`, c.ok.every((r) => r.delivered === r.expected));
    add(`W3 10k ${kind}: 0 duplicate or early`, `${int(c.m('duplicates'))} duplicate, ${int(c.m('early'))} early`, c.ok.every((r) => r.duplicates === 0 && r.early === 0));
    add(`W3 10k ${kind}: p99 lateness ≤ 20 ms`, `${num(c.m('latenessP99'))} ms`, c.m('latenessP99') <= 20);
    add(`W3 10k ${kind}: ≤ 10 µs CPU per fire`, `${num(c.m('cpuUsPerFire'))} µs`, c.m('cpuUsPerFire') <= 10);
  }
  const w4 = cell(results, 'w4', 'timetable', '1');
  if (!w4.status) add('W4: p99 lateness ≤ 2 ms', `${num(w4.m('latenessP99'))} ms`, w4.m('latenessP99') <= 2);
  if (!rows.length) return '(no timetable results)';
  const missed = rows.filter((row) => row[2] !== 'met').map((row) => row[0]);
  const notes = GAP_NOTES.filter(([pattern]) => missed.some((target) => pattern.test(target))).map(([, note]) => note);
  return [table(['target', 'measured', ''], ['l', 'r', 'l'], rows), ...notes].join('\n\n');
}

/** Why a target is not met and what reaching it would take, shown under the table when it is not. */
const GAP_NOTES = [
  [/^W3 .*p99/, `**W3 lateness.** 10,000 jobs due in the same second are taken from the store, planned
(next fire time, misfire and coalescing rules) and handed to the executor one after another, so the
last of them starts after the work for all the others: p99 lateness is about 10,000 × the
critical path per run. Handing jobs back to the store now happens after every run of the pass is
submitted, so that half of the work is off the critical path; what remains (a heap pop, the plan, an
executor submission with its promise, the task call and the garbage they leave) costs 4-7 µs per
run on this machine, against the floor's under 1 µs that does none of it. Reaching 20 ms needs
about 2 µs on the critical path: the runs of a slot would have to be prepared before it is due
(acquire and plan a short window ahead, then only call the tasks at the due instant), which changes
when a pause or a removal can still stop a run and is not done yet.`],
  [/^W3 .*CPU/, `**W3 CPU per fire.** Each run pays for the store's lease and release, the plan, an executor
submission, a job event payload only when someone listens, and their garbage (about a fifth of
the time is the garbage collector).`],
  [/^W4/, `**W4.** With one job the scheduler adds little to Node's own timer: lateness is Node's timer
granularity (a timer fires in the millisecond after its due time) plus the loop's pass, and the p99
of 100 fires is its second-worst fire, so a single pause of the shared machine decides it.`],
  [/^W1 .*add/, `**W1 adds.** An add validates its options, resolves the trigger (shared between equal specs),
computes the first run time, writes the record and emits \`job:added\`; about half of it is the
garbage collector working through the 100,000 records that stay alive.`],
];

export function renderReport(meta, results, options) {
  const gib = (meta.memoryBytes / 2 ** 30).toFixed(1);
  const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
  const has = (w) => results.some((r) => r.workload === w);
  const p = meta.plan;
  return `# Performance

Generated by \`npm run bench\` (\`bench/run.mjs\`) on ${meta.date.slice(0, 10)}; do not edit by hand. The suite took
${(meta.totalSeconds / 60).toFixed(1)} minutes.${options.partial ? ' **This is a partial run** (a subset of workloads, libraries or repeats).' : ''}

## Machine

- CPU: ${meta.cpu}, ${meta.cores} cores; memory ${gib} GiB; ${meta.os}; Node ${meta.node}
- Load average (1 / 5 / 15 min) before the suite: ${load(meta.loadBefore)}; after: ${load(meta.loadAfter)}
- **The machine is shared** (a cloud VM, other work may run beside the suite): timings vary from run to run
  by 10-30% and single outliers happen. Read ratios, not absolute numbers, and rerun before concluding.

## Libraries

${table(['library', 'version'], ['l', 'l'], Object.entries(meta.versions).map(([lib, v]) => [lib, v]))}

The two floors are not libraries: minimal schedulers written for this suite (\`bench/adapters/floor-*.mjs\`)
that do no cron parsing (only every-k-seconds grids) and no bookkeeping, to show what the timers
themselves cost. timetable is imported from the repo's built output \`dist/index.js\`, as shipped.

## How it was measured

- Each (workload, library, size, repeat) runs in a fresh \`node --expose-gc --max-old-space-size=4096\`
  child process with a time limit (W1 ${p.w1.limitMs[10000] / 1000} s at 10k and ${p.w1.limitMs[100000] / 1000} s at 100k jobs,
  W2 ${p.w2.limitMs / 1000} s, W3 ${p.w3.limitMs / 1000} s, W4 ${p.w4.limitMs / 1000} s); a child that runs out of memory or time is
  recorded as such. Repeats run round-robin over the libraries. Each number is the median over the runs.
- Runs per cell (the "runs" columns): ${meta.repeatOverride ? `${meta.repeatOverride} each (--repeat)` : `timetable's cells run ${p.w1.repeats} times in W1 (10k and 100k),
  ${p.w2.repeats} in W2 and ${p.w4.repeats} in W4, and once in W3 (its runs last 10 s each); the peers' and floors' cells run once,
  as they differ from timetable by far more than the run-to-run noise and the suite has to stay near 10 minutes`}.
  A run that fails (out of memory, time limit) is not repeated.
- Every job calls the same \`onFire(i)\` through a closure of its own; the callback records the job,
  \`Date.now()\` and a sub-millisecond wall time into preallocated typed arrays.
- **Slots.** Each fire is for a due time: the one the library passes to the job where it does
  (timetable's \`context.scheduledRunTime\`, node-schedule's \`fireDate\`, node-cron's \`context.date\`,
  the floors), else inferred from the fire time for croner, cron and toad-scheduler, which do not
  tell: a fire up to 20 ms (10 ms in W4) before a due time is for it, a later one is a late fire for
  the due time before, so for these three a lateness beyond 980 ms (90 ms in W4) cannot be told from
  the next due time. A fire before its due time is *early*; a second fire for the same job and due
  time is a *duplicate*. Lateness is the fire's wall-clock time minus its due time.
- **Intervals** are anchored on a whole second: timetable gets it as \`startDate\`, the floors as their
  grid; toad-scheduler has no start option, so its jobs are added one interval before the anchor
  (its interval counts from the add).
- Cron jobs use the zone America/New_York (timetable: a scheduler with that zone and crontab strings).
- Libraries run with their defaults, except node-cron's \`suppressMissedWarning: true\`: by default it
  prints a console warning for every missed run, which at 10k jobs makes W3 a benchmark of console output.

${has('w1') ? `## W1 scale: adding jobs with cron \`*/5 * * * * *\`

µs per add over the whole add loop (timetable: \`await addJob\` on a started scheduler). Heap, RSS:
\`process.memoryUsage()\` after 2 full GCs, after the adds minus before them, per job (the per-job
callback closure is included for every library). "Fired in the round": every job fired exactly once,
not early, for the first \`*/5\` slot at least 500 ms after the adds returned; "delivered in" is when
its last fire came, after the slot. Then the library is shut down and the child returns without
\`process.exit\`: "exits by itself" is the time until the process ended (killed after 5 s if not).

${w1Section(results, meta)}` : ''}${has('w2') ? `## W2 cron next(): 2,000 successive fire times in America/New_York from 2024-01-01T00:00Z

APIs: timetable \`CronTrigger.fromCrontab(expr, { timezone }).getNextFireTime(previous, from)\`; croner
\`new Cron(expr, { timezone, paused: true }).nextRun(previous)\`; cron \`new CronTime(expr, zone).getNextDateFrom(previous, zone)\`;
node-cron: its public \`getNextRuns(count)\` only counts from now, so the suite calls the matcher it loops over
(\`task.timeMatcher.getNextMatch(previous)\`, not in its typings); node-schedule: \`RecurrenceRule#nextInvocationDate(previous)\`
with the rule built from the fields (its cron strings go through its own cron-parser 4 instead);
toad-scheduler has no next-run API; the floors do no cron. The first pass stops early where the library
returns null, throws, stops increasing or needs over 2 s, and a library that needed over 1.5 s for it
is timed over its first fire times, about 0.5 s of them (footnotes). timetable's years end at 9999, so \`0 0 0 29 2 *\` has
1,934 fire times.

${w2Section(results, meta)}` : ''}${has('w3') ? `## W3 dispatch: every job fires every second for 10 s

Each job fires every second (cron \`* * * * * *\`, or a 1 s interval on whole seconds); the window is
the 10 due seconds starting at the first one at least 500 ms after the adds returned. CPU per fire:
\`process.cpuUsage()\` (user + system) over the window (read 300 ms before the first and the last due
second) divided by the fires in it; it includes the suite's recording (~0.1 µs). Libraries without
interval jobs only appear in the cron rows.

${w3Section(results, meta, 'w3')}` : ''}${has('w4') ? `## W4 precision: one job every 100 ms for 10 s

An interval of 100 ms anchored on a whole second (libraries without intervals: n/a).

${w3Section(results, meta, 'w4')}` : ''}## timetable's targets

${targets(results, meta.expressions)}

## Running it

\`npm run bench\` at the repo root runs this suite, which rewrites this file, then \`bench/cron-next.ts\`
(timetable's cron search beside cron-parser, printed to the terminal; about 1 more minute). It builds \`dist/\` first when it is missing or older than
\`src/\`, and installs the peers (\`bench/package.json\`, kept apart from the library's own dependencies)
when \`bench/node_modules\` is missing. A subset, printed instead of written here:
\`node bench/run.mjs --workload w2 --lib timetable,croner --repeat 1\`. Raw results: \`bench/.results/latest.json\`.
`;
}
