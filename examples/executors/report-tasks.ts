/**
 * The tasks of examples/executors/worker.ts: each named export is a task the worker executor can
 * run. Worker threads load plain JavaScript; this file is TypeScript, so the executor is pointed
 * at report-tasks.mjs, which loads it through tsx (an application that compiles its code points
 * the executor at the compiled .js file instead).
 */
import { threadId } from 'node:worker_threads';
import type { WorkerJobContext } from '../../src/executors/worker/index.js';

/** CPU-bound: counts the primes below `limit` with a sieve, checking its signal now and then. */
export function countPrimes(limit: number, context: WorkerJobContext): { primes: number; threadId: number } {
  const composite = new Uint8Array(limit);
  let primes = 0;
  for (let n = 2; n < limit; n++) {
    if (n % 100_000 === 0) context.signal.throwIfAborted();
    if (composite[n]) continue;
    primes++;
    for (let m = n * n; m < limit; m += n) composite[m] = 1;
  }
  return { primes, threadId };
}

/** A runaway task: loops forever and never looks at its signal, so only ending its thread stops it. */
export function runaway(): never {
  for (;;) Math.sqrt(Math.random());
}

/** Fails with an error of its own, whose `code` and fields reach the main thread. */
export function validateMonth(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw Object.assign(new RangeError(`not a month: ${month}`), { code: 'E_BAD_MONTH', month });
  }
  return month;
}
