/**
 * The built-in triggers' fire-time search on epoch milliseconds. `getNextFireTime` takes and
 * returns `Date`s, as the `Trigger` contract says; the scheduler asks once per fire and per
 * missed slot, and two `Date`s per call were a tenth of what a run allocated.
 *
 * @internal
 * @module
 */

/** The key of the numeric search on a built-in trigger. @internal */
export const NEXT_MS: unique symbol = Symbol('timetable.nextMs');

/** A trigger with the numeric search. @internal */
export interface NextMs {
  /**
   * What `getNextFireTime` answers, in epoch ms: the first fire time at or after `now` when
   * `previous` is `null`, else the first strictly after `previous`; `null` when finished. Both
   * arguments are valid instants.
   */
  [NEXT_MS](previous: number | null, now: number): number | null;
}
