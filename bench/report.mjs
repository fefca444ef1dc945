/**
 * Renders the suite's results as docs/performance.md: the machine, the versions, one table per
 * workload (timetable first, then the peers, then the floors, with ratios to timetable) and
 * timetable's targets. Numbers are medians over the runs of each cell.
 */
const ORDER = ['timetable', 'timetable-spec', 'timetable-instance', 'croner', 'node-cron', 'cron', 'node-schedule', 'toad-scheduler', 'floor-timeouts', 'floor-sorted', 'floor-store'];
/** timetable's three public paths (see adapters/timetable.mjs); the peers and floors. */
const PATHS = { timetable: 'crontab string', 'timetable-spec': 'JSON spec', 'timetable-instance': 'trigger instance' };
const PEER_LIBS = ['croner', 'node-cron', 'cron', 'node-schedule', 'toad-scheduler'];
/** The bare-timer floors, the targets' measure; `floor-store` (timetable's store and trigger) is shown beside them in W3. */
const FLOOR_LIBS = ['floor-timeouts', 'floor-sorted'];
const STORE_FLOOR = 'floor-store';
const LABELS = { 'timetable-spec': 'timetable (JSON spec)', 'timetable-instance': 'timetable (trigger instance)', 'floor-timeouts': 'floor: setTimeout per job', 'floor-sorted': 'floor: one timer, sorted array', 'floor-store': 'floor: timetable store and trigger, no scheduler' };
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
  // Runs that measured warm-up seconds apart (W3) show them in two more columns.
  const warm = results.some((r) => r.workload === workload && typeof r.warmupSeconds === 'number');
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
          rows.push([label(lib), ...what, c.status, '', '', '', '', '', ...(workload === 'w4' ? [] : ['', '']), ...(warm ? ['', ''] : []), String(c.runs.length)]);
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
          ...(warm ? [num(c.m('warmupLatenessP99')), num(c.m('warmupCpuUsPerFire'))] : []),
          String(c.runs.length),
        ]);
      }
      if (workload === 'w4') break;
    }
    const header = ['library', ...(workload === 'w4' ? [] : ['schedule']), 'fires delivered / expected', 'duplicate', 'early', 'lateness p50 (ms)', 'p99 (ms)', 'max (ms)', ...(workload === 'w4' ? [] : ['CPU µs per fire', '× timetable']), ...(warm ? ['warm-up p99 (ms)', 'warm-up CPU µs'] : []), 'runs'];
    if (workload === 'w3') out.push(`### ${int(Number(size))} jobs\n`);
    out.push(table(header, header.map((h, k) => (k < (workload === 'w4' ? 1 : 2) ? 'l' : 'r')), rows));
    out.push('');
  }
  if (out.some((text) => text.includes(DOUBT))) out.push(DOUBT_NOTE);
  return `${out.join('\n')}\n`;
}

const STORE_ORDER = ['memory', 'sqlite', 'postgres', 'mysql'];
const STORE_LABELS = { memory: 'memory', sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MySQL' };
/** Work of other clients of the server during a window above which its whole-server CPU is not ours. */
const BUSY_OTHERS = 200;
const pct = (part, whole) => `${num((100 * part) / whole)}%`;
const seconds = (ms) => (ms === null || ms === undefined ? '–' : `${num(ms / 1000)} s`);

/** The server a store ran on, from the results (`PostgreSQL 15.2`), or the store's name. */
function storeLabel(results, store) {
  const server = results.find((r) => r.store === store && r.server)?.server;
  if (!server) return STORE_LABELS[store];
  return server.startsWith(STORE_LABELS[store]) ? server : `${STORE_LABELS[store]} (${server})`;
}

function w5Section(results) {
  const keys = [...new Set(results.filter((r) => r.workload === 'w5').map((r) => r.key))];
  const sizes = [...new Set(keys.map((k) => k.split(' ')[1]))];
  const out = [];
  const notes = [];
  for (const size of sizes) {
    const base = cell(results, 'w5', 'timetable', `memory ${size}`);
    const rows = [];
    for (const store of STORE_ORDER) {
      const c = cell(results, 'w5', 'timetable', `${store} ${size}`);
      if (c.runs.length === 0) continue;
      if (c.status) {
        rows.push([STORE_LABELS[store], c.status, '', '', '', '', '', '', '', '', '', String(c.runs.length)]);
        continue;
      }
      const expected = c.ok[0].expected;
      const first = c.ok[0];
      let db = '–';
      if (first.dbCpuUsPerFire !== null && first.dbCpuUsPerFire !== undefined) {
        const busy = c.ok.some((r) => r.othersWork > BUSY_OTHERS);
        if (busy && !notes.some((n) => n.store === store)) {
          notes.push({ store, text: `${STORE_LABELS[store]}: other clients used the server during the window (${int(c.m('othersWork'))} ${first.othersWorkUnit}), so its whole-server CPU is not only this run's` });
        }
        db = `${num(c.m('dbCpuUsPerFire'))} (${num(c.m('dbAllCpuUsPerFire'))}${busy ? ' (?)' : ''})`;
      } else if (store === 'sqlite') db = 'in the node';
      const stale = c.m('delivered') < expected && c.m('staleFires') > 0 ? `; ${int(c.m('staleFires'))} fires in the window were for earlier seconds` : '';
      rows.push([
        storeLabel(results, store) + c.note,
        `${int(c.m('delivered'))} / ${int(expected)} (${pct(c.m('delivered'), expected)})${stale}`,
        int(c.m('duplicates')), int(c.m('early')),
        num(c.m('latenessP50')), num(c.m('latenessP99')), ratio(c.m('latenessP99'), base.m('latenessP99')), num(c.m('latenessMax')),
        num(c.m('cpuUsPerFire')), ratio(c.m('cpuUsPerFire'), base.m('cpuUsPerFire')),
        db,
        c.m('statementsPerFire') === null ? '–' : num(c.m('statementsPerFire')),
        String(c.runs.length),
      ]);
    }
    out.push(`### ${int(Number(size))} jobs\n`);
    out.push(table(
      ['store', 'fires delivered / expected', 'duplicate', 'early', 'lateness p50 (ms)', 'p99 (ms)', '× memory', 'max (ms)', 'node CPU µs per fire', '× memory', 'DB server CPU µs per fire: its connections (whole server)', 'statements per fire', 'runs'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'], rows,
    ));
    out.push('');
  }
  if (notes.length) out.push(`(?) ${notes.map((n) => n.text).join('; ')}.\n`);
  return `${out.join('\n')}\n`;
}

/** Kills whose held jobs were taken over without another kill in the way. */
const cleanKills = (kills) => kills.filter((k) => k.takeoverMs !== null && !k.chained && !k.interruptedBy);

/** The worst takeover of the clean kills, then of the others. */
function takeoverCell(kills, lease) {
  const clean = cleanKills(kills);
  const others = kills.filter((k) => k.takeoverMs !== null && !clean.includes(k));
  const worst = clean.length ? Math.max(...clean.map((k) => k.takeoverMs)) : null;
  const text = worst === null ? '–' : `${num(worst / 1000)}${worst > lease + 1000 ? ' (over)' : ''}`;
  return others.length ? `${text}; chained: ${others.map((k) => num(k.takeoverMs / 1000)).join(', ')}` : text;
}

function w6Section(results) {
  const stores = STORE_ORDER.filter((store) => results.some((r) => r.workload === 'w6' && r.key === store));
  const rows = [];
  const details = [];
  for (const store of stores) {
    const c = cell(results, 'w6', 'timetable', store);
    if (c.status) {
      rows.push([STORE_LABELS[store], c.status, '', '', '', '', '', '', '', '']);
      continue;
    }
    const r = c.ok[0]; // one run per store: the counts of a kill run are not medians
    const lease = 10_000;
    rows.push([
      storeLabel(results, store),
      `${int(r.once)} (${pct(r.once, r.slots)})`,
      int(r.twice),
      r.lost ? `**${int(r.lost)}**` : '0',
      int(r.abandoned),
      int(r.skipped),
      `${num(r.latenessP50)} / ${num(r.latenessP99)}`,
      takeoverCell(r.kills, lease),
      `${int(r.abandonedReports)}`,
      String(r.storeErrors),
    ]);
    details.push(`**${storeLabel(results, store)}**\n`);
    details.push(table(
      ['kill', 'at (s after T0)', 'how', 'node', 'leases it held', 'runs it had in flight', 'chained', 'worst lateness of its held slots (s)', 'of their first slots (s)', 'held slots not started'],
      ['r', 'r', 'l', 'l', 'r', 'r', 'l', 'r', 'r', 'r'],
      r.kills.map((k, i) => [
        String(i + 1), num(k.atS), k.mode, k.node, int(k.leasesHeld), int(k.runsInFlight),
        k.chained ? 'yes' : 'no',
        k.takeoverMs === null ? '–' : `${num(k.takeoverMs / 1000)}${k.interruptedBy ? ` (kill ${k.interruptedBy} hit their takeover)` : ''}`,
        k.firstSlotMs === null || k.firstSlotMs === undefined ? '–' : num(k.firstSlotMs / 1000),
        int(k.heldSlotsNotStarted),
      ]),
    ));
    const examples = r.lostExamples?.length ? ` Lost, for example: ${r.lostExamples.join(', ')}.` : '';
    const errors = r.storeErrors ? ` Store errors reported by the nodes: ${r.storeErrors} (${r.storeErrorExamples.map((e) => `"${e.slice(0, 200)}"`).join('; ')}).` : '';
    const inFlight = r.kills.reduce((sum, k) => sum + k.runsInFlight, 0);
    const falseReports = r.abandonedReports > inFlight
      ? ` ${int(r.abandonedReports)} job:abandoned reports against ${int(inFlight)} runs in flight at the kills: the others are runs that ended but whose \`finishRuns\` failed (the store errors), so they stayed recorded until their leases expired and were then reported as abandoned, after counting for \`maxInstances\` meanwhile.`
      : '';
    details.push(`\nNew nodes were ready ${r.restartMs.map((x) => (typeof x === 'number' ? `${int(x)} ms` : x)).join(', ')} after their start; runs per node: ${Object.entries(r.runsByNode).map(([node, n]) => `${node} ${int(n)}`).join(', ')}.${examples}${errors}${falseReports}\n`);
  }
  return [
    table(
      ['store', 'slots started once', 'twice or more', 'lost (never started, never reported)', 'not started, reported abandoned', 'not started, reported skipped (max-instances)', 'lateness p50 / p99 outside the kill windows (ms)', 'takeover (s): worst lateness of a killed node\'s slots; "chained": where a kill hit the takeover', 'job:abandoned reports', 'store:error'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'], rows,
    ),
    '',
    'Each kill:\n',
    ...details,
    '',
  ].join('\n');
}

function w7Section(results) {
  const rows = [];
  for (const lib of ['timetable', 'pg-boss']) {
    const c = cell(results, 'w7', lib, 'minute');
    if (c.runs.length === 0) continue;
    if (c.status) {
      rows.push([lib, c.status, '', '', '', '', '', '', '', '', '']);
      continue;
    }
    const r = c.ok[0];
    rows.push([
      lib === 'pg-boss' ? `pg-boss ${r.version}` : 'timetable',
      r.minutes.map((m) => int(m.delivered)).join(' / '),
      r.minutes.map((m) => int(m.firedDuring)).join(' / '),
      `${int(r.duplicates)}${r.early ? `, ${int(r.early)} early` : ''}`,
      seconds(r.latenessP50), seconds(r.latenessP99), seconds(r.latenessMax),
      `${int(r.within1s)} of ${int(r.expected)} (${pct(r.within1s, r.expected)})`,
      num(r.cpuSecondsPerMinute), num(r.dbCpuSecondsPerMinute), int(r.statementsPerMinute),
    ]);
  }
  const boss = cell(results, 'w7', 'pg-boss', 'minute');
  const behind = !boss.status && boss.ok[0].delivered < boss.ok[0].expected
    ? `\npg-boss falls behind: with its defaults, its internal send-it worker turns at most 50 due schedules into jobs per
poll, every 5 s (\`cronWorkerIntervalSeconds\`, batch size 50 in \`timekeeper.js\`): 600 a minute, fewer when the
machine is busy, against 1,000 due every minute here. Its backlog grows every minute, so a minute's jobs come later
and later (the ones created in a later minute are still counted for their own minute). Its cron monitor alone,
every 30 s, puts a fire up to 30 s after its minute. Its CPU and statements are those of 1,000 workers polling
every 2 s, whether anything is due or not.
`
    : '';
  return `${table(
    ['library', 'fires for each minute by the end (1st / 2nd / 3rd, of 1,000)', 'fires during each minute', 'duplicate', 'lateness p50', 'p99', 'max', 'fires within 1 s of their minute', 'node CPU s per minute', 'DB server CPU s per minute (its connections)', 'statements per minute'],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'], rows,
  )}\n${behind}\n`;
}

/** W8 precision modes: what ran the 200 ms CPU runs. */
const W8_MODES = [
  ['worker', 'WorkerExecutor, 2 threads (default `niceness` 10: below the main thread)'],
  ['worker-same-priority', 'WorkerExecutor, 2 threads with `niceness: 0` (the main thread\'s priority)'],
  ['promise', 'promise executor (in-process, default)'],
];

/** `x` against an upper limit, as a multiple of it: ` (0.84× the target)`. */
const against = (x, limit) => (typeof x !== 'number' ? '' : ` (${ratio(x, limit)} the target)`);

function w8Section(results, meta) {
  const tt = (key) => cell(results, 'w8', 'timetable', key);
  const runsOf = (c) => String(c.runs.length);
  const rows = [];
  const add = (part, target, measured, peer, r, met, c) =>
    rows.push([part, target, measured, peer, r, met === null ? '–' : met ? 'met' : '**not met**', c ? runsOf(c) : '']);
  const notes = [];

  // Part 1.
  const prec = Object.fromEntries(W8_MODES.map(([mode]) => [mode, tt(`precision ${mode}`)]));
  const worker = prec.worker;
  if (worker.runs.length) {
    if (worker.status) add('1 precision', 'p99 lateness of the 100 ms job ≤ 5 ms, CPU runs on 2 worker threads', worker.status, '', '', false, worker);
    else {
      const p99 = worker.m('latenessP99');
      const perRun = worker.ok.map((r) => num(r.latenessP99)).join(', ');
      add('1 precision', 'p99 lateness of the 100 ms job ≤ 5 ms while 8 × 200 ms CPU runs go on in 2 worker threads',
        `${num(p99)} ms${against(p99, 5)}; runs: ${perRun} ms`, '–', '–', p99 <= 5, worker);
    }
  }
  // Part 2.
  const ovh = tt('overhead');
  const bree = cell(results, 'w8', 'bree', 'overhead');
  const breeUs = bree.status ? null : bree.m('us');
  if (ovh.runs.length) {
    if (ovh.status) add('2 overhead', '≤ 100 µs per trivial run', ovh.status, '', '', false, ovh);
    else {
      const direct = ovh.m('directUs');
      const viaScheduler = ovh.m('schedulerUs');
      add('2 overhead', '≤ 100 µs per trivial run, one at a time, `executor.submit`', `${num(direct)} µs${against(direct, 100)}`, '–', '–', direct <= 100, ovh);
      add('2 overhead', '≤ 100 µs per trivial run, one at a time, through the scheduler', `${num(viaScheduler)} µs${against(viaScheduler, 100)}`, '–', '–', viaScheduler <= 100, ovh);
      add('2 overhead', 'the same, 2,000 runs at once (2 threads): µs per run', `${num(ovh.m('directParallelUs'))} µs (\`submit\`), ${num(ovh.m('schedulerParallelUs'))} µs (scheduler)`, '–', '–', null, ovh);
      if (breeUs !== null) {
        const times = breeUs / viaScheduler;
        add('2 overhead', '≥ 100× lower per-run overhead than bree (one at a time, through the scheduler)',
          `${num(viaScheduler)} µs`, `${int(breeUs)} µs`, `${ratio(breeUs, viaScheduler)} lower${times < 100 ? ` (${ratio(times, 100)} the target)` : ''}`, times >= 100, bree);
      }
    }
  }
  if (bree.runs.length && bree.status) add('2 overhead', 'bree', '', bree.status, '', null, bree);
  // Part 3.
  const one = tt('throughput 1');
  const two = tt('throughput 2');
  if (one.runs.length || two.runs.length) {
    if (one.status || two.status) add('3 throughput', '2 threads ≥ 1.8× the runs/s of 1', one.status ?? two.status, '', '', false, one.status ? one : two);
    else {
      const r = two.m('runsPerSecond') / one.m('runsPerSecond');
      const perRun = two.ok.length === one.ok.length ? ` (runs: ${two.ok.map((run, k) => `${(run.runsPerSecond / one.ok[k].runsPerSecond).toFixed(2)}×`).join(', ')})` : '';
      add('3 throughput', '2 worker threads ≥ 1.8× the runs/s of 1 (1,000 CPU-bound runs of ~2 ms, due at one instant)',
        `1 thread: ${int(one.m('runsPerSecond'))} runs/s (${num(one.m('totalMs') / 1000)} s); 2 threads: ${int(two.m('runsPerSecond'))} runs/s (${num(two.m('totalMs') / 1000)} s)`,
        '–', `${r.toFixed(2)}×${perRun}`, r >= 1.8, two);
    }
  }

  // Details.
  const precRows = W8_MODES.map(([mode, what]) => {
    const c = prec[mode];
    if (c.runs.length === 0) return null;
    if (c.status) return [what, c.status, '', '', '', '', runsOf(c)];
    const first = c.ok[0];
    return [
      what,
      `${int(c.m('delivered'))} / ${int(first.expected)}${c.m('duplicates') ? `, ${int(c.m('duplicates'))} duplicate` : ''}`,
      `${num(c.m('latenessP50'))} / ${num(c.m('latenessP99'))} / ${num(c.m('latenessMax'))}`,
      `${num(c.m('slotWaitP50'))} / ${num(c.m('slotWaitP99'))} / ${num(c.m('slotWaitMax'))}`,
      `${int(c.m('cpuRuns'))}`,
      c.m('errors') ? int(c.m('errors')) : '0',
      runsOf(c),
    ];
  }).filter((row) => row !== null);
  const ovhRows = [];
  if (ovh.ok.length) {
    const form = (label, seq, par) => ovhRows.push([label, num(ovh.m(`${seq}Us`)), num(ovh.m(`${seq}CpuUs`)), par ? num(ovh.m(`${par}Us`)) : '–', runsOf(ovh)]);
    form('floor: a plain `Worker` echoing each message (one round trip)', 'floor', null);
    form('WorkerExecutor (2 threads), `executor.submit`', 'direct', 'directParallel');
    form('WorkerExecutor (2 threads), through the scheduler', 'scheduler', 'schedulerParallel');
    form('promise executor (in-process), through the scheduler', 'promiseScheduler', 'promiseSchedulerParallel');
  }
  if (bree.ok.length) {
    const b = bree.ok[0];
    ovhRows.push([`bree ${b.version}: a new worker per run (job posts \`'done'\`: ${int(median(bree.ok.map((x) => x.done.meanUs)))} µs; empty job: ${int(median(bree.ok.map((x) => x.exit.meanUs)))} µs)`, int(breeUs), '–', '–', runsOf(bree)]);
  }
  const thrRows = [one, two].filter((c) => c.ok.length).map((c) => {
    const w = c.ok[0].workers;
    return [String(w), num(c.m('totalMs') / 1000), int(c.m('runsPerSecond')), num(c.m('msPerRun')), `${int(100 * c.m('threadBusy'))}%`, num(c.m('cpuSeconds')), w === 1 ? '' : ratio(c.m('runsPerSecond'), one.ok.length ? one.m('runsPerSecond') : null), runsOf(c)];
  });

  // Why a target is missed (from this run's own numbers).
  if (worker.ok.length && worker.m('latenessP99') > 5) {
    notes.push(`**Precision.** With as many busy worker threads as cores (2 threads of 200 ms busy loops on ${meta.cores} cores), the main thread's timer finds both cores taken when it is due, and the kernel does not always preempt a busy thread for it at once, even one at a lower priority: the run waits for a time slice to end. The executor's own work on the main thread (a message per run) is not the cause. Fewer threads than cores keeps a core for the main thread.`);
  }
  if (ovh.ok.length && (ovh.m('directUs') > 100 || ovh.m('schedulerUs') > 100)) {
    const rounds = ovh.ok.flatMap((r) => r.floorRounds);
    notes.push(`**Overhead.** A run one at a time is a round trip between two threads (post, wake the other thread, answer, wake back); the floor, a plain \`Worker\` echoing each message, took ${num(ovh.m('floorUs'))} µs per round trip (medians), its rounds from ${num(Math.min(...rounds))} to ${num(Math.max(...rounds))} µs: on this VM a wake-up across cores costs far more at some times than at others, and the executor's rounds vary with it. The scheduler adds about ${num(ovh.m('promiseSchedulerUs'))} µs (its in-process row).`);
  }
  if (one.ok.length && two.ok.length && two.m('runsPerSecond') / one.m('runsPerSecond') < 1.8) {
    notes.push(`**Throughput.** With 2 threads each run took ${num(two.m('msPerRun'))} ms in its thread against ${num(one.m('msPerRun'))} ms with 1: the same work, so the two threads did not get two whole cores (the main thread and any other load share them).`);
  }

  return [
    table(['part', 'target', 'timetable (median of runs)', 'bree', 'ratio', '', 'runs'], ['l', 'l', 'r', 'r', 'r', 'l', 'r'], rows),
    '',
    ...notes.map((text) => `${text}\n`),
    '**1. Precision while CPU work runs.** A 100 ms interval job (an in-process no-op on the default promise executor, anchored on a whole second) runs beside 8 jobs that each run a 200 ms busy loop every 200 ms (`maxInstances: 1`, so 8 runs are always running or queued and the slots in between are skipped as `job:max-instances`), these on a `WorkerExecutor({ workers: 2 })` or, as the contrast, in-process; over the 100 due times of a 10 s window (from 1 s after the start) the lateness of the 100 ms job\'s runs is the task\'s start minus its `scheduledRunTime`, and "waited" is how long each due time waited for a run (in-process, most due times are coalesced into a later run).\n',
    table(['CPU runs on', 'runs of the 100 ms job in the window', 'lateness p50 / p99 / max (ms)', 'each due time waited p50 / p99 / max (ms)', 'CPU runs completed in the window', 'job:error', 'runs'], ['l', 'r', 'r', 'r', 'r', 'r', 'r'], precRows),
    '',
    `**2. Per-run overhead.** A trivial task (\`noop\`, returns 1) on a \`WorkerExecutor({ workers: 2 })\`, 2,000 runs one at a time (each awaited before the next), directly through \`executor.submit\` and through the scheduler (\`scheduler.runJob\` of one job, up to its \`job:executed\`), and 2,000 at once; 500 warm-up runs, then 5 rounds of each form round-robin, the median round per child and the median over the children; CPU is \`process.cpuUsage()\` (every thread of the process) per run. bree: the mean over 50 runs, one at a time, from \`bree.run(name)\` to its \`worker deleted\` event, of a job file that posts \`'done'\` and of an empty one; the faster is the peer value.\n`,
    table(['form', 'µs per run, one at a time', 'CPU µs per run', 'µs per run, 2,000 at once', 'runs'], ['l', 'r', 'r', 'r', 'r'], ovhRows),
    '',
    `**3. Throughput of CPU-bound runs.** 1,000 jobs (date triggers) due at the same instant on a \`WorkerExecutor\` with 1 or 2 threads, each running \`crunch(${int(one.ok[0]?.iterations ?? two.ok[0]?.iterations)})\` (xorshift rounds: the same fixed work per run, about 2 ms), every thread warmed up first; the wall time is from the due instant to the last \`job:executed\`; "ms per run" is the run's \`durationMs\` (in its thread, round trip included) and "threads busy" their sum over threads × wall time.\n`,
    table(['threads', 'wall (s)', 'runs/s', 'ms per run', 'threads busy', 'process CPU (s)', '× 1 thread', 'runs'], ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'], thrRows),
    '',
    '',
  ].join('\n');
}

/** W9's rows, in order: [library, store, nodes]. */
const W9_ROWS = [
  ['timetable', 'memory', 1],
  ['timetable', 'redis', 1],
  ['bullmq', 'redis', 1],
  ['timetable', 'redis', 3],
  ['bullmq', 'redis', 3],
];
const w9Key = (store, size, nodes) => `${store} ${size} ${nodes}`;
/** What ran a W9 row. */
function w9Label(lib, store, nodes, c) {
  if (lib === 'bullmq') return `BullMQ ${c.ok[0]?.version ?? ''}, ${nodes === 1 ? '1 worker process' : `${nodes} worker processes`}`.replace(' ,', ',');
  return `timetable, ${store === 'memory' ? 'memory store (baseline)' : '`RedisJobStore`'}, ${nodes === 1 ? '1 node' : `${nodes} node processes`}`;
}

function w9Section(results) {
  const sizes = [...new Set(results.filter((r) => r.workload === 'w9').map((r) => r.key.split(' ')[1]))];
  const out = [];
  const notes = [];
  for (const size of sizes) {
    const rows = [];
    for (const [lib, store, nodes] of W9_ROWS) {
      const c = cell(results, 'w9', lib, w9Key(store, size, nodes));
      if (c.runs.length === 0) continue;
      const what = w9Label(lib, store, nodes, c);
      if (c.status) {
        rows.push([what, c.status, '', '', '', '', '', '', '', '', '', String(c.runs.length)]);
        continue;
      }
      const r = c.ok[0];
      const expected = r.expected;
      const busy = c.ok.some((run) => run.otherClients > 0);
      const doubt = busy ? ' (?)' : '';
      if (busy && !notes.some((text) => text.startsWith('(?)'))) {
        notes.push(`(?) ${int(c.m('otherClients'))} connection(s) open before the run sent commands to the Redis server during its window: its command counts and CPU are not only this run's.`);
      }
      const stale = c.m('delivered') < expected && c.m('staleFires') > 0 ? `; ${int(c.m('staleFires'))} fires in the window were for earlier seconds` : '';
      const spread = nodes > 1 ? ` (${r.deliveredByNode.map((x) => int(x)).join(' / ')} by node)` : '';
      const commands = r.commandsPerFire === null ? '–' : `${num(c.m('commandsPerFire'))} (${num(c.m('scriptsPerFire'))})${doubt}`;
      const top = r.topCommands ? r.topCommands.map(({ command, perFire }) => `${command} ${num(perFire)}`).join(', ') : '–';
      rows.push([
        what + c.note,
        `${int(c.m('delivered'))} / ${int(expected)} (${pct(c.m('delivered'), expected)})${spread}${stale}`,
        int(c.m('duplicates')),
        int(c.m('early')),
        num(c.m('latenessP50')),
        num(c.m('latenessP99')),
        num(c.m('latenessMax')),
        num(c.m('cpuUsPerFire')),
        r.redisCpuUsPerFire === null ? '–' : `${num(c.m('redisCpuUsPerFire'))}${doubt}`,
        commands,
        top,
        String(c.runs.length),
      ]);
      if (r.errors > 0) notes.push(`${what}, ${int(Number(size))} jobs: ${int(r.errors)} errors reported by the nodes (${r.errorExamples.map((e) => `"${e.slice(0, 160)}"`).join('; ')}).`);
      if (r.unaligned > 0) notes.push(`${what}, ${int(Number(size))} jobs: ${int(r.unaligned)} fires were for slots off the whole second (a scheduler upserted after its start date).`);
      if (r.dropped) notes.push(`${what}, ${int(Number(size))} jobs: ${int(r.dropped)} fires were not recorded (the nodes' fire logs were full), so fires may be missing from its count.`);
      if (r.keysLeft) notes.push(`${what}, ${int(Number(size))} jobs: ${int(r.keysLeft)} keys were left in Redis after the run.`);
    }
    out.push(`### ${int(Number(size))} jobs\n`);
    out.push(table(
      ['library, store, processes', 'fires delivered / expected', 'duplicate', 'early', 'lateness p50 (ms)', 'p99 (ms)', 'max (ms)', 'node CPU µs per fire (all nodes)', 'redis-server CPU µs per fire', 'Redis commands per fire (of which script calls)', 'top commands per fire', 'runs'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'r'], rows,
    ));
    out.push('');
  }
  if (notes.length) out.push(`${notes.join('  \n')}\n`);
  return `${out.join('\n')}\n`;
}

/**
 * W9 targets for one size and node count: the Redis store delivers every fire once, and beats
 * BullMQ on p99 lateness and on Redis commands per fire at equal delivery (BullMQ delivering at
 * most as many fires as timetable).
 */
function w9Targets(results, add) {
  const sizes = [...new Set(results.filter((r) => r.workload === 'w9').map((r) => r.key.split(' ')[1]))];
  for (const size of sizes) {
    for (const nodes of [1, 3]) {
      const key = w9Key('redis', size, nodes);
      const c = cell(results, 'w9', 'timetable', key);
      if (c.status) continue;
      const name = `W9 Redis ${int(Number(size))}, ${nodes === 1 ? '1 node' : `${nodes} nodes`}`;
      const expected = c.ok[0].expected;
      add(`${name}: 100% of fires, 0 duplicate, 0 early`, `${pct(c.m('delivered'), expected)}, ${int(c.m('duplicates'))} duplicate, ${int(c.m('early'))} early`,
        c.ok.every((r) => r.delivered === r.expected && r.duplicates === 0 && r.early === 0));
      const boss = cell(results, 'w9', 'bullmq', key);
      if (boss.runs.length === 0) continue;
      if (boss.status) {
        add(`${name}: p99 lateness and Redis commands per fire below BullMQ's`, `${num(c.m('latenessP99'))} ms, ${num(c.m('commandsPerFire'))} commands`, null, `BullMQ: ${boss.status}`);
        continue;
      }
      const bossDelivered = boss.m('delivered');
      // Equal delivery: BullMQ delivered at most what timetable did (a peer that drops fires is not faster).
      const equal = bossDelivered <= c.m('delivered');
      const unequal = equal ? '' : `; **not at equal delivery**: timetable ${pct(c.m('delivered'), expected)}, BullMQ ${pct(bossDelivered, expected)}`;
      const peer = (value, unit) => `${num(value)}${unit} (BullMQ, ${pct(bossDelivered, expected)} delivered)`;
      const p99 = c.m('latenessP99');
      const bossP99 = boss.m('latenessP99');
      add(`${name}: p99 lateness below BullMQ's`, `${num(p99)} ms: ${ratio(p99, bossP99)} BullMQ's${p99 < bossP99 ? ` (${ratio(bossP99, p99)} lower)` : ''}${unequal}`,
        equal && p99 < bossP99, peer(bossP99, ' ms'));
      const commands = c.m('commandsPerFire');
      const bossCommands = boss.m('commandsPerFire');
      add(`${name}: Redis commands per fire below BullMQ's`, `${num(commands)}: ${ratio(commands, bossCommands)} BullMQ's${commands < bossCommands ? ` (${ratio(bossCommands, commands)} fewer)` : ''}${unequal}`,
        equal && commands < bossCommands, peer(bossCommands, ''));
    }
  }
}

/**
 * The lowest median of `field` among `libs` in one cell (with its library), counting only runs
 * that delivered every fire when `complete` is set: a peer that drops fires is not "faster".
 */
function best(results, workload, libs, key, field, complete = false) {
  let found = null;
  for (const lib of libs) {
    const c = cell(results, workload, lib, key);
    if (c.status) continue;
    if (complete && !c.ok.every((r) => r.delivered === r.expected)) continue;
    const value = c.m(field);
    if (typeof value === 'number' && (found === null || value < found.value)) found = { value, lib };
  }
  return found;
}

function targets(results, EXPRESSIONS) {
  const rows = [];
  const shown = (found, unit) => (found === null ? '–' : `${num(found.value)}${unit} (${label(found.lib)})`);
  /** One target: what was measured, the best peer and the floor for the same measure. */
  const add = (target, value, met, peer = null, floor = null) =>
    rows.push([target, value, peer ?? '–', floor ?? '–', met === null ? '–' : met ? 'met' : '**not met**']);
  const paths = Object.keys(PATHS).map((lib) => ({ lib, c: cell(results, 'w1', lib, '100000') })).filter(({ c }) => !c.status);
  const peerAdd = shown(best(results, 'w1', PEER_LIBS, '100000', 'usPerAdd'), ' µs');
  const floorAdd = shown(best(results, 'w1', FLOOR_LIBS, '100000', 'usPerAdd'), ' µs');
  for (const { lib, c } of paths) {
    add(`W1 100k, ${PATHS[lib]}: ≤ 10 µs per add`, `${num(c.m('usPerAdd'))} µs`, c.m('usPerAdd') <= 10, peerAdd, floorAdd);
  }
  if (paths.length > 1) {
    const fastest = Math.min(...paths.map(({ c }) => c.m('usPerAdd')));
    const slowest = paths.reduce((a, b) => (a.c.m('usPerAdd') >= b.c.m('usPerAdd') ? a : b));
    const r = slowest.c.m('usPerAdd') / fastest;
    add('W1 100k: every path within 1.5× of the fastest', `${r.toFixed(2)}× (${PATHS[slowest.lib]})`, r <= 1.5);
  }
  const w1 = cell(results, 'w1', 'timetable', '100000');
  if (!w1.status) {
    add('W1 100k: ≤ 600 heap bytes per job', `${int(w1.m('heapPerJob'))} B`, w1.m('heapPerJob') <= 600,
      shown(best(results, 'w1', PEER_LIBS, '100000', 'heapPerJob'), ' B'), shown(best(results, 'w1', FLOOR_LIBS, '100000', 'heapPerJob'), ' B'));
    const all = w1.ok.every((r) => r.fired === 100000 && r.duplicates === 0 && r.early === 0);
    add('W1 100k: every job fires in its round', all ? 'yes' : `${int(w1.m('fired'))} of 100,000`, all);
  }
  const w2 = EXPRESSIONS.map((e) => ({ e, c: cell(results, 'w2', 'timetable', e) })).filter(({ c }) => !c.status);
  if (w2.length === EXPRESSIONS.length) {
    const m = median(w2.map(({ c }) => c.m('usPerNext')));
    const peers = PEER_LIBS.map((lib) => ({ lib, values: EXPRESSIONS.map((e) => cell(results, 'w2', lib, e)).filter((c) => !c.status).map((c) => c.m('usPerNext')) }))
      .filter(({ values }) => values.length === EXPRESSIONS.length)
      .map(({ lib, values }) => ({ lib, value: median(values) }));
    const peer = peers.length ? peers.reduce((a, b) => (a.value <= b.value ? a : b)) : null;
    add('W2 standalone: median ≤ 1 µs per next', `${num(m)} µs`, m <= 1, shown(peer, ' µs'));
    const worst = w2.reduce((a, b) => (a.c.m('usPerNext') >= b.c.m('usPerNext') ? a : b));
    add('W2 standalone: no expression above 10 µs per next', `${num(worst.c.m('usPerNext'))} µs (\`${worst.e}\`)`, worst.c.m('usPerNext') <= 10);
  }
  for (const kind of ['cron', 'interval']) {
    const key = `10000 ${kind}`;
    const peerP99 = shown(best(results, 'w3', PEER_LIBS, key, 'latenessP99', true), ' ms');
    // The bare-timer floor, then what timetable's own store and trigger cost without the scheduler.
    const withStore = (field, unit) => [shown(best(results, 'w3', FLOOR_LIBS, key, field), unit), shown(best(results, 'w3', [STORE_FLOOR], key, field), unit)]
      .filter((text) => text !== '–').join('; ') || '–';
    const floorP99 = withStore('latenessP99', ' ms');
    const floorCpu = best(results, 'w3', FLOOR_LIBS, key, 'cpuUsPerFire');
    for (const lib of Object.keys(PATHS)) {
      // An interval has no string form: the plain adapter gives an IntervalTrigger, as the instance path does.
      if (kind === 'interval' && lib === 'timetable') continue;
      const c = cell(results, 'w3', lib, key);
      if (c.status) continue;
      const name = `W3 10k ${kind}, ${PATHS[lib]}`;
      const expected = c.ok[0].expected;
      add(`${name}: 100% of fires, 0 duplicate, 0 early`, `${num((100 * c.m('delivered')) / expected)}%, ${int(c.m('duplicates'))} duplicate, ${int(c.m('early'))} early`,
        c.ok.every((r) => r.delivered === r.expected && r.duplicates === 0 && r.early === 0));
      add(`${name}: p99 lateness ≤ 20 ms`, `${num(c.m('latenessP99'))} ms`, c.m('latenessP99') <= 20, peerP99, floorP99);
      const cpu = c.m('cpuUsPerFire');
      const floorNote = floorCpu === null ? '' : ` (${ratio(cpu, floorCpu.value)} the floor)`;
      add(`${name}: ≤ 3 µs CPU per fire`, `${num(cpu)} µs${floorNote}`, cpu <= 3,
        shown(best(results, 'w3', PEER_LIBS, key, 'cpuUsPerFire', true), ' µs'), withStore('cpuUsPerFire', ' µs'));
    }
  }
  const w4 = cell(results, 'w4', 'timetable', '1');
  if (!w4.status) {
    add('W4: p99 lateness ≤ 2 ms', `${num(w4.m('latenessP99'))} ms`, w4.m('latenessP99') <= 2,
      shown(best(results, 'w4', PEER_LIBS, '1', 'latenessP99', true), ' ms'), shown(best(results, 'w4', FLOOR_LIBS, '1', 'latenessP99'), ' ms'));
  }
  const times = (x, target) => (x > target ? ` (${ratio(x, target)} the target)` : '');
  for (const size of ['1000', '10000']) {
    for (const store of STORE_ORDER) {
      const c = cell(results, 'w5', 'timetable', `${store} ${size}`);
      if (c.status) continue;
      const name = `W5 ${STORE_LABELS[store]} ${int(Number(size))}`;
      const expected = c.ok[0].expected;
      add(`${name}: 100% of fires, 0 duplicate, 0 early`, `${pct(c.m('delivered'), expected)}, ${int(c.m('duplicates'))} duplicate, ${int(c.m('early'))} early`,
        c.ok.every((r) => r.delivered === r.expected && r.duplicates === 0 && r.early === 0));
      const limit = size === '1000' ? 100 : store === 'postgres' || store === 'sqlite' ? 500 : null;
      if (limit !== null) add(`${name}: p99 lateness ≤ ${limit} ms`, `${num(c.m('latenessP99'))} ms${times(c.m('latenessP99'), limit)}`, c.m('latenessP99') <= limit);
    }
  }
  for (const store of STORE_ORDER) {
    const c = cell(results, 'w6', 'timetable', store);
    if (c.status) continue;
    const r = c.ok[0];
    add(`W6 ${STORE_LABELS[store]}: 0 lost, 0 twice`, `${int(r.lost)} lost, ${int(r.twice)} twice`, r.lost === 0 && r.twice === 0);
    const plain = cleanKills(r.kills);
    const worst = plain.length ? Math.max(...plain.map((k) => k.takeoverMs)) : null;
    const chained = r.kills.filter((k) => k.takeoverMs !== null && !plain.includes(k));
    const also = chained.length ? `; where a kill hit the takeover: ${chained.map((k) => seconds(k.takeoverMs)).join(', ')}` : '';
    if (worst !== null) add(`W6 ${STORE_LABELS[store]}: takeover ≤ lease time + 1 s (11 s)`, `${seconds(worst)}${also}`, worst <= 11_000);
  }
  const w7 = cell(results, 'w7', 'timetable', 'minute');
  if (!w7.status) {
    const r = w7.ok[0];
    add('W7 minute cron: every fire within 1 s of its minute', `${int(r.within1s)} of ${int(r.expected)}, max ${seconds(r.latenessMax)}`, r.within1s === r.expected);
  }
  w9Targets(results, add);
  if (!rows.length) return '(no timetable results)';
  const missed = rows.filter((row) => row[4] !== 'met').map((row) => row[0]);
  const notes = [...GAP_NOTES, ...STORE_GAP_NOTES].filter(([pattern]) => missed.some((target) => pattern.test(target))).map(([, note]) => note);
  return [table(['target', 'measured', 'best peer', 'floor', ''], ['l', 'r', 'r', 'r', 'l'], rows), ...notes].join('\n\n');
}

/** Why a target is not met and what reaching it would take, shown under the table when it is not. */
const GAP_NOTES = [
  [/^W3 .*p99/, `**W3 lateness.** 10,000 jobs due in the same second are planned (next fire time, misfire and
coalescing rules) and handed to the executor one after another on Node's one thread, so the last of them
starts after the work for all the others: p99 lateness is about the length of the burst up to its
9,900th task call, pooled over the 10 seconds of the window, so the slowest bursts decide it (a
collection of the old generation, or a pause of the shared machine, in one of the ten). With an
in-process store the jobs are taken from the store a few milliseconds before their instant (a thousand
per call, leases counted from the instant) and only planned at it, a thousand at a time, each
thousand's tasks called before the next is planned: the store's acquisition is off the instant, and
what is left at it is the scheduler's own work per job. Compare the store-and-trigger floor
(timetable's \`MemoryJobStore\` and trigger without the scheduler, its acquisition at the instant): the
gap above it is the plan, the run counts, the events and the executor's queue. Planning the runs ahead
too (tried: the whole burst held as planned runs) raised the CPU per fire to 5.8-7.9 µs, as the held
plans outlive the garbage collector's young generation, so runs are planned ahead only for instants of
at most 100 jobs. A store shared by several schedulers cannot be taken from ahead under the current
\`JobStore\` contract: \`acquireDueJobs\` has one \`now\`, used both to pick the due jobs and to tell
which other owners' leases have expired, so a call for an instant still ahead would also take over
leases that have not expired yet.`],
  [/^W3 .*CPU/, `**W3 CPU per fire.** The store-and-trigger floor (see the W3 note) shows what the
\`JobStore\` contract (a lease per job, a release that writes a new record, as a store never changes a
record it handed out) and the trigger cost per fire above bare timers; a fire through the scheduler adds
the plan (misfire and coalescing rules), the run's count against \`maxInstances\`, the \`job:submitted\`
and outcome reports, the run ticket and the task's context, the executor's queue and its outcome. The
three ways of giving a trigger cost the same per fire (under callgrind, on a virtual clock: a crontab
string 8,292-9,458 instructions per fire over seven runs of one build, a JSON spec 8,319, a trigger
instance 7,509); the rows' differences are the run-to-run spread of a shared VM. CPU per fire counts
every thread (the garbage collector's and the compiler's too). toad-scheduler's 1 s intervals cost
less because each job is a bare \`setInterval\` with no store, lease, plan or misfire rule.`],
  [/^W4/, `**W4.** With one job the loop prepares the run a few milliseconds before its instant, and the timer
for the instant itself is armed 1 ms early and sleeps the rest on the high-resolution clock, so at the
instant only the held run is submitted. The p99 of 100 fires is its second-worst fire, so one pause of
the shared machine decides it; compare the bare-timer floors of the same run.`],
  [/^W1 .*add/, `**W1 adds.** An add validates its options, resolves the trigger (shared between equal specs),
computes the first run time, writes the record and emits \`job:added\`; about half of it is the
garbage collector working through the 100,000 records that stay alive. The store-and-trigger floor (a
record written straight into a \`MemoryJobStore\`, no checks, no events) shows what the store alone
costs per add.`],
  [/^W1 .*path/, `**W1 paths.** A trigger instance is built by the user for every job: its options and crontab
are checked (a plain numeric crontab string that surely fires item by item, compiled only if the
instance is ever asked for a fire time), then the scheduler reads its \`toJSON()\` and finds the shared
equal trigger (by comparing the spec's fields with the last one's when jobs come on the same schedule),
so every job still shares one trigger and one zone table. The string and spec paths build each
distinct trigger once; the instance path pays the check of each instance, its spec and the garbage of
the discarded instance. A process-wide cache of instances would remove that, but the library keeps no
module-level state.`],
];

/** Why a store target is not met, shown under the table when it is not (the suite's measurements). */
const STORE_GAP_NOTES = [
  [/^W5 .* 1,000: p99/, `**W5 lateness at 1,000 jobs/s on the SQL stores.** With a shared store the runs of a pass start
only after two transactions: the acquisition (the due jobs leased, up to 1,000 per call) and the commit
(their next run times and the runs about to start, in one transaction, so that a node killed between the
two has started nothing the store does not know of). Only then are the runs submitted, all 1,000
together, so every fire of a second is about as late as the first (p50 close to p99). Timed on the
machine of the previous report (Intel Xeon VM) while it was idle, for 1,000 due jobs: acquisition
26-32 ms, planning about 6 ms, commit 35-59 ms, so the runs start 70-145 ms after their second (SQLite
at the low end, MySQL at the high end); any other load on the 2 cores (the database server runs on them too) stretches both transactions. The memory store
starts each run as soon as it is planned. In this run (a slower, busier machine: see the W3 note) p50 /
p99 were 79.8 / 214 ms on SQLite, 131 / 178 ms on PostgreSQL and 130 / 179 ms on MariaDB, against 7.46 /
38.5 ms on the memory store. Reaching 100 ms on every store needs the acquisition off the due instant
(the commit must stay after it: a run committed ahead and then not started by a node killed before the
instant would be recorded as started), or a small first batch so that the first runs start after one
small acquisition and commit. The acquisition cannot move ahead under the current \`JobStore\`
contract: \`acquireDueJobs\` has one \`now\`, which both picks the due jobs and tells which other nodes'
leases have expired, so a call for an instant still ahead would take over leases before they expire; it
needs a due bound apart from \`now\`, in every store.`],
  [/^W5 .* 10,000/, `**W5 at 10,000 jobs/s.** A pass takes the due jobs 1,000 at a time and every batch pays its own
acquisition and commit (about 20 statements, 60-150 ms on an idle machine, several times that when the node
and the server share 2 busy cores), one batch after the other: the tenth batch starts about half a second
after its second on SQLite (in the process) and about a second on PostgreSQL and MySQL, and p99 with it.
Once a pass runs past the next second, the jobs it has not reached yet are found a second behind and
run once for their latest second (coalesce \`'latest'\`, the default): those are the missing fires, more on PostgreSQL and MySQL (a round trip per statement) than on SQLite (in the
process). Reaching 500 ms needs the batches to overlap (acquire the next while the previous commits, on
the pool's other connections) or the acquisition ahead of the due time.`],
  [/^W6 .*lost/, `**W6 lost slots.** They come from one gap in the library (not the harness): after a takeover, a job
that is seconds behind with coalesce \`'all'\` runs its missed slots as a catch-up, one slot after the other,
recorded in the store as *one* run (its first slot). When the node running the catch-up is killed, the
survivors report that run as \`job:abandoned\` with its first slot only; the slots it had not reached are
never run and never reported, as the job's next run time was moved past them when the catch-up was
committed. It happens when a kill hits the node catching up what an earlier kill's node held (the kill
with runs in flight above).`],
  [/^W6 .*takeover/, `**W6 takeover.** A killed node's jobs wait until their leases expire (10 s after it took them), then a
survivor's next pass takes them back (a node waiting on a lease wakes when it expires), plans their
catch-up and commits it: the first held slots start a few tenths of a second after the 10 s ("of their
first slots" above), the time of that pass on a busy machine. The later slots of the catch-up run
one after the other, and every run after the first re-reads its job from the store first (one \`getJob\`
round trip per job and slot: 10,000 reads for 1,000 jobs 10 slots behind, through a pool of 10
connections), so on a busy machine a later slot can start later after its due time than the first did.`],
];

/** Which workloads a merged report took from which run. */
function mergedNote(meta) {
  const when = (date) => `${date.slice(0, 16).replace('T', ' ')} UTC`;
  const reruns = [];
  let first = meta.merged;
  reruns.push(`${meta.merged.workloads.map((w) => w.toUpperCase()).join(', ')} on ${when(meta.date)} (${(meta.totalSeconds / 60).toFixed(1)} minutes)`);
  for (let m = meta.merged.earlier; m; m = m.earlier) {
    reruns.push(`${m.workloads.map((w) => w.toUpperCase()).join(', ')} on ${when(first.date)} (${(first.totalSeconds / 60).toFixed(1)} minutes)`);
    first = m;
  }
  return `The full suite took
${(first.totalSeconds / 60).toFixed(1)} minutes (${when(first.date)}); then workloads were run again with \`--merge\`, and their results replace it: ${reruns.reverse().join('; ')}.`;
}

/** What the store workloads (W5-W7) ran against. */
function storesIntro(meta) {
  const servers = meta.servers ?? {};
  return `## The stores (W5-W7)

timetable's SQL stores from the repo's build (\`dist/stores/*.js\`), with the drivers of the repo's own
devDependencies: \`SqliteJobStore({ path })\` on a file in a fresh temp directory (WAL),
\`PostgresJobStore({ connectionString }, { schema })\` on the server at ${servers.postgres ?? '?'} and
\`MysqlJobStore({ uri }, { tablePrefix })\` on the server at ${servers.mysql ?? '?'} (MariaDB), both on this machine
(2 cores shared with the nodes), each in the database \`timetable_bench\` and a fresh schema or table prefix
per run, dropped afterwards. Servers: \`BENCH_POSTGRES_URL\`, \`BENCH_MYSQL_URL\`; a store whose server
cannot be reached is n/a. Server settings are the distribution's defaults.

`;
}

export function renderReport(meta, results, options) {
  const gib = (meta.memoryBytes / 2 ** 30).toFixed(1);
  const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
  const has = (w) => results.some((r) => r.workload === w);
  const p = meta.plan;
  return `# Performance

Generated by \`npm run bench\` (\`bench/run.mjs\`) on ${meta.date.slice(0, 10)}; do not edit by hand. ${meta.merged ? mergedNote(meta) : `The suite took
${(meta.totalSeconds / 60).toFixed(1)} minutes.`}${options.partial ? ' **This is a partial run** (a subset of workloads, libraries or repeats).' : ''}

## Machine

- CPU: ${meta.cpu}, ${meta.cores} cores; memory ${gib} GiB; ${meta.os}; Node ${meta.node}
- Load average (1 / 5 / 15 min) before the suite: ${load(meta.loadBefore)}; after: ${load(meta.loadAfter)}
- **The machine is shared** (a cloud VM, other work may run beside the suite): timings vary from run to run
  by 10-30% and single outliers happen. Read ratios, not absolute numbers, and rerun before concluding.

## Libraries

${table(['library', 'version'], ['l', 'l'], Object.entries(meta.versions).map(([lib, v]) => [lib, v]))}

The three floors are not libraries: minimal schedulers written for this suite (\`bench/adapters/floor-*.mjs\`).
Two do no cron parsing (only every-k-seconds grids) and no bookkeeping, to show what the timers
themselves cost: a \`setTimeout\` per job, and one timer over a sorted array. The third is timetable's
own parts without its scheduler: one timer over a \`MemoryJobStore\`, each wake taking the due jobs
under a lease 1,000 at a time, calling them, asking one shared timetable trigger for each job's next
slot and handing the jobs back, with no events, executor, \`maxInstances\` or misfire rules: what the
\`JobStore\` contract and the trigger cost per fire, so that timetable's cost above it is its scheduler's. timetable is imported from the repo's built output \`dist/index.js\`, as shipped.

## How it was measured

- Each (workload, library, size, repeat) runs in a fresh \`node --expose-gc --max-old-space-size=4096\`
  child process with a time limit (W1 ${p.w1.limitMs[10000] / 1000} s at 10k and ${p.w1.limitMs[100000] / 1000} s at 100k jobs,
  W2 ${p.w2.limitMs / 1000} s, W3 ${p.w3.limitMs / 1000} s, W4 ${p.w4.limitMs / 1000} s); a child that runs out of memory or time is
  recorded as such. Repeats run round-robin over the libraries. Each number is the median over the runs.
- Runs per cell (the "runs" columns): ${meta.repeatOverride ? `${meta.repeatOverride} each (--repeat)` : `timetable's cells run ${p.w1.repeats} times in W1 (10k and 100k),
  ${p.w2.repeats} in W2, ${p.w3.repeats} in W3 and ${p.w4.repeats} in W4; the peers' and floors' cells run once, as they differ from
  timetable by far more than the run-to-run noise, except the floors' in W3, which run ${p.w3.repeats} times: there the floors are
  close to timetable, and one 10 s run on this shared VM moves by a quarter or more from one run to the next`}.
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
the 10 due seconds after a warm-up of 3 due seconds, the first of them at least 500 ms after the
adds returned, for every library and floor alike. The warm-up seconds are the first a process
lives through after adding its jobs, while the runtime still compiles the hot code and collects
the adds' garbage; their p99 lateness and CPU per fire are shown apart, in the last two columns.
CPU per fire: \`process.cpuUsage()\` (user + system, every thread) over the window (read 300 ms
before the first and the last due second) divided by the fires in it; it includes the suite's
recording (~0.1 µs). Libraries without interval jobs only appear in the cron rows.

${w3Section(results, meta, 'w3')}` : ''}${has('w4') ? `## W4 precision: one job every 100 ms for 10 s

An interval of 100 ms anchored on a whole second (libraries without intervals: n/a).

${w3Section(results, meta, 'w4')}` : ''}${has('w5') || has('w6') || has('w7') ? storesIntro(meta) : ''}${has('w5') ? `## W5 stores: every job fires every second for 20 s, one node

timetable with each of its stores, in the same run: n jobs \`* * * * * *\` (registered task \`fire\`, its
argument the job's index, on every store alike), added 50 at a time to a started scheduler; the window is the
20 due seconds from the first at least 500 ms after the adds returned, measured as in W3 (without its warm-up). The
memory store is the baseline of the ratios. A pass takes the due jobs from the store 1,000 at a
time; with coalesce \`'latest'\` (the default) a job found more than one second behind runs once for
its latest second, so a pass longer than a second shows as fires missing.

- **Node CPU**: \`process.cpuUsage()\` of the scheduler's process over the window, per fire (the
  drivers and, for SQLite, the database engine included).
- **DB server CPU**: \`utime + stime\` from \`/proc\` over the window, per fire. First the work done for
  this run's own connections: PostgreSQL backends connected to the suite's database
  (\`pg_stat_activity\`), MariaDB threads serving them (\`information_schema.PROCESSLIST.TID\`),
  sampled every second; then, in parentheses, every process of the server (\`postgres\`,
  \`mariadbd\`), background work (WAL writer, checkpointer, InnoDB I/O and purge) included, but also
  any other client's work. (?) marks windows where other clients were busy. SQLite runs inside the node.
- **Statements per fire**: statements this process sent over the window, counted by wrapping the
  driver's one entry point (pg \`Client#query\`, mysql2 \`Connection#query\`/\`#execute\`,
  better-sqlite3 \`Statement#run/get/all/iterate\` and \`Database#exec\`); \`BEGIN\`/\`COMMIT\` count as
  statements. (The server-side counters were not used: \`pg_stat_statements\` is not loaded on this
  server and \`pg_stat_database\` reports transactions up to a second late.)

${w5Section(results)}` : ''}${has('w6') ? `## W6 nodes killed: 3 nodes, 1,000 jobs every second, 60 s, one node killed every 10 s

Three node processes (\`bench/workloads/w6-node.mjs\`, one scheduler each, default lease time 10 s)
share one store; 1,000 jobs \`* * * * * *\` with coalesce \`'all'\` (a slot run late is still its own run,
so every slot can be counted) are due from T0, and the 60 due seconds from T0 are judged. At 10, 20,
30, 40 and 50 s one node gets SIGKILL and a new process (a new identity, as a restarted process gets
by default) is started at once. At 10, 30 and 50 s (\`mid-pass\`) the jobs table is read every few ms
from the due second on and the node holding the leases of that second's pass is killed: the worst
moment, as what it took is only taken over when its leases expire. At 20 and 40 s (\`any\`) a node
picked at random is killed at a random instant of the second. With a 10 s lease, a kill's jobs are
taken over right when the next kill comes, so a kill can hit the node taking them over (\`chained\`:
its slots wait for two leases).

Every node appends a line per run it starts (the task's call) and per \`job:abandoned\`,
\`job:max-instances\` and \`job:missed\` it reports, with synchronous writes that survive the kill.
A slot (job, due second) is: started once; started twice or more; not started but reported (a
survivor's \`job:abandoned\` for a run the killed node had committed but not started, or
\`job:max-instances\`: a run still in flight, or a dead node's run not yet reaped, counts as the
job's one instance: a catch-up of missed slots counts as one instance while it runs, so with the
default \`maxInstances: 1\` the slots that come due meanwhile are skipped and reported); or **lost**:
never started and never reported. Lateness is the task's start
minus the due second, its p50/p99 over the slots due outside the kill windows (from the killed
second to lease + 2 s after the kill). The takeover of a kill is the worst lateness of the slots
its node held: the jobs it had leases on when it died (read from the table right after the kill),
from their due slot to the end of the kill window. One run per store.

${w6Section(results)}` : ''}${has('w7') ? `## W7 minute cron on PostgreSQL: pg-boss beside timetable, 1,000 jobs, 3 minutes

Each in a fresh schema of the same server, one after the other: timetable with 1,000 jobs
\`0 * * * * *\` on a \`PostgresJobStore\`; pg-boss 10 with 1,000 schedules \`* * * * *\`: in pg-boss 10 a
schedule belongs to a queue (one per queue name), so that is 1,000 queues, each with
\`schedule(name, cron)\` and a \`work()\` worker, all options at their defaults (workers poll every 2 s;
the cron monitor looks at the schedules every 30 s and hands each due one to an internal queue whose
worker, every 5 s, creates the job). The three whole minutes from the first at least 5 s after the setup
are judged, and the run ends 1 s before the end of the third. A fire is the call of the job's code;
its lateness is that instant minus the minute it is for. timetable reports the minute; pg-boss does
not, and once it runs behind it creates a minute's job in a later minute, so each queue's jobs are
paired in order with the minutes its cron monitor sent that schedule for (one internal job per
schedule and minute, whose \`singleton_on\` is the minute). "Fires per minute" counts the fires for each
judged minute by the end of the run. CPU and statements are counted as in W5, over the 3 minutes
(from 1 s before the first to 1 s before the end of the last), per minute.

${w7Section(results)}` : ''}${has('w8') ? `## W8 worker executor: \`timetable/executors/worker\` beside bree

timetable's \`WorkerExecutor\` from the repo's build (\`dist/executors/worker.js\`; its threads on piscina),
its tasks the named exports of \`bench/workloads/w8-tasks.mjs\`, on this machine's ${meta.cores} cores; bree ${meta.versions?.bree ?? '?'}
(\`bench/adapters/bree.mjs\`), which starts a new worker thread for every run. Each part runs in children of its own
(\`bench/workloads/w8.mjs\`), ${meta.plan.w8?.repeats ?? 3} times for timetable (the in-process contrast of part 1 and bree once), about
2.5 minutes in all.

${w8Section(results, meta)}` : ''}${has('w9') ? `## W9 Redis: timetable's \`RedisJobStore\` beside BullMQ on the same Redis, every job every second for 20 s

Each run on the Redis server at ${meta.servers?.redis ?? '?'} (${results.find((r) => r.workload === 'w9' && r.server)?.server ?? 'Redis'}, ${results.some((r) => r.workload === 'w9' && r.serverLocal === false) ? 'on another machine' : 'on this machine'}, ${results.find((r) => r.workload === 'w9' && r.persistence)?.persistence ?? 'persistence unknown'};
\`BENCH_REDIS_URL\`; unreachable: n/a), on a fresh key prefix or queue name deleted afterwards (BullMQ:
\`queue.obliterate({ force: true })\`), one run per cell, one after the other, with n jobs due every second:

- **timetable**: node processes (\`bench/workloads/w9-node.mjs\`), one scheduler each (default options, promise
  executor), on the memory store (one node: the baseline) or on a \`RedisJobStore({ url }, { prefix })\` shared by 1 or 3
  of them; the first node adds n jobs \`* * * * * *\` (registered task \`fire\`, its argument the job's index),
  50 at a time, as in W5.
- **BullMQ** ${meta.versions?.bullmq ?? ''}: n job schedulers \`queue.upsertJobScheduler('j<i>', { every: 1000, startDate }, { name, data: { i },
  opts: { removeOnComplete: true, removeOnFail: true } })\`, 50 at a time, and a \`Worker\` (concurrency ${results.find((r) => r.workload === 'w9' && r.concurrency)?.concurrency ?? '?'}) in each
  of 1 or 3 node processes. \`startDate\` puts every scheduler on whole seconds, so all n jobs are due at the same
  instants as timetable's (without it each scheduler keeps the phase of its upsert instant, spreading the load over
  the second); completed jobs are not kept, as a user of a schedule this frequent would set. When a worker takes a
  scheduler's job, BullMQ first adds the next one (due a second later, or at the next whole second if that is past:
  missed slots are skipped), then runs it.

The window is the 20 due seconds from the first at least 500 ms after the adds returned; each node stops 20 ms before
the end of the last one. **Slots**: timetable passes the due time (\`context.scheduledRunTime\`); a BullMQ scheduler's job
id is \`repeat:<scheduler id>:<due ms>\`, the due time its scheduler computed (also its delayed-set score), so the slot
is read from the id, not inferred from the run's time. A fire is counted once per (job, slot) over all nodes; a second
one is a *duplicate*, one before its slot *early*; lateness is the instant the job's code was called minus the slot.
Over the window (from 300 ms before its first second to 300 ms before its end): **node CPU** is \`process.cpuUsage()\`
summed over the node processes; **redis-server CPU** is its \`utime + stime\` from \`/proc\` (all its threads); **Redis
commands** are the calls of \`INFO commandstats\` after minus before (the probe's own INFO left out), which count every
command a Lua script runs as well as the script call itself (\`evalsha\`, in parentheses: round trips that run a
script); each divided by the fires in the window. The server is shared: connections opened before the run that
sent commands during the window are flagged (?).

${w9Section(results)}` : ''}## timetable's targets

${targets(results, meta.expressions)}

## Running it

\`npm run bench\` at the repo root runs this suite, which rewrites this file, then \`bench/cron-next.ts\`
(timetable's cron search beside cron-parser, printed to the terminal; about 1 more minute). It builds \`dist/\` first when it is missing or older than
\`src/\`, and installs the peers (\`bench/package.json\`, kept apart from the library's own dependencies)
when \`bench/node_modules\` is missing. W1-W4 take about 32 minutes (W3 alone about 22: 92 runs of 10 s windows), W5 about 5, W6 about 4, W7 about 9
(3 judged minutes each for pg-boss and timetable, plus the wait for a whole minute) and W9 about 4 (10 runs of about
25 s). A subset, printed instead of written here:
\`node bench/run.mjs --workload w2 --lib timetable,croner --repeat 1\`; the in-process part only:
\`--workload w1,w2,w3,w4\`; the stores only: \`--workload w5,w6,w7\`, a few of them: \`--store memory,postgres\`; the
Redis store beside BullMQ: \`--workload w9\` (\`--lib timetable\` or \`--store redis\` for a part of it).
Raw results: \`bench/.results/latest.json\`.
`;
}
