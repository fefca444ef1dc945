/**
 * {@link AndTrigger}: fires when all of its children agree.
 *
 * An agreement at `e` is one fire time of each child, all within `[e, e + threshold]`, and `e`
 * one of them. For children whose times form a fixed set, the agreement at `e` is exactly each
 * child's first time at or after `e`: the search only ever moves a child to its first time at or
 * after a target, and every target is at or before the agreement it finds. So the agreement a
 * previous fire time `p` stood for can be rebuilt from `p` alone (each child asked once), and the
 * next search starts after the latest of its times: the trigger stays stateless, yet no child
 * time serves two fire times, after a restart as well.
 *
 * @module
 */
import type { AndTriggerSpec, AnyTriggerSpec } from './specs.js';
import type { Trigger } from './trigger.js';
import { MaxIterationsError } from '../errors.js';
import { checkDuration, checkInteger, checkOptionalDuration, checkOptions, MAX_POLICY_SECONDS } from '../internal/validate.js';
import { readSpec, triggerFail } from './dates.js';
import { nextFireTimes } from './preview.js';
import { FIXED_SET, firstAtOrAfter } from './sequence.js';
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
  type Ms,
} from './combined.js';
import type { OrTriggerOptions } from './or.js';

/** Options of {@link AndTrigger}. */
export interface AndTriggerOptions extends OrTriggerOptions {
  /** How far apart (seconds) the children's times may be and still agree. @defaultValue `1` */
  threshold?: number;
  /** Search rounds per call before `MaxIterationsError` is thrown. @defaultValue `10000` */
  maxIterations?: number;
}

/**
 * Is `own` (each child's time in a would-be agreement at `t`) an agreement at `t`: all there,
 * the earliest at `t`, none more than `thresholdMs` later?
 */
function isAgreement(own: readonly Ms[], t: number, thresholdMs: number): own is number[] {
  let earliest = Number.POSITIVE_INFINITY;
  for (const time of own) {
    if (time === null || time - t > thresholdMs) return false;
    earliest = Math.min(earliest, time);
  }
  return earliest === t;
}

/**
 * Fires when all children agree within `threshold` seconds: at the **earliest** time `e` at
 * which every child has a fire time in `[e, e + threshold]` (APScheduler 4's rule). The next
 * agreement starts after the latest child time of this one, so each child has moved past its
 * own time and no agreement fires twice. With `threshold: 0` the fire times are those the
 * children share.
 *
 * Children whose times form a fixed set (cron, dates, intervals and calendar intervals with a
 * `startDate`, and/or of those) are skipped ahead in one call; children that count from their
 * previous fire time are stepped from their own fire times, starting from this trigger's previous
 * fire time. Finished when any child is finished, or when the agreement would fall after the
 * earliest child `endDate`. A search needing more than `maxIterations` rounds (children that
 * never line up) throws `MaxIterationsError`: it never hangs.
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
  readonly #children: readonly Child[];
  readonly #depth: number;
  /** The earliest child endDate (epoch ms), or `null`. */
  readonly #end: number | null;
  readonly #fixed: boolean | undefined;
  // Built on first use and kept: the trigger is immutable, and a parent reads them once per call.
  #spec: string | undefined;
  #text: string | undefined;

  /**
   * @param triggers - at least one trigger; and/or nested at most 16 levels deep
   * @param options - `threshold`, `maxIterations`, `jitter`
   * @throws `InvalidTriggerError` naming `and.triggers`, `and.triggers[i]`, `and.threshold`, ...;
   *   for a tree nested too deep, the path of the first trigger past the limit
   */
  constructor(triggers: readonly Trigger[], options?: AndTriggerOptions) {
    const checked = checkChildren(triggers, 'and');
    this.triggers = checked.triggers;
    const given = checkOptions(options, 'and', ['threshold', 'maxIterations', 'jitter'], triggerFail);
    this.threshold = given.threshold === undefined ? 1 : checkDuration(given.threshold, 'and.threshold', {}, triggerFail);
    this.maxIterations =
      given.maxIterations === undefined ? 10_000 : checkInteger(given.maxIterations, 'and.maxIterations', 1, triggerFail);
    this.jitter = checkOptionalDuration(given.jitter, 'and.jitter', null, { max: MAX_POLICY_SECONDS }, triggerFail);
    this.#children = this.triggers.map((child) => new Child(child));
    this.#depth = checked.depth;
    const ends = childEnds(this.triggers).filter((end): end is number => end !== null);
    this.#end = ends.length === 0 ? null : ends.reduce((a, b) => Math.min(a, b));
    // With a threshold the fire times depend on where the search started (the agreement at e
    // may overlap the one before it, and then it is skipped): stepped, never jumped into.
    this.#fixed = this.threshold > 0 ? false : combinedKind(this.#children);
  }

  /** The earliest `endDate` among the children that have one, or `null`. */
  get endDate(): Date | null {
    return this.#end === null ? null : new Date(this.#end);
  }

  /**
   * A fixed set when `threshold` is 0 and every child is one; with a threshold, never. @internal
   */
  get [FIXED_SET](): boolean | undefined {
    return this.#fixed;
  }

  /** Levels of and/or nesting, this one included. @internal */
  get [NESTING_DEPTH](): number {
    return this.#depth;
  }

  /**
   * The first agreement at or after `now`, or the first one after the agreement at
   * `previousFireTime` (strictly after it, and after each child's time in it).
   *
   * @param previousFireTime - the slot the job last fired for, or `null`
   * @param now - the current time
   * @throws `MaxIterationsError` when no agreement is found within `maxIterations` rounds
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    checkArguments(previousFireTime, now);
    const thresholdMs = this.threshold * 1000;
    if (previousFireTime === null) {
      const from = now.getTime();
      const times = this.#children.map((child) =>
        child.fixed === true ? firstAtOrAfter(child.trigger, from) : ms(child.trigger.getNextFireTime(null, now)),
      );
      return this.#search(times, from, thresholdMs, now);
    }
    const previous = previousFireTime.getTime();
    // The agreement `previous` fired for: each fixed child's first time at or after it (a
    // counting child's own time is unknown: taken as `previous`). The next one starts after the
    // latest of them. Without a threshold that is `previous` itself, and needs no call; a
    // `previous` that was no agreement (another trigger's, say) is only passed.
    const own = thresholdMs > 0 ? this.#children.map((child) => child.inAgreementAt(previous, now)) : null;
    const latest = own !== null && isAgreement(own, previous, thresholdMs) ? own.reduce((a, b) => Math.max(a, b)) : previous;
    const from = latest + 1;
    const times = this.#children.map((child, i) => {
      if (child.fixed !== true) return child.after(previous, now); // counting (or not yet probed): from `previous`
      const known = own?.[i] ?? null;
      return known !== null && known >= from ? known : firstAtOrAfter(child.trigger, from);
    });
    return this.#search(times, from, thresholdMs, now);
  }

  /**
   * The first agreement at or after `from`, given each child's first candidate time. A round
   * moves every child that is earlier than the target: `from`, or the latest time less the
   * threshold, before which no child time can take part in an agreement (times only grow).
   */
  #search(times: Ms[], from: number, thresholdMs: number, now: Date): Date | null {
    for (let round = 0; ; round++) {
      let [earliest, latest] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
      for (const time of times) {
        if (time === null) return null;
        earliest = Math.min(earliest, time);
        latest = Math.max(latest, time);
      }
      // The agreement found is at or after the earliest time, and must be at or before the end.
      if (this.#end !== null && earliest > this.#end) return null;
      const target = Math.max(from, Math.ceil(latest - thresholdMs));
      if (earliest >= target) return new Date(earliest);
      if (round === this.maxIterations) throw new MaxIterationsError(round, `looking for a time ${this} agrees on`);
      this.#children.forEach((child, i) => {
        const time = times[i] as number;
        if (time < target) times[i] = child.toward(time, target, now);
      });
    }
  }

  /** The next `count` fire times from `from` (default: now), for previews. */
  nextFireTimes(count: number, from: Date = new Date()): Date[] {
    return nextFireTimes(this, count, from);
  }

  /** `{ type: 'and', triggers: [child specs], threshold?, maxIterations?, jitter? }`, defaults left out (a fresh copy). */
  toJSON(): AndTriggerSpec {
    this.#spec ??= specText('and', this.triggers, this.#options());
    return JSON.parse(this.#spec) as AndTriggerSpec;
  }

  /** E.g. `and[interval[every 6s], interval[every 10s], threshold=0s]`. */
  toString(): string {
    this.#text ??= describeCombined('and', this.triggers, this.#options());
    return this.#text;
  }

  #options(): CombinedOption[] {
    return [
      ['threshold', this.threshold, 1],
      ['maxIterations', this.maxIterations, 10_000],
      ['jitter', this.jitter, null],
    ];
  }

  /**
   * Builds a trigger from its JSON spec.
   *
   * @param spec - `{ type: 'and', triggers: [...], threshold?, maxIterations?, jitter? }`
   * @param rebuild - rebuilds one child spec: a registry's `fromJSON`, so nested and custom types work
   * @throws `InvalidTriggerError` naming the path at fault, e.g. `and.triggers[1].hours`; for a
   *   spec nested more than 16 levels deep, the path of the first spec past the limit (checked
   *   before anything is rebuilt)
   */
  static fromJSON(spec: unknown, rebuild: (spec: AnyTriggerSpec) => Trigger): AndTrigger {
    const keys = ['triggers', 'threshold', 'maxIterations', 'jitter'];
    const { type: _type, triggers, ...options } = readSpec(spec, 'and', keys);
    checkSpecDepth(spec);
    return new AndTrigger(rebuildChildren(triggers, 'and', rebuild), options as AndTriggerOptions);
  }
}
