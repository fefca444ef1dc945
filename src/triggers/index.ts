/**
 * The triggers: the {@link Trigger} contract, the built-in {@link DateTrigger},
 * {@link IntervalTrigger}, {@link CronTrigger}, {@link CalendarIntervalTrigger},
 * {@link AndTrigger} and {@link OrTrigger}, and the {@link TriggerRegistry} that rebuilds
 * triggers from JSON.
 *
 * @module
 */
export type { JsonValue, Trigger, TriggerDefaults, TriggerFactory } from './trigger.js';
export type {
  AnyTriggerSpec,
  AndTriggerSpec,
  CalendarIntervalTriggerSpec,
  CronTriggerSpec,
  DateTriggerSpec,
  IntervalTriggerSpec,
  OrTriggerSpec,
  SpecBounds,
  SpecDate,
  TriggerSpec,
  TriggerSpecMap,
} from './specs.js';
export type { DateInput, DateTimeLike } from './dates.js';
export { DateTrigger, type DateTriggerOptions } from './date.js';
export { IntervalTrigger, type IntervalTriggerOptions } from './interval.js';
export {
  CronTrigger,
  type CronTriggerOptions,
  type CronCommonOptions,
  type CronFieldValue,
} from './cron/cron-trigger.js';
export { CalendarIntervalTrigger, type CalendarIntervalTriggerOptions } from './calendar-interval.js';
export { AndTrigger, OrTrigger, MAX_TRIGGER_DEPTH, type AndTriggerOptions, type OrTriggerOptions } from './combining.js';
export type { DstMode } from './cron/next.js';
export { TriggerCache } from './trigger-cache.js';
export { TriggerRegistry, triggerFromJSON } from './registry.js';
export { nextFireTimes } from './preview.js';
