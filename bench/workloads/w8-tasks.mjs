/**
 * W8's tasks: the task module of the WorkerExecutor (its named exports), also called in-process
 * by the promise-executor runs of the same workload, so both run the same code.
 */

/** Does nothing: the per-run overhead of an executor. */
export function noop() {
  return 1;
}

/** Keeps its thread busy for `ms` milliseconds of wall time (W8 part 1's 200 ms CPU task). */
export function spin(ms) {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x++;
  return x;
}

/**
 * A fixed amount of CPU work, whatever the load: `iterations` rounds of integer mixing (xorshift),
 * so two threads do twice the work of one (W8 part 3). Returns the final state so that the loop is
 * not optimized away.
 */
export function crunch(iterations) {
  let x = 2463534242;
  for (let k = 0; k < iterations; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x >>> 0;
}
