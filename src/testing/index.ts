/**
 * `timetable/testing`: tools for testing your own schedules without sleeping.
 *
 * {@link VirtualClock} is a `Clock` you pass to `new Scheduler({ clock })`; time then moves
 * only when the test calls `advance`, `advanceTo` or `jump`, and every timer that comes due fires
 * at its own instant, with the promise chains it starts settled before the next one.
 *
 * @example
 * ```ts
 * import { Scheduler } from 'timetable';
 * import { VirtualClock } from 'timetable/testing';
 *
 * const clock = new VirtualClock('2026-01-01T00:00:00Z');
 * const runs: number[] = [];
 * const scheduler = new Scheduler({ clock, tasks: { tick: () => runs.push(clock.now()) } });
 * await scheduler.addJob('tick', { type: 'interval', minutes: 5 });
 * await scheduler.start();
 * await clock.advance(15 * 60_000); // three runs, at 00:05, 00:10 and 00:15
 * await scheduler.shutdown();
 * ```
 *
 * @module
 */
export { VirtualClock } from './virtual-clock.js';
