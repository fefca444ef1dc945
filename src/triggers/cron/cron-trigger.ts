/**
 * {@link CronTrigger}: fires when the local wall clock of a zone matches cron fields, with the
 * DST rule of SPEC §3.3 and results that never depend on the host's time zone.
 *
 * @module
 */
import type { CronTriggerSpec } from '../specs.js';
import type { Trigger, TriggerDefaults } from '../trigger.js';
import { checkOptionalDuration, checkOptions, MAX_POLICY_SECONDS } from '../../internal/validate.js';
import {
  checkTimezone,
  hostTimezone,
  readSpec,
  toEpochMs,
  toIso,
  triggerFail,
  type DateInput,
} from '../dates.js';
import type { TriggerCache } from '../trigger-cache.js';
import { ZoneOffsets } from '../zone/zone-offsets.js';
import { compileCrontab } from './crontab.js';
import { isPlainCrontab } from './crontab-items.js';
import { checkLength } from './limits.js';
import { FIELD_NAMES, compileFields, dstModeOf, withDefaults, type FieldName } from './fields.js';
import { nextFireInstant, type DstMode } from './next.js';
import { nextFireTimes } from '../preview.js';
import { FIXED_SET } from '../sequence.js';
import { CronSchedule, MAX_YEAR, MIN_YEAR, type CronFields } from './schedule.js';
import { surelyMatches } from './sure-match.js';
import { describe, withBounds } from '../bounds.js';
import { NEXT_MS } from '../next-ms.js';

/** A cron field value: an expression such as `'9-17'`, `'*\/15'`, `'mon-fri'`, or a number. */
export type CronFieldValue = string | number;

/** Options shared by both forms of {@link CronTrigger}. */
export interface CronCommonOptions {
  /** First instant the trigger may fire at (inclusive). */
  startDate?: DateInput | null;
  /** Last instant the trigger may fire at (inclusive). */
  endDate?: DateInput | null;
  /** IANA zone whose wall clock the fields match. @defaultValue the host's zone (a scheduler's zone for JSON specs) */
  timezone?: string;
  /** Largest random delay in seconds the scheduler adds to each run. @defaultValue `null` */
  jitter?: number | null;
}

/**
 * The APScheduler field form, or a crontab `expression`. Fields more significant than the least
 * significant one given default to `*`, less significant ones to their minimum (`week` and
 * `dayOfWeek` stay `*`): `{ day: 1, minute: 20 }` fires every hour at :20:00 on the 1st.
 */
export interface CronTriggerOptions extends CronCommonOptions {
  /** A crontab string instead of the fields (see {@link CronTrigger.fromCrontab}). */
  expression?: string;
  /** 4-digit year, 1970-9999. */
  year?: CronFieldValue;
  /** 1-12 or `jan`-`dec`. */
  month?: CronFieldValue;
  /** 1-31, `last`, `last fri`, `1st`..`5th fri`. */
  day?: CronFieldValue;
  /** ISO week, 1-53. */
  week?: CronFieldValue;
  /** 0-7 (0 and 7 are Sunday) or `mon`-`sun`; ranges may wrap (`fri-mon`). Must match together with `day`. */
  dayOfWeek?: CronFieldValue;
  /** 0-23. `*` or a step follows elapsed time across DST; other values are fixed local times. */
  hour?: CronFieldValue;
  /** 0-59. */
  minute?: CronFieldValue;
  /** 0-59. */
  second?: CronFieldValue;
}

const COMMON_KEYS = ['startDate', 'endDate', 'timezone', 'jitter'] as const;
/** Whitespace a crontab string loses when normalized: at an end, repeated, or other than a space. */
const IRREGULAR_SPACE = /^\s|\s$|\s\s|[^\S ]/;
const KEYS = ['expression', ...FIELD_NAMES, ...COMMON_KEYS];

/**
 * Fires when the wall clock of its zone matches the cron fields.
 *
 * Daylight saving time: a fixed-time trigger (specific hours) fires once per matching local
 * time — inside a spring-forward gap at the first instant after the gap, inside a fall-back
 * overlap at the first occurrence only. A trigger whose hour is `*` or a step follows real time:
 * it fires in both passes through a repeated hour and skips times that do not exist.
 *
 * @example
 * ```ts
 * new CronTrigger({ dayOfWeek: 'mon-fri', hour: 9, minute: 30, timezone: 'America/New_York' });
 * CronTrigger.fromCrontab('*\/15 9-17 * * 1-5', { timezone: 'Europe/Berlin' });
 * ```
 */
export class CronTrigger implements Trigger {
  /** The zone given in the options, if any (the host's zone is used otherwise). */
  readonly timezone: string | undefined;
  /** Largest random delay in seconds the scheduler adds to each run; `null` = none. */
  readonly jitter: number | null;
  /** `'fixed'` (specific hours) or `'elapsed'` (hour `*` or a step): how DST is handled. */
  readonly dstMode: DstMode;
  readonly #fields: Partial<Record<FieldName, string>>;
  readonly #expression: string | null;
  /**
   * The compiled fields (`null` until first needed, for a plain crontab string checked without
   * compiling it); their search tables are built on the first search (see `#search`).
   */
  #compiled: CronFields | null;
  #schedule: CronSchedule | null = null;
  readonly #zone: ZoneOffsets;
  readonly #start: number | null;
  readonly #end: number | null;

  /**
   * @param options - cron fields or a crontab `expression`, `startDate`, `endDate`, `timezone`, `jitter`
   * @param cache - shared tables (a registry passes its own; see {@link TriggerCache})
   * @throws `InvalidTriggerError` naming the field (`cron.hour`, `cron.expression`, `cron.foo`,
   *   ...) for a bad value (a step larger than the span of its range, `{ day: '*\/31' }`, is one
   *   in the field form; a field or crontab string over 1,024 characters is another), and `cron`
   *   for an expression that can never fire (`{ month: 2, day: 30 }`)
   */
  constructor(options: CronTriggerOptions, cache?: TriggerCache) {
    if (typeof options === 'string') {
      throw triggerFail('cron', options, 'an options object; for a crontab string use CronTrigger.fromCrontab(expression)');
    }
    const given = checkOptions(options, 'cron', KEYS, triggerFail);
    this.#fields = {};
    if (given.expression !== undefined) {
      const extra = FIELD_NAMES.find((name) => given[name] !== undefined);
      if (extra) throw triggerFail(`cron.${extra}`, given[extra], 'no fields next to an expression');
      if (typeof given.expression !== 'string') throw triggerFail('cron.expression', given.expression, 'a crontab string');
      // Before the whitespace is collapsed: no work at all on an absurdly long string.
      checkLength('cron.expression', given.expression, 'a crontab string');
      // Most strings are already single-spaced: testing that allocates nothing.
      const normalized = IRREGULAR_SPACE.test(given.expression) ? given.expression.trim().replace(/\s+/g, ' ') : given.expression;
      if (!cache && isPlainCrontab(normalized)) {
        // Surely valid and surely firing: compiled only if the trigger is ever asked (one built
        // per job is replaced by the scheduler's shared equal and never is).
        this.#expression = normalized;
        this.#compiled = null;
        this.dstMode = dstModeOf(normalized.split(' ').at(-4) as string);
      } else {
        // Without shared tables a trigger compiles its own (no per-instance cache to fill).
        const compiled = cache ? cache.crontab(normalized, compileCrontab) : compileCrontab(normalized);
        this.#expression = compiled.normalized;
        this.#compiled = compiled.fields;
        this.dstMode = compiled.mode;
      }
    } else {
      for (const name of FIELD_NAMES) {
        const value = given[name];
        if (value === undefined) continue;
        // Before trimming: no work at all on an absurdly long string.
        if (typeof value === 'string') checkLength(`cron.${name}`, value, 'a field expression');
        if (typeof value === 'number' && Number.isInteger(value) && value >= 0) this.#fields[name] = String(value);
        else if (typeof value === 'string' && value.trim() !== '') this.#fields[name] = value.trim().replace(/,\s+/g, ',');
        else throw triggerFail(`cron.${name}`, value, 'a cron expression string or a whole number');
      }
      const exprs = withDefaults(this.#fields);
      this.#expression = null;
      this.#compiled = compileFields(exprs);
      this.dstMode = dstModeOf(exprs.hour);
    }
    this.timezone = given.timezone === undefined ? undefined : checkTimezone(given.timezone, 'cron.timezone', triggerFail);
    const zoneName = this.timezone ?? hostTimezone();
    this.#zone = cache ? cache.zone(zoneName) : new ZoneOffsets(zoneName);
    this.#start = this.#readDate(given.startDate, 'cron.startDate');
    this.#end = this.#readDate(given.endDate, 'cron.endDate');
    if (this.#start !== null && this.#end !== null && this.#end < this.#start) {
      throw triggerFail('cron.endDate', given.endDate, `a date at or after startDate (${toIso(this.#start)})`);
    }
    this.jitter = checkOptionalDuration(given.jitter, 'cron.jitter', null, { max: MAX_POLICY_SECONDS }, triggerFail);
    // An expression that never matches (Feb 30) is an error now, not a search that finds nothing.
    if (this.#compiled !== null && !surelyMatches(this.#compiled) && this.#search().firstMatch(Date.UTC(MIN_YEAR, 0, 1), MAX_YEAR) === null) {
      const [field, value] = given.expression === undefined ? ['cron', options] : ['cron.expression', given.expression];
      throw triggerFail(field, value, 'an expression that matches at least one date between 1970 and 9999');
    }
  }

  /**
   * A trigger from a standard crontab string: 5 fields (`minute hour day month weekday`), or 6
   * with seconds first, and the `@yearly @monthly @weekly @daily @hourly` nicknames. When both
   * day of month and day of week are restricted, either may match (Vixie cron).
   *
   * @param expression - e.g. `'0 9 * * 1-5'`, `'*\/10 * * * * *'`, `'@daily'`, `'0 0 L * *'`
   * @param options - `startDate`, `endDate`, `timezone`, `jitter`
   * @throws `InvalidTriggerError` naming `cron.expression` (or the option at fault)
   */
  static fromCrontab(expression: string, options: CronCommonOptions = {}): CronTrigger {
    const given = checkOptions(options, 'cron', COMMON_KEYS, triggerFail) as CronCommonOptions;
    // A literal of the known keys rather than a spread of whatever object was given.
    const { startDate, endDate, timezone, jitter } = given;
    return new CronTrigger({ expression, startDate, endDate, timezone, jitter } as CronTriggerOptions);
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type: 'cron', hour: '9-17', ... }` or `{ type: 'cron', expression: '...' }`
   * @param defaults - `timezone` is used when the spec names none
   * @param cache - shared tables
   */
  static fromJSON(spec: unknown, defaults: Partial<TriggerDefaults> = {}, cache?: TriggerCache): CronTrigger {
    const { type: _type, ...options } = readSpec(spec, 'cron', KEYS);
    if (options.timezone === undefined && defaults.timezone !== undefined) options.timezone = defaults.timezone;
    return new CronTrigger(options as CronTriggerOptions, cache);
  }

  #readDate(value: unknown, field: string): number | null {
    if (value === undefined || value === null) return null;
    return toEpochMs(value, field, this.#zone.name, triggerFail);
  }

  /**
   * The first fire time at or after `now` (without a previous one), or strictly after
   * `previousFireTime`; `null` once past `endDate`.
   *
   * @param previousFireTime - the slot the job last fired for, or `null`
   * @param now - the current time
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const from = previousFireTime === null ? now.getTime() : previousFireTime.getTime() + 1;
    if (Number.isNaN(from)) throw triggerFail(previousFireTime === null ? 'now' : 'previousFireTime', previousFireTime ?? now, 'a valid Date');
    const next = this.#firstFrom(from);
    return next === null ? null : new Date(next);
  }

  /** {@link CronTrigger.getNextFireTime} in epoch ms, for the scheduler. @internal */
  [NEXT_MS](previous: number | null, now: number): number | null {
    return this.#firstFrom(previous === null ? now : previous + 1);
  }

  /** The first fire time at or after the instant `from`, within the start and end dates. */
  #firstFrom(from: number): number | null {
    const next = nextFireInstant(this.#search(), this.#zone, this.dstMode, this.#start !== null && from < this.#start ? this.#start : from);
    return next === null || (this.#end !== null && next > this.#end) ? null : next;
  }

  /**
   * The search over the fields, built on first use: a trigger built and never asked (one a
   * scheduler replaces by its shared equal) never builds its tables.
   */
  #search(): CronSchedule {
    this.#compiled ??= compileCrontab(this.#expression as string).fields;
    this.#schedule ??= new CronSchedule(this.#compiled);
    return this.#schedule;
  }

  /** The next `count` fire times after `from` (default: now), for previews. */
  nextFireTimes(count: number, from: Date = new Date()): Date[] {
    return nextFireTimes(this, count, from);
  }

  /** A cron expression's fire times are a fixed set. @internal */
  get [FIXED_SET](): boolean {
    return true;
  }

  /** The first instant the trigger may fire at, or `null` (a fresh copy). */
  get startDate(): Date | null {
    return this.#start === null ? null : new Date(this.#start);
  }

  /** The last instant the trigger may fire at (inclusive), or `null` (a fresh copy). */
  get endDate(): Date | null {
    return this.#end === null ? null : new Date(this.#end);
  }

  /** `{ type: 'cron', <fields given> | expression, startDate?, endDate?, timezone?, jitter? }`. */
  toJSON(): CronTriggerSpec {
    const spec: CronTriggerSpec = this.#expression !== null ? { type: 'cron', expression: this.#expression } : { type: 'cron', ...this.#fields };
    return withBounds(spec, { start: this.#start, end: this.#end, timezone: this.timezone, jitter: this.jitter });
  }

  /** E.g. `cron[hour='9-17', day_of_week='mon-fri']` or `cron['*\/5 * * * *', timezone=...]`. */
  toString(): string {
    const parts =
      this.#expression !== null
        ? [`'${this.#expression}'`]
        : FIELD_NAMES.filter((name) => this.#fields[name] !== undefined).map(
            (name) => `${name === 'dayOfWeek' ? 'day_of_week' : name}='${this.#fields[name]}'`,
          );
    return describe('cron', parts, { start: this.#start, end: this.#end, timezone: this.timezone, jitter: this.jitter });
  }
}
