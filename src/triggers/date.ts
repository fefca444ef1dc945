/**
 * {@link DateTrigger}: a job that runs once.
 *
 * @module
 */
import type { DateTriggerSpec } from './specs.js';
import type { Trigger, TriggerDefaults } from './trigger.js';
import { checkOptions } from '../internal/validate.js';
import {
  checkTimezone,
  hostTimezone,
  readSpec,
  toEpochMs,
  toIso,
  toLocalIso,
  triggerFail,
  type DateInput,
} from './dates.js';
import { nextFireTimes } from './preview.js';
import { FIXED_SET } from './sequence.js';

/** Options of {@link DateTrigger}. */
export interface DateTriggerOptions {
  /**
   * The IANA zone in which a `runDate` string without an offset is read, and in which
   * `toString()` shows the date. @defaultValue the host's zone (when built from JSON by a
   * scheduler: the scheduler's `timezone`)
   */
  timezone?: string;
}

/**
 * Fires once, at `runDate`, then never again. A `runDate` in the past is still returned as the
 * first fire time: the scheduler's misfire rules decide whether it runs.
 *
 * @example
 * ```ts
 * new DateTrigger('2026-12-24T18:00', { timezone: 'Europe/Berlin' });
 * new DateTrigger(new Date(Date.now() + 60_000));
 * ```
 */
export class DateTrigger implements Trigger {
  /** The zone given in the options, if any. */
  readonly timezone: string | undefined;
  readonly #runMs: number;

  /**
   * @param runDate - when to fire: a `Date`, epoch milliseconds, an ISO-8601 string (wall time
   *   in `timezone` when it has no offset) or a luxon `DateTime`
   * @param options - `timezone`
   * @throws `InvalidTriggerError` naming `date.runDate`, `date.timezone` or an unknown option
   */
  constructor(runDate: DateInput, options?: DateTriggerOptions) {
    const given = checkOptions(options, 'date', ['timezone'], triggerFail);
    this.timezone =
      given.timezone === undefined ? undefined : checkTimezone(given.timezone, 'date.timezone', triggerFail);
    // Only a string without an offset needs a zone; skip resolving the host's otherwise.
    const zone = this.timezone ?? (typeof runDate === 'string' ? hostTimezone() : 'UTC');
    this.#runMs = toEpochMs(runDate, 'date.runDate', zone, triggerFail);
  }

  /** The instant the trigger fires at (a fresh copy: mutating it changes nothing). */
  get runDate(): Date {
    return new Date(this.#runMs);
  }

  /**
   * `runDate` when the job has not fired yet (even if it is before `now`), else `null`.
   *
   * @param previousFireTime - the slot the job last fired for, or `null`
   * @param now - the current time (not used: the date is fixed)
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    void now;
    return previousFireTime === null ? new Date(this.#runMs) : null;
  }

  /**
   * The next `count` fire times from `from` (default: now), for previews.
   *
   * @param count - how many, a whole number >= 0
   * @param from - where to start
   */
  nextFireTimes(count: number, from: Date = new Date()): Date[] {
    return nextFireTimes(this, count, from);
  }

  /** `{ type: 'date', runDate, timezone? }` with `runDate` as a UTC ISO-8601 string. */
  toJSON(): DateTriggerSpec {
    const spec: DateTriggerSpec = { type: 'date', runDate: toIso(this.#runMs) };
    if (this.timezone !== undefined) spec.timezone = this.timezone;
    return spec;
  }

  /** E.g. `date[2026-12-24T18:00:00.000+01:00 Europe/Berlin]` or `date[2026-12-24T17:00:00.000Z]`. */
  toString(): string {
    const zone = this.timezone === undefined ? '' : ` ${this.timezone}`;
    return `date[${toLocalIso(this.#runMs, this.timezone)}${zone}]`;
  }

  /** A date is a fixed set of one instant. @internal */
  get [FIXED_SET](): boolean {
    return true;
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type: 'date', runDate, timezone? }`
   * @param defaults - `timezone` is used when the spec names none
   * @throws `InvalidTriggerError` naming the field at fault (`date.runDate`, `date.foo`, ...)
   */
  static fromJSON(spec: unknown, defaults: Partial<TriggerDefaults> = {}): DateTrigger {
    const given = readSpec(spec, 'date', ['runDate', 'timezone']);
    const timezone = given.timezone === undefined ? defaults.timezone : given.timezone;
    const options = timezone === undefined ? {} : { timezone: timezone as string };
    return new DateTrigger(given.runDate as DateInput, options);
  }
}
