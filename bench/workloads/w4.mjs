/**
 * W4 precision: `node w4.mjs <lib>`. One job every 100 ms (an interval anchored on a whole
 * second) for 10 s: lateness after each due time.
 */
import { dispatch, runChild } from './_common.mjs';

const [lib] = process.argv.slice(2);
await runChild(() => dispatch({ lib, n: 1, kind: 'interval', period: 100, windowMs: 10_000 }));
