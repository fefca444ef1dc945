/**
 * {@link OrTrigger}: fires whenever any of its children fires.
 *
 * @module
 */
import type { AnyTriggerSpec, OrTriggerSpec } from './specs.js';
import type { Trigger } from './trigger.js';
import { checkOptionalDuration, checkOptions, MAX_POLICY_SECONDS } from '../internal/validate.js';
import { readSpec, triggerFail } from './dates.js';
import { nextFireTimes } from './preview.js';
import { FIXED_SET } from './sequence.js';
import {
  Child,
  NESTING_DEPTH,
  checkArguments,
  checkChildren,
  checkSpecDepth,
  childEnds,
  combinedKind,
  describeCombined,
  ms,
  rebuildChildren,
  specText,
  type CombinedOption,
} from './combined.js';

/** Options of {@link OrTrigger}. */
export interface OrTriggerOptions {
  /** Largest random delay in seconds the scheduler adds to each run. @defaultValue `null` */
  jitter?: number | null;
}

/**
 * Fires whenever any child fires: the earliest of their next fire times. A time produced by
 * several children fires once. Finished when every child is finished. A child that counts from
 * its previous fire time (an interval without `startDate`) counts from this trigger's previous
 * fire time, whichever child that came from.
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
  readonly #children: readonly Child[];
  readonly #depth: number;
  /** The latest child endDate (epoch ms), or `null` if any child has none. */
  readonly #end: number | null;
  readonly #fixed: boolean | undefined;
  // Built on first use and kept: the trigger is immutable, and a parent reads them once per call.
  #spec: string | undefined;
  #text: string | undefined;

  /**
   * @param triggers - at least one trigger; and/or nested at most 16 levels deep
   * @param options - `jitter`
   * @throws `InvalidTriggerError` naming `or.triggers`, `or.triggers[i]` or `or.jitter`; for a
   *   tree nested too deep, the path of the first trigger past the limit
   */
  constructor(triggers: readonly Trigger[], options?: OrTriggerOptions) {
    const checked = checkChildren(triggers, 'or');
    this.triggers = checked.triggers;
    const given = checkOptions(options, 'or', ['jitter'], triggerFail);
    this.jitter = checkOptionalDuration(given.jitter, 'or.jitter', null, { max: MAX_POLICY_SECONDS }, triggerFail);
    this.#children = this.triggers.map((child) => new Child(child));
    this.#depth = checked.depth;
    const ends = childEnds(this.triggers);
    this.#end = ends.includes(null) ? null : (ends as number[]).reduce((a, b) => Math.max(a, b));
    this.#fixed = combinedKind(this.#children);
  }

  /** The latest `endDate` of the children, or `null` if any child has none. */
  get endDate(): Date | null {
    return this.#end === null ? null : new Date(this.#end);
  }

  /** The union of fixed sets is a fixed set; with a counting child it counts. @internal */
  get [FIXED_SET](): boolean | undefined {
    return this.#fixed;
  }

  /** Levels of and/or nesting, this one included. @internal */
  get [NESTING_DEPTH](): number {
    return this.#depth;
  }

  /**
   * The earliest child fire time at or after `now`, or strictly after `previousFireTime`.
   * Without a previous fire time, a child's past time (a past `DateTrigger`) is the answer only
   * when no child has a time at or after `now`, as for the date itself.
   *
   * @param previousFireTime - the slot the job last fired for, or `null`
   * @param now - the current time
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    checkArguments(previousFireTime, now);
    let [next, past] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    if (previousFireTime === null) {
      for (const child of this.#children) {
        const time = ms(child.trigger.getNextFireTime(null, now));
        if (time === null) continue;
        if (time >= now.getTime()) next = Math.min(next, time);
        else past = Math.min(past, time);
      }
    } else {
      for (const child of this.#children) next = Math.min(next, child.after(previousFireTime.getTime(), now) ?? next);
    }
    const first = next === Number.POSITIVE_INFINITY ? past : next;
    return first === Number.POSITIVE_INFINITY ? null : new Date(first);
  }

  /** The next `count` fire times from `from` (default: now), for previews. */
  nextFireTimes(count: number, from: Date = new Date()): Date[] {
    return nextFireTimes(this, count, from);
  }

  /** `{ type: 'or', triggers: [child specs], jitter? }` (a fresh copy). */
  toJSON(): OrTriggerSpec {
    this.#spec ??= specText('or', this.triggers, this.#options());
    return JSON.parse(this.#spec) as OrTriggerSpec;
  }

  /** E.g. `or[interval[every 6s], date[2026-12-24T17:00:00.000Z]]`. */
  toString(): string {
    this.#text ??= describeCombined('or', this.triggers, this.#options());
    return this.#text;
  }

  #options(): CombinedOption[] {
    return [['jitter', this.jitter, null]];
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type: 'or', triggers: [...], jitter? }`
   * @param rebuild - rebuilds one child spec: a registry's `fromJSON`, so nested and custom types work
   * @throws `InvalidTriggerError` naming the path at fault, e.g. `or.triggers[0].type`; for a
   *   spec nested more than 16 levels deep, the path of the first spec past the limit (checked
   *   before anything is rebuilt)
   */
  static fromJSON(spec: unknown, rebuild: (spec: AnyTriggerSpec) => Trigger): OrTrigger {
    const { type: _type, triggers, ...options } = readSpec(spec, 'or', ['triggers', 'jitter']);
    checkSpecDepth(spec);
    return new OrTrigger(rebuildChildren(triggers, 'or', rebuild), options as OrTriggerOptions);
  }
}
