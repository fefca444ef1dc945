/**
 * bree (https://github.com/breejs/bree), W8 only: it runs every job in a new worker thread, so
 * its per-run cost is a thread's start and end. `perRun` times trivial jobs one at a time: from
 * `bree.run(name)` to bree's `worker deleted` event, which it emits once the job signalled
 * `'done'` (it then terminates the worker) or its worker exited. Two job files, both trivial:
 * `done.mjs` posts `'done'` at once, `exit.mjs` is empty (its worker exits by itself).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Bree from 'bree';

export const info = { label: 'bree', package: 'bree' };

const JOBS = fileURLToPath(new URL('../workloads/w8-bree/', import.meta.url));

export const version = () => JSON.parse(readFileSync(new URL('../node_modules/bree/package.json', import.meta.url), 'utf8')).version;

/** µs per run (the mean over `runs`, after `warmup` untimed runs) of each job file. */
export async function perRun({ runs, warmup }) {
  const bree = new Bree({
    root: false,
    logger: false,
    jobs: [
      { name: 'done', path: `${JOBS}done.mjs` },
      { name: 'exit', path: `${JOBS}exit.mjs` },
    ],
  });
  await bree.init();
  const once = (name) =>
    new Promise((resolve, reject) => {
      const deleted = (which) => {
        if (which !== name) return;
        bree.off('worker deleted', deleted);
        resolve();
      };
      bree.on('worker deleted', deleted);
      bree.run(name).catch(reject);
    });
  const result = {};
  for (const name of ['done', 'exit']) {
    for (let k = 0; k < warmup; k++) await once(name);
    const times = [];
    const t0 = performance.now();
    for (let k = 0; k < runs; k++) {
      const t = performance.now();
      await once(name);
      times.push((performance.now() - t) * 1000);
    }
    const meanUs = ((performance.now() - t0) * 1000) / runs;
    times.sort((a, b) => a - b);
    result[name] = { meanUs: Math.round(meanUs), medianUs: Math.round(times[times.length >> 1]), minUs: Math.round(times[0]), maxUs: Math.round(times[times.length - 1]) };
  }
  await bree.stop();
  return { runs, version: version(), ...result, us: Math.min(result.done.meanUs, result.exit.meanUs), via: result.done.meanUs <= result.exit.meanUs ? 'done' : 'exit' };
}
