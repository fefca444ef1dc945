/**
 * W2 cron next(): `node w2.mjs <lib> <expression>`. Up to 2,000 successive fire times in
 * America/New_York from 2024-01-01T00:00Z through the library's next-run API: µs per next
 * (median of 3 to 15 timed passes after ~200 ms of warm-up passes), and the fire times for the
 * agreement check. A library that needs over 1.5 s for them is timed over its first ones.
 * A run ends early when the library returns null, throws, stops increasing or passes its time
 * budget; the number of fire times reached is reported.
 */
import { loadAdapter, round, runChild, ZONE } from './_common.mjs';
import { unsupported } from '../adapters/_shared.mjs';

const FROM = new Date('2024-01-01T00:00:00.000Z');
const STEPS = 2000;
/** The first pass (its fire times are kept for the agreement check) stops after this long. */
const RUN_BUDGET_MS = 2000;
/** A library whose first pass took over SLOW_MS is warmed up and timed over its first fire times, ~PASS_MS' worth. */
const SLOW_MS = 1500;
const PASS_MS = 500;
/** Untimed runs until this much time went into them (JIT warm-up), then up to 15 timed runs. */
const WARM_BUDGET_MS = 200;
const TIMED_RUNS = 15;
/** Timed runs stop once this much time went into them, after at least 3. */
const TIMED_BUDGET_MS = 1000;
const [lib, expression] = process.argv.slice(2);

/** Successive fire times; `keep` also returns them. */
function run(next, limit, keep) {
  const times = [];
  let previous = null;
  let count = 0;
  let stop = null;
  const start = performance.now();
  while (count < limit) {
    let date;
    try {
      date = next(previous, FROM);
    } catch (error) {
      stop = `throws: ${String(error?.message ?? error).split('\n')[0].slice(0, 100)}`;
      break;
    }
    if (date === null || date === undefined) {
      stop = 'returns null';
      break;
    }
    if (previous !== null && !(date.getTime() > previous.getTime())) {
      stop = `does not increase at ${date.toISOString()}`;
      break;
    }
    if (keep) times.push(date.getTime());
    previous = date;
    count++;
    if ((count & 63) === 0 && performance.now() - start > RUN_BUDGET_MS) {
      stop = `ran out of its ${RUN_BUDGET_MS / 1000} s budget`;
      break;
    }
  }
  return { count, stop, ms: performance.now() - start, times };
}

await runChild(async () => {
  const adapter = await loadAdapter(lib);
  if (typeof adapter.next !== 'function') throw unsupported('no next-run API');
  let next;
  try {
    next = adapter.next(expression, ZONE);
  } catch (error) {
    throw unsupported(String(error?.message ?? error).split('\n')[0]);
  }
  const warm = run(next, STEPS, true);
  const steps = warm.ms <= SLOW_MS ? warm.count : Math.ceil((warm.count * PASS_MS) / warm.ms);
  for (let spent = warm.ms, k = 0; steps > 0 && spent < WARM_BUDGET_MS && k < 50; k++) {
    spent += run(next, steps, false).ms;
  }
  const samples = [];
  let timed = 0;
  while (steps > 0 && samples.length < TIMED_RUNS && (samples.length < 3 || timed < TIMED_BUDGET_MS)) {
    const { count, ms } = run(next, steps, false);
    samples.push((ms * 1000) / count);
    timed += ms;
  }
  samples.sort((a, b) => a - b);
  return {
    expression,
    count: warm.count,
    timedSteps: steps,
    stop: warm.stop,
    usPerNext: samples.length > 0 ? round(samples[Math.floor(samples.length / 2)], 3) : null,
    runs: samples.length,
    times: warm.times,
  };
});
