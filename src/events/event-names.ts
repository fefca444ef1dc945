/**
 * The names of the scheduler's events at run time, so `on`, `once` and `off` can refuse a name
 * that no event has (a typo would otherwise subscribe to nothing, silently).
 *
 * @module
 */
import type { SchedulerEventMap, SchedulerEventName } from './event-map.js';

/**
 * One entry per key of {@link SchedulerEventMap}. The type makes the compiler check the list
 * both ways: an event added to the map without an entry here is a missing property, and an
 * entry for no event is an excess property. Adding an event means adding its line here.
 */
const EVENTS: { readonly [K in keyof SchedulerEventMap]: true } = {
  'scheduler:started': true,
  'scheduler:shutdown': true,
  'scheduler:paused': true,
  'scheduler:resumed': true,
  'store:added': true,
  'store:removed': true,
  'store:error': true,
  'executor:added': true,
  'executor:removed': true,
  'job:added': true,
  'job:modified': true,
  'job:removed': true,
  'job:invalid': true,
  'jobs:cleared': true,
  'job:submitted': true,
  'job:executed': true,
  'job:error': true,
  'job:missed': true,
  'job:max-instances': true,
  'job:abandoned': true,
};

/**
 * Every event name of {@link SchedulerEventMap}: there is no "any event" subscription, so
 * subscribe to each of these to see everything.
 *
 * @example
 * ```ts
 * for (const name of SCHEDULER_EVENT_NAMES) scheduler.on(name, (event) => console.log(event.type));
 * ```
 */
export const SCHEDULER_EVENT_NAMES: readonly SchedulerEventName[] = Object.freeze(
  Object.keys(EVENTS) as SchedulerEventName[],
);
