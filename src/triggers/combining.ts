/**
 * {@link AndTrigger} and {@link OrTrigger}: triggers made of other triggers.
 *
 * Being stateless, both keep asking a child for "its first fire time strictly after t", where t
 * is often another child's time rather than one of its own. Children whose times form a fixed set
 * (cron, an interval with `startDate`, a date) answer that as `getNextFireTime(null, t + 1 ms)`,
 * so a foreign t never pulls them off their grid, and they skip ahead in one call. Children that
 * count from their previous fire time (an interval without `startDate`) have no grid: they are
 * stepped with t as their previous fire time, as in APScheduler 3. The contract cannot say which
 * kind a child is, so `isFixed` checks it on one of the child's own fire times.
 *
 * @module
 */
import type { JsonValue } from '../json.js';
import type { Trigger, TriggerSpec } from './trigger.js';
import { InvalidArgumentError, InvalidTriggerError, MaxIterationsError, describeValue } from '../errors.js';
import { checkDuration, checkInteger, checkOptionalDuration, checkOptions, isPlainObject } from '../internal/validate.js';
import { readSpec, triggerFail } from './dates.js';
import { nextFireTimes } from './preview.js';

/** Options of {@link OrTrigger}. */
export interface OrTriggerOptions {
  /** Largest random delay in seconds the scheduler adds to each run. @defaultValue `null` */
  jitter?: number | null;
}

/** Options of {@link AndTrigger}. */
export interface AndTriggerOptions extends OrTriggerOptions {
  /** How far apart (seconds) the children's times may be and still agree. @defaultValue `1` */
  threshold?: number;
  /** Search rounds per call before `MaxIterationsError` is thrown. @defaultValue `10000` */
  maxIterations?: number;
}

type Ms = number | null;
const ms = (date: Date | null | undefined): Ms => (date == null ? null : date.getTime());

/** The child's first fire time strictly after `t`, asked as "at or after t + 1 ms". */
function jumpAfter(child: Trigger, t: number): Ms {
  if (t >= 8.64e15) return null; // the last instant a Date can hold
  const next = ms(child.getNextFireTime(null, new Date(t + 1)));
  // A past DateTrigger answers with its date whatever `now` is: that is not "after t".
  return next !== null && next > t ? next : null;
}

/** The child's next fire time with `t` as its previous one. */
const stepFrom = (child: Trigger, t: number, now: Date): Ms => ms(child.getNextFireTime(new Date(t), now));

/**
 * Is `t`, one of the child's own fire times, a point of a fixed set: asked from t, does it answer
 * t, and is stepping from t the same as jumping past it? Not for an interval without startDate
 * (t + interval), even at its endDate, nor for a custom trigger that fires at `now` and then counts.
 */
function isFixed(child: Trigger, t: number, now: Date): boolean {
  return ms(child.getNextFireTime(null, new Date(t))) === t && stepFrom(child, t, now) === jumpAfter(child, t);
}

/** The child's first fire time strictly after `t`, which need not be one of its own times. */
function after(child: Trigger, t: number, now: Date): Ms {
  const jump = jumpAfter(child, t);
  return jump !== null && isFixed(child, jump, now) ? jump : stepFrom(child, t, now);
}

/** Each child's first fire time: at or after `now`, or strictly after `previous`. */
function firstTimes(children: readonly Trigger[], previous: Date | null, now: Date): Ms[] {
  for (const [field, value] of [['previousFireTime', previous], ['now', now]] as const) {
    const valid = value === null || (value instanceof Date && !Number.isNaN(value.getTime()));
    if (!valid) throw new InvalidArgumentError(field, value, 'a valid Date');
  }
  const prev = ms(previous);
  return children.map((child) => (prev === null ? ms(child.getNextFireTime(null, now)) : after(child, prev, now)));
}

function checkChildren(triggers: unknown, type: string): readonly Trigger[] {
  const empty = !Array.isArray(triggers) || triggers.length === 0;
  if (empty) throw triggerFail(`${type}.triggers`, triggers, 'a non-empty array of triggers');
  triggers.forEach((child: unknown, i) => {
    const t = child as Partial<Record<keyof Trigger, unknown>> | null;
    if (typeof t?.getNextFireTime !== 'function' || typeof t.toJSON !== 'function') {
      throw triggerFail(`${type}.triggers[${i}]`, child, 'a trigger (with getNextFireTime and toJSON methods)');
    }
  });
  return Object.freeze([...(triggers as Trigger[])]);
}

/** Rebuilds the children of a spec; their errors name the path: `and.triggers[1].hours`. */
function rebuildChildren(specs: unknown, type: string, rebuild: (spec: TriggerSpec) => Trigger): Trigger[] {
  const empty = !Array.isArray(specs) || specs.length === 0;
  if (empty) throw triggerFail(`${type}.triggers`, specs, 'a non-empty array of trigger specs');
  return specs.map((child: unknown, i) => {
    try {
      return rebuild(child as TriggerSpec);
    } catch (error) {
      // By code, not instanceof: a custom factory may use another copy of the library.
      const e = error as { code?: unknown; field?: unknown; value?: unknown; message?: unknown } | null;
      if (e?.code !== 'ERR_INVALID_TRIGGER' || typeof e.field !== 'string') throw error;
      // The child names its own fields `<its type>.x`, or itself `trigger`: the path replaces that.
      const own = isPlainObject(child) && typeof child.type === 'string' ? child.type : '\0';
      const isOwn = e.field === own || e.field.startsWith(`${own}.`);
      const rest = e.field === 'trigger' ? '' : isOwn ? e.field.slice(own.length) : `.${e.field}`;
      const [message, prefix] = [String(e.message), `Invalid trigger ${e.field}: ${describeValue(e.value)} (`];
      const reason = message.startsWith(prefix) ? message.slice(prefix.length, -1) : message;
      throw new InvalidTriggerError(`${type}.triggers[${i}]${rest}`, e.value, reason);
    }
  });
}

/** The next `count` fire times of `trigger` from `from`. */
/** The spec and text of a combined trigger, listing the options that differ from their default. */
function summarize(type: string, children: readonly Trigger[], options: [string, number | null, number | null][]) {
  const spec: TriggerSpec = { type, triggers: children.map((child) => child.toJSON() as JsonValue) };
  const parts = children.map(String);
  for (const [name, value] of options.filter(([, value, fallback]) => value !== fallback)) {
    spec[name] = value;
    parts.push(`${name}=${value}${name === 'maxIterations' ? '' : 's'}`);
  }
  return { spec, text: `${type}[${parts.join(', ')}]` };
}

/**
 * Fires at the earliest time on which all children agree within `threshold` seconds. The fire
 * time is the **latest** of the agreeing children's times, so that the next search, strictly
 * after it, has left all of them behind. Finished when any child is finished, or when the
 * agreement would fall after the earliest child `endDate`. A search needing more than
 * `maxIterations` rounds (children that never line up) throws `MaxIterationsError`: it never hangs.
 *
 * @example Every 2 hours, on weekends only.
 * ```ts
 * const everyTwoHours = new IntervalTrigger({ hours: 2, startDate: '2026-01-03T00:00' });
 * new AndTrigger([everyTwoHours, CronTrigger.fromCrontab('* * * * sat,sun')]);
 * ```
 */
export class AndTrigger implements Trigger {
  /** The children (frozen). */
  readonly triggers: readonly Trigger[];
  /** The agreement window in seconds. */
  readonly threshold: number;
  /** The most search rounds per call. */
  readonly maxIterations: number;
  /** Largest random delay in seconds the scheduler adds to each run; `null` = none. */
  readonly jitter: number | null;

  /**
   * @param triggers - at least one trigger
   * @param options - `threshold`, `maxIterations`, `jitter`
   * @throws `InvalidTriggerError` naming `and.triggers`, `and.triggers[i]`, `and.threshold`, ...
   */
  constructor(triggers: readonly Trigger[], options?: AndTriggerOptions) {
    this.triggers = checkChildren(triggers, 'and');
    const given = checkOptions(options, 'and', ['threshold', 'maxIterations', 'jitter'], triggerFail);
    this.threshold = given.threshold === undefined ? 1 : checkDuration(given.threshold, 'and.threshold', {}, triggerFail);
    this.maxIterations =
      given.maxIterations === undefined ? 10_000 : checkInteger(given.maxIterations, 'and.maxIterations', 1, triggerFail);
    this.jitter = checkOptionalDuration(given.jitter, 'and.jitter', null, {}, triggerFail);
  }

  /** The earliest `endDate` among the children that have one, or `null`. */
  get endDate(): Date | null {
    const ends = this.triggers.map((child) => ms(child.endDate)).filter((end): end is number => end !== null);
    return ends.length === 0 ? null : new Date(Math.min(...ends));
  }

  /**
   * The first agreement at or after `now`, or strictly after `previousFireTime`.
   *
   * @param previousFireTime - the slot the job last fired for, or `null`
   * @param now - the current time
   * @throws `MaxIterationsError` when no agreement is found within `maxIterations` rounds
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const times = firstTimes(this.triggers, previousFireTime, now);
    const fixed: (boolean | undefined)[] = [];
    const thresholdMs = this.threshold * 1000;
    for (let round = 0; !times.includes(null); round++) {
      const latest = Math.max(...(times as number[]));
      if (latest - Math.min(...(times as number[])) <= thresholdMs) {
        const end = ms(this.endDate);
        return end === null || latest <= end ? new Date(latest) : null;
      }
      if (round === this.maxIterations) throw new MaxIterationsError(round, `looking for a time ${this} agrees on`);
      // The agreement is at or after `latest` (times only grow): earlier child times cannot take part.
      const target = Math.ceil(latest - thresholdMs);
      this.triggers.forEach((child, i) => {
        const time = times[i] as number;
        if (time >= target) return;
        fixed[i] ??= isFixed(child, time, now);
        times[i] = fixed[i] ? jumpAfter(child, target - 1) : stepFrom(child, time, now);
      });
    }
    return null;
  }

  /** The next `count` fire times from `from` (default: now), for previews. */
  nextFireTimes(count: number, from: Date = new Date()): Date[] {
    return nextFireTimes(this, count, from);
  }

  /** `{ type: 'and', triggers: [child specs], threshold?, maxIterations?, jitter? }`, defaults left out. */
  toJSON(): TriggerSpec {
    return this.#describe().spec;
  }

  /** E.g. `and[interval[every 6s], interval[every 10s], threshold=0s]`. */
  toString(): string {
    return this.#describe().text;
  }

  #describe(): ReturnType<typeof summarize> {
    const options: [string, number | null, number | null][] = [
      ['threshold', this.threshold, 1],
      ['maxIterations', this.maxIterations, 10_000],
      ['jitter', this.jitter, null],
    ];
    return summarize('and', this.triggers, options);
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type: 'and', triggers: [...], threshold?, maxIterations?, jitter? }`
   * @param rebuild - rebuilds one child spec: a registry's `fromJSON`, so nested and custom types work
   * @throws `InvalidTriggerError` naming the path at fault, e.g. `and.triggers[1].hours`
   */
  static fromJSON(spec: unknown, rebuild: (spec: TriggerSpec) => Trigger): AndTrigger {
    const keys = ['triggers', 'threshold', 'maxIterations', 'jitter'];
    const { type: _type, triggers, ...options } = readSpec(spec, 'and', keys);
    return new AndTrigger(rebuildChildren(triggers, 'and', rebuild), options as AndTriggerOptions);
  }
}

/**
 * Fires whenever any child fires: the earliest of their next fire times. A time produced by
 * several children fires once. Finished when every child is finished.
 *
 * @example
 * ```ts
 * new OrTrigger([CronTrigger.fromCrontab('0 9 * * 1-5'), CronTrigger.fromCrontab('0 11 * * sat,sun')]);
 * ```
 */
export class OrTrigger implements Trigger {
  /** The children (frozen). */
  readonly triggers: readonly Trigger[];
  /** Largest random delay in seconds the scheduler adds to each run; `null` = none. */
  readonly jitter: number | null;

  /**
   * @param triggers - at least one trigger
   * @param options - `jitter`
   * @throws `InvalidTriggerError` naming `or.triggers`, `or.triggers[i]` or `or.jitter`
   */
  constructor(triggers: readonly Trigger[], options?: OrTriggerOptions) {
    this.triggers = checkChildren(triggers, 'or');
    const given = checkOptions(options, 'or', ['jitter'], triggerFail);
    this.jitter = checkOptionalDuration(given.jitter, 'or.jitter', null, {}, triggerFail);
  }

  /** The latest `endDate` of the children, or `null` if any child has none. */
  get endDate(): Date | null {
    const ends = this.triggers.map((child) => ms(child.endDate));
    return ends.includes(null) ? null : new Date(Math.max(...(ends as number[])));
  }

  /** The earliest child fire time at or after `now`, or strictly after `previousFireTime`. */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    const times = firstTimes(this.triggers, previousFireTime, now).filter((t): t is number => t !== null);
    return times.length === 0 ? null : new Date(Math.min(...times));
  }

  /** The next `count` fire times from `from` (default: now), for previews. */
  nextFireTimes(count: number, from: Date = new Date()): Date[] {
    return nextFireTimes(this, count, from);
  }

  /** `{ type: 'or', triggers: [child specs], jitter? }`. */
  toJSON(): TriggerSpec {
    return summarize('or', this.triggers, [['jitter', this.jitter, null]]).spec;
  }

  /** E.g. `or[interval[every 6s], date[2026-12-24T17:00:00.000Z]]`. */
  toString(): string {
    return summarize('or', this.triggers, [['jitter', this.jitter, null]]).text;
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type: 'or', triggers: [...], jitter? }`
   * @param rebuild - rebuilds one child spec: a registry's `fromJSON`, so nested and custom types work
   * @throws `InvalidTriggerError` naming the path at fault, e.g. `or.triggers[0].type`
   */
  static fromJSON(spec: unknown, rebuild: (spec: TriggerSpec) => Trigger): OrTrigger {
    const { type: _type, triggers, ...options } = readSpec(spec, 'or', ['triggers', 'jitter']);
    return new OrTrigger(rebuildChildren(triggers, 'or', rebuild), options as OrTriggerOptions);
  }
}
