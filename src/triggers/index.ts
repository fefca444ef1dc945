/**
 * The triggers: the {@link Trigger} contract, the built-in {@link DateTrigger} and
 * {@link IntervalTrigger}, and the {@link TriggerRegistry} that rebuilds triggers from JSON.
 *
 * @module
 */
export type { JsonValue, Trigger, TriggerDefaults, TriggerFactory, TriggerSpec } from './trigger.js';
export type { DateInput, DateTimeLike } from './dates.js';
export { DateTrigger, type DateTriggerOptions } from './date.js';
export { IntervalTrigger, type IntervalTriggerOptions } from './interval.js';
export { TriggerRegistry, triggerFromJSON } from './registry.js';
