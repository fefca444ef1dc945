/**
 * Micro-benchmark: microseconds per successive cron "next fire time" in a DST zone, timetable's
 * CronTrigger beside cron-parser's own iterator (the library timetable uses to parse crontab
 * strings). Run with `npm run bench:cron`. Timings vary on a shared machine: medians of 15 runs.
 * Each side computes 2,000 successive fire times per run; cron-parser parses its expression once
 * per run, timetable reuses one trigger (its zone table is built during the warm-up run).
 */
import { cpus } from 'node:os';
import { CronExpressionParser } from 'cron-parser';
import { CronTrigger } from '../src/index.js';

const ZONE = 'America/New_York';
const FROM = new Date('2024-01-01T00:00:00.000Z');
const STEPS = 2_000;
const RUNS = 15;
/** A measurement stops early (after at least `MIN_RUNS`) once its runs took this long. */
const BUDGET_MS = 8_000;
const MIN_RUNS = 3;
const EXPRESSIONS = ['*/5 * * * * *', '0 0 9-17 * * 1-5', '0 30 2 * * *', '0 0 0 29 2 *', '0 15 10 L * *'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * µs per next for `STEPS` successive fire times, median over `RUNS` (after one warm-up run), or
 * over fewer runs (at least `MIN_RUNS`) when they pass `BUDGET_MS`: cron-parser takes about 5 s
 * per run on `0 0 0 29 2 *`, which alone would take minutes.
 */
function measure(run: () => Pass): { us: number; last: number; steps: number; runs: number } {
  let pass = run();
  const samples: number[] = [];
  let spentMs = 0;
  while (samples.length < RUNS && (samples.length < MIN_RUNS || spentMs < BUDGET_MS)) {
    const start = process.hrtime.bigint();
    pass = run();
    const ns = Number(process.hrtime.bigint() - start);
    spentMs += ns / 1e6;
    samples.push(ns / 1000 / pass.steps);
  }
  return { us: median(samples), last: pass.last, steps: pass.steps, runs: samples.length };
}

/** One pass over successive fire times: how many were found, and the last. */
interface Pass {
  steps: number;
  last: number;
}

/**
 * One trigger per expression, reused across runs as a scheduler reuses it across fires. Stops
 * early when the schedule ends: cron's range ends with year 9999, which `0 0 0 29 2 *` reaches
 * after about 1,990 leap days.
 */
function timetable(trigger: CronTrigger): Pass {
  let previous: Date | null = null;
  let steps = 0;
  while (steps < STEPS) {
    const next = trigger.getNextFireTime(previous, FROM);
    if (next === null) break;
    previous = next;
    steps++;
  }
  return { steps, last: previous?.getTime() ?? 0 };
}

/** cron-parser over as many fire times as timetable found, so both cover the same ones. */
function cronParser(expression: string, steps: number): Pass {
  const iterator = CronExpressionParser.parse(expression, { currentDate: new Date(FROM.getTime() - 1), tz: ZONE });
  let last = 0;
  for (let k = 0; k < steps; k++) last = iterator.next().getTime();
  return { steps, last };
}

const rows = EXPRESSIONS.map((expression) => {
  // The warm-up run also builds the zone's transition table, which a scheduler builds once per
  // zone and shares between all its jobs.
  const trigger = CronTrigger.fromCrontab(expression, { timezone: ZONE });
  const ours = measure(() => timetable(trigger));
  const theirs = measure(() => cronParser(expression, ours.steps));
  return { expression, ours, theirs };
});

console.log(
  `cron next(): ${STEPS} successive fire times from ${FROM.toISOString()} in ${ZONE}, median of up to ${RUNS} runs (at least ${MIN_RUNS}; fewer when they pass ${BUDGET_MS / 1000} s)`,
);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}\n`);
console.log('| expression | timetable µs/next | cron-parser µs/next | ratio | fire times | runs (timetable / cron-parser) | same last fire time |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const { expression, ours, theirs } of rows) {
  const ratio = theirs.us / ours.us;
  console.log(
    `| \`${expression}\` | ${ours.us.toFixed(2)} | ${theirs.us.toFixed(2)} | ${ratio.toFixed(0)}x | ${ours.steps} | ${ours.runs} / ${theirs.runs} | ${ours.last === theirs.last ? 'yes' : `no (${new Date(ours.last).toISOString()} vs ${new Date(theirs.last).toISOString()})`} |`,
  );
}
const overall = median(rows.map((row) => row.ours.us));
const slowest = rows.reduce((worst, row) => (row.ours.us > worst.ours.us ? row : worst));
console.log(`\nmedian over the expressions: ${overall.toFixed(2)} µs per next (target ≤ 1 µs)`);
console.log(`slowest: \`${slowest.expression}\`, ${slowest.ours.us.toFixed(2)} µs per next (target ≤ 10 µs)`);
