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
const EXPRESSIONS = ['*/5 * * * * *', '0 0 9-17 * * 1-5', '0 30 2 * * *', '0 0 0 29 2 *', '0 15 10 L * *'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** µs per next for `STEPS` successive fire times, median over `RUNS` (after one warm-up run). */
function measure(run: () => number): { us: number; last: number } {
  let last = run();
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    last = run();
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / STEPS);
  }
  return { us: median(samples), last };
}

/** One trigger per expression, reused across runs as a scheduler reuses it across fires. */
function timetable(trigger: CronTrigger): number {
  let previous: Date | null = null;
  for (let k = 0; k < STEPS; k++) previous = trigger.getNextFireTime(previous, FROM);
  return previous?.getTime() ?? 0;
}

function cronParser(expression: string): number {
  const iterator = CronExpressionParser.parse(expression, { currentDate: new Date(FROM.getTime() - 1), tz: ZONE });
  let last = 0;
  for (let k = 0; k < STEPS; k++) last = iterator.next().getTime();
  return last;
}

const rows = EXPRESSIONS.map((expression) => {
  // The warm-up run also builds the zone's transition table, which a scheduler builds once per
  // zone and shares between all its jobs.
  const trigger = CronTrigger.fromCrontab(expression, { timezone: ZONE });
  const ours = measure(() => timetable(trigger));
  const theirs = measure(() => cronParser(expression));
  return { expression, ours, theirs };
});

console.log(`cron next(): ${STEPS} successive fire times from ${FROM.toISOString()} in ${ZONE}, median of ${RUNS} runs`);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}\n`);
console.log('| expression | timetable µs/next | cron-parser µs/next | ratio | same last fire time |');
console.log('|---|---:|---:|---:|---|');
for (const { expression, ours, theirs } of rows) {
  const ratio = theirs.us / ours.us;
  console.log(
    `| \`${expression}\` | ${ours.us.toFixed(2)} | ${theirs.us.toFixed(2)} | ${ratio.toFixed(0)}x | ${ours.last === theirs.last ? 'yes' : `no (${new Date(ours.last).toISOString()} vs ${new Date(theirs.last).toISOString()})`} |`,
  );
}
const overall = median(rows.map((row) => row.ours.us));
console.log(`\nmedian over the expressions: ${overall.toFixed(2)} µs per next (target ≤ 3 µs)`);
