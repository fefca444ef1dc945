/**
 * {@link AndTrigger} and {@link OrTrigger}: triggers made of other triggers.
 *
 * Being stateless, both keep asking a child for "its first fire time after t", where t is often
 * another child's time rather than one of its own. Children whose times form a fixed set (cron,
 * an interval or calendar interval with `startDate`, a date, and/or of those) answer that from
 * their own grid and skip ahead in one call. Children that count from their previous fire time
 * (an interval or calendar interval without `startDate`, an AndTrigger with a threshold) have no
 * grid: they are stepped from their own fire times, starting from the combined trigger's
 * previous fire time, as in APScheduler 3. A child's kind is its `FIXED_SET` declaration, or is
 * probed once; each child is asked once per search round, and spec and text are built once per
 * trigger, so every operation is linear in the size of the tree. The tree is at most
 * {@link MAX_TRIGGER_DEPTH} levels deep.
 *
 * @module
 */
export { AndTrigger, type AndTriggerOptions } from './and.js';
export { OrTrigger, type OrTriggerOptions } from './or.js';
export { MAX_TRIGGER_DEPTH } from './combined.js';
