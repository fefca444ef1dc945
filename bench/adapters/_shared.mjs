/**
 * Helpers shared by the adapters. Every adapter module exports:
 *
 * - `create()` → `{ add(n, schedule, onFire), shutdown() }` (W1, W3, W4). `add` schedules `n`
 *   jobs; job `i` calls `onFire(i, slot)` on every fire, `slot` being the due time (epoch ms) the
 *   library says the fire is for, where it tells (otherwise the suite infers it from the fire
 *   time). `shutdown` stops them all; afterwards the library should hold nothing that keeps the
 *   process alive.
 * - optionally `next(expression, timezone)` → `(previous: Date | null, from: Date) => Date | null`
 *   (W2): the first fire time at or after `from` when `previous` is null, else strictly after it.
 *
 * A schedule is `{ kind: 'cron', expr, timezone }` or `{ kind: 'interval', ms, anchor }` (fires at
 * `anchor + k × ms`, the first such time not in the past). A library that cannot express a
 * schedule throws `unsupported(reason)`; the suite then reports n/a.
 */

/** The error an adapter throws for a schedule or expression its library cannot handle. */
export function unsupported(reason) {
  return Object.assign(new Error(reason), { code: 'UNSUPPORTED' });
}

/**
 * The slot grid of a schedule, for the floors: they do no cron parsing, only arithmetic, so they
 * accept intervals and the every-k-seconds crontab `*\/k * * * * *` (k dividing 60; zone offsets
 * are whole minutes, so its slots are the same in every zone).
 */
export function slotGrid(schedule) {
  let period;
  let origin = 0;
  if (schedule.kind === 'interval') {
    period = schedule.ms;
    origin = schedule.anchor;
  } else {
    const match = /^(\*|\*\/(\d+)) \* \* \* \* \*$/.exec(schedule.expr);
    const k = match ? Number(match[2] ?? 1) : 0;
    if (!match || 60 % k !== 0) throw unsupported('a floor only does every-k-seconds crontabs');
    period = k * 1000;
  }
  /** The first slot strictly after `now`. */
  const after = (now) => origin + (Math.floor((now - origin) / period) + 1) * period;
  return {
    first: after,
    /** The slot after `due`; slots already past when a late fire ends are skipped. */
    next: (due, now) => (due + period > now ? due + period : after(now)),
  };
}
