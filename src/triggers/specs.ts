/**
 * The JSON forms of the built-in triggers (types only). {@link TriggerSpec} is their union,
 * discriminated by `type`: a spec written in code is checked field by field, so a misspelt option
 * (`{ type: 'interval', minuts: 5 }`) fails to compile. Custom trigger types join the union by
 * augmenting {@link TriggerSpecMap}; {@link AnyTriggerSpec} is the unchecked form every trigger's
 * `toJSON()` returns and every store keeps.
 *
 * @module
 */
import type { JsonValue } from '../json.js';

/**
 * A date inside a spec: an ISO-8601 string (with an offset, or a wall time read in the spec's
 * `timezone`), or epoch milliseconds. `toJSON()` always writes ISO strings with an offset.
 */
export type SpecDate = string | number;

/** The options most specs share. */
export type SpecBounds = {
  /** First instant the trigger may fire at (inclusive). */
  startDate?: SpecDate | null;
  /** Last instant the trigger may fire at (inclusive). */
  endDate?: SpecDate | null;
  /** IANA zone of the spec's wall times. @defaultValue the scheduler's `timezone` */
  timezone?: string;
  /** Largest random delay in seconds the scheduler adds to each run. */
  jitter?: number | null;
};

/** `{ type: 'date', runDate }`: fires once. See {@link DateTrigger}. */
export type DateTriggerSpec = {
  /** The trigger type. */
  type: 'date';
  /** When to fire. */
  runDate: SpecDate;
  /** IANA zone in which a `runDate` without an offset is read. */
  timezone?: string;
};

/** `{ type: 'interval', hours: 1, ... }`: fixed elapsed time. See {@link IntervalTrigger}. */
export type IntervalTriggerSpec = SpecBounds & {
  /** The trigger type. */
  type: 'interval';
  /** Weeks of 7 × 24 h. */
  weeks?: number;
  /** Days of exactly 24 h. */
  days?: number;
  /** Hours. */
  hours?: number;
  /** Minutes. */
  minutes?: number;
  /** Seconds. */
  seconds?: number;
  /** Milliseconds. */
  milliseconds?: number;
};

/**
 * `{ type: 'cron', hour: '9-17', ... }` (the APScheduler field form) or
 * `{ type: 'cron', expression: '0 9 * * 1-5' }` (a crontab string). See {@link CronTrigger}.
 */
export type CronTriggerSpec = SpecBounds & {
  /** The trigger type. */
  type: 'cron';
  /** A crontab string instead of the fields. */
  expression?: string;
  /** 4-digit year, 1970-9999. */
  year?: string | number;
  /** 1-12 or `jan`-`dec`. */
  month?: string | number;
  /** 1-31, `last`, `last fri`, `1st`..`5th fri`. */
  day?: string | number;
  /** ISO week, 1-53. */
  week?: string | number;
  /** 0-7 (0 and 7 are Sunday) or `mon`-`sun`. */
  dayOfWeek?: string | number;
  /** 0-23. */
  hour?: string | number;
  /** 0-59. */
  minute?: string | number;
  /** 0-59. */
  second?: string | number;
};

/** `{ type: 'calendarinterval', months: 1, hour: 9 }`: calendar units. See {@link CalendarIntervalTrigger}. */
export type CalendarIntervalTriggerSpec = SpecBounds & {
  /** The trigger type. */
  type: 'calendarinterval';
  /** Calendar years. */
  years?: number;
  /** Calendar months. */
  months?: number;
  /** Weeks of 7 calendar days. */
  weeks?: number;
  /** Calendar days. */
  days?: number;
  /** Local hour of the fire time, 0-23. */
  hour?: number;
  /** Local minute, 0-59. */
  minute?: number;
  /** Local second, 0-59. */
  second?: number;
};

/** `{ type: 'and', triggers: [...] }`: fires when every child agrees. See {@link AndTrigger}. */
export type AndTriggerSpec = {
  /** The trigger type. */
  type: 'and';
  /** The children's specs. */
  triggers: TriggerSpec[];
  /** How far apart (seconds) the children's times may be and still agree. */
  threshold?: number;
  /** Search rounds per call before the search gives up. */
  maxIterations?: number;
  /** Largest random delay in seconds the scheduler adds to each run. */
  jitter?: number | null;
};

/** `{ type: 'or', triggers: [...] }`: fires whenever any child fires. See {@link OrTrigger}. */
export type OrTriggerSpec = {
  /** The trigger type. */
  type: 'or';
  /** The children's specs. */
  triggers: TriggerSpec[];
  /** Largest random delay in seconds the scheduler adds to each run. */
  jitter?: number | null;
};

/**
 * The trigger specs the type checker knows, by `type`. Augment it to give a custom type
 * (registered with `registerTriggerType`) a checked spec, written as an object type (not an
 * interface, so that it stays assignable to {@link AnyTriggerSpec}):
 *
 * @example
 * ```ts excerpt
 * declare module 'timetable' {
 *   interface TriggerSpecMap {
 *     'every-hour-at': { type: 'every-hour-at'; minute: number };
 *   }
 * }
 * ```
 */
export interface TriggerSpecMap {
  /** {@link DateTrigger}'s spec. */
  date: DateTriggerSpec;
  /** {@link IntervalTrigger}'s spec. */
  interval: IntervalTriggerSpec;
  /** {@link CronTrigger}'s spec. */
  cron: CronTriggerSpec;
  /** {@link CalendarIntervalTrigger}'s spec. */
  calendarinterval: CalendarIntervalTriggerSpec;
  /** {@link AndTrigger}'s spec. */
  and: AndTriggerSpec;
  /** {@link OrTrigger}'s spec. */
  or: OrTriggerSpec;
}

/**
 * The JSON form of a trigger, as code writes it: one of the built-in specs (or an augmented
 * custom one, see {@link TriggerSpecMap}), checked field by field. Dates are ISO-8601 strings or
 * epoch milliseconds.
 *
 * @example
 * ```ts excerpt
 * { type: 'interval', minutes: 5, startDate: '2026-01-01T00:00:00.000Z' }
 * { type: 'date', runDate: '2026-12-24T18:00:00.000+01:00' }
 * ```
 */
export type TriggerSpec = TriggerSpecMap[keyof TriggerSpecMap];

/**
 * The JSON form of any trigger, custom types included, unchecked: a `type` and JSON-safe
 * options. What {@link Trigger.toJSON} returns, what a store keeps and what a
 * {@link TriggerFactory} receives (it validates the options itself).
 */
export interface AnyTriggerSpec {
  /** The trigger type, e.g. `'interval'`. */
  type: string;
  /** The type's own options, JSON-safe. */
  [option: string]: JsonValue | undefined;
}
