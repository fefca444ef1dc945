/**
 * W1 scale: `node --expose-gc w1.mjs <lib> <n>`. Adds n jobs with cron `*\/5 * * * * *` in
 * America/New_York: µs per add; heap, RSS and external bytes per job after full GCs; whether
 * every job fires in the first 5 s round after the adds (the first slot at least 500 ms after
 * them); then shuts the library down and returns, so the orchestrator can check that the
 * process exits by itself.
 */
import { earlyWindow, emitPartial, loadAdapter, preciseNow, round, runChild, slotOf, ZONE } from './_common.mjs';

const PERIOD = 5000;
const EARLY = earlyWindow(PERIOD);
const [lib, nText] = process.argv.slice(2);
const n = Number(nText);

function collect() {
  for (let k = 0; k < 2; k++) globalThis.gc();
  return process.memoryUsage();
}

await runChild(async () => {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  const adapter = await loadAdapter(lib);
  const instance = await adapter.create();
  const seen = new Uint8Array(n);
  let slot = Infinity;
  let fired = 0;
  let duplicates = 0;
  let early = 0;
  let last = null;
  let slotsReported = false;
  let finish = () => {};
  const onFire = (i, reported) => {
    const ms = Date.now();
    if (reported !== undefined) slotsReported = true;
    if (slotOf(reported, ms, 0, PERIOD, EARLY) !== slot) return; // another round
    if (seen[i]) return void duplicates++;
    seen[i] = 1;
    if (ms < slot) early++;
    last = preciseNow();
    if (++fired === n) finish();
  };

  const before = collect();
  const addStart = preciseNow();
  await instance.add(n, { kind: 'cron', expr: '*/5 * * * * *', timezone: ZONE }, onFire);
  const addMs = preciseNow() - addStart;
  const after = collect();
  const perJob = (key) => round((after[key] - before[key]) / n, 0);
  const measured = {
    n,
    usPerAdd: round((addMs * 1000) / n, 3),
    addMs: round(addMs, 1),
    heapPerJob: perJob('heapUsed'),
    rssPerJob: perJob('rss'),
    externalPerJob: perJob('external'),
  };
  emitPartial(measured);

  slot = Math.ceil((Date.now() + 500) / PERIOD) * PERIOD;
  let timer;
  await new Promise((resolve) => {
    finish = resolve;
    timer = setTimeout(resolve, slot + PERIOD - EARLY - Date.now());
  });
  clearTimeout(timer); // our own timer must not hold the process when its exit is checked
  const shutdownStart = preciseNow();
  await instance.shutdown();
  return {
    ...measured,
    fired,
    duplicates,
    early,
    slotsReported,
    roundMs: last === null ? null : round(last - slot, 1),
    shutdownMs: round(preciseNow() - shutdownStart, 1),
  };
});
