/**
 * W3 dispatch: `node w3.mjs <lib> <n> <cron|interval>`. n jobs each firing every second (cron
 * `* * * * * *` in America/New_York, or a 1 s interval anchored on a whole second) for 10 s, after
 * 3 s of warm-up measured apart: fires delivered, duplicate and early fires, lateness after the
 * due second, CPU per fire.
 */
import { dispatch, runChild } from './_common.mjs';

const [lib, n, kind] = process.argv.slice(2);
await runChild(() => dispatch({ lib, n: Number(n), kind, period: 1000, windowMs: 10_000, warmupMs: 3_000, cron: '* * * * * *' }));
