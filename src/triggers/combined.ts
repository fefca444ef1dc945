/**
 * What `AndTrigger` and `OrTrigger` share: checking and rebuilding their children, the cap on
 * their nesting depth, their JSON spec and text, and {@link Child}, a child whose kind (fixed set
 * or counting, see `./sequence.ts`) is decided once.
 *
 * Every operation on a combined trigger is linear in the size of its tree. A nested combined
 * trigger builds its spec and text once, so its parent reads them rather than having them
 * rebuilt (which doubled the work per level); and a search asks each child once per round, never
 * probing its kind again (which multiplied the calls per level).
 *
 * @internal
 * @module
 */
import type { JsonValue } from '../json.js';
import type { AnyTriggerSpec } from './specs.js';
import type { Trigger } from './trigger.js';
import { InvalidArgumentError, InvalidTriggerError, describeValue } from '../errors.js';
import { isPlainObject } from '../internal/validate.js';
import { triggerFail } from './dates.js';
import { declaredFixedSet, firstAtOrAfter, isFixedSet, jumpAfter, stepFrom } from './sequence.js';

/**
 * The most levels of `AndTrigger` / `OrTrigger` nesting: a combined trigger whose children are
 * all other triggers is one level. Deeper trees are refused with an `InvalidTriggerError`, both
 * as instances and as JSON specs, so no stored spec can overflow the stack when it is rebuilt.
 */
export const MAX_TRIGGER_DEPTH = 16;

/**
 * Key of the getter by which a combined trigger tells its nesting depth. `Symbol.for`, so a
 * trigger built by one copy of the library (ESM) is understood by another (CJS).
 */
export const NESTING_DEPTH: unique symbol = Symbol.for('timetable.trigger.nestingDepth') as never;

/** A trigger that may be a combined one. */
interface MaybeCombined {
  readonly [NESTING_DEPTH]?: unknown;
  readonly triggers?: unknown;
}

/** A fire time in epoch milliseconds, `null` when there is none. */
export type Ms = number | null;

/** Epoch milliseconds of a date, or `null`. */
export const ms = (date: Date | null | undefined): Ms => (date == null ? null : date.getTime());

/** How many levels of and/or `trigger` has: 0 for any other trigger. */
export function nestingDepth(trigger: unknown): number {
  const depth = (trigger as MaybeCombined | null)?.[NESTING_DEPTH];
  return typeof depth === 'number' && Number.isInteger(depth) && depth > 0 ? depth : 0;
}

/** The error for a combined trigger at level `MAX_TRIGGER_DEPTH + 1`, at `field`. */
function tooDeep(field: string, value: unknown): InvalidTriggerError {
  const reason = `and/or triggers nest at most ${MAX_TRIGGER_DEPTH} levels deep (MAX_TRIGGER_DEPTH); this one is level ${MAX_TRIGGER_DEPTH + 1}`;
  return new InvalidTriggerError(field, value, reason);
}

/** The checked children of a combined trigger, and its nesting depth. */
export interface CheckedChildren {
  /** A frozen copy of the children. */
  readonly triggers: readonly Trigger[];
  /** 1 + the deepest child's depth. */
  readonly depth: number;
}

/** Checks the children given to a constructor: a non-empty array of triggers, nested at most `MAX_TRIGGER_DEPTH` deep. */
export function checkChildren(triggers: unknown, type: string): CheckedChildren {
  const empty = !Array.isArray(triggers) || triggers.length === 0;
  if (empty) throw triggerFail(`${type}.triggers`, triggers, 'a non-empty array of triggers');
  triggers.forEach((child: unknown, i) => {
    const t = child as Partial<Record<keyof Trigger, unknown>> | null;
    if (typeof t?.getNextFireTime !== 'function' || typeof t.toJSON !== 'function') {
      throw triggerFail(`${type}.triggers[${i}]`, child, 'a trigger (with getNextFireTime and toJSON methods)');
    }
  });
  const children = Object.freeze([...(triggers as Trigger[])]);
  const depth = 1 + children.reduce((deepest, child) => Math.max(deepest, nestingDepth(child)), 0);
  if (depth > MAX_TRIGGER_DEPTH) throw tooDeepChild(children, type);
  return { triggers: children, depth };
}

/**
 * The error for children nested too deep, naming the path to the first trigger (depth first)
 * that lies below the last level allowed: `and.triggers[0].triggers[1]...`, as for a spec.
 */
function tooDeepChild(children: readonly Trigger[], type: string): InvalidTriggerError {
  let field = `${type}.triggers`;
  let list: readonly unknown[] = children;
  // The new trigger is level 1; a child at `level` with depth d spans levels level..level+d-1.
  for (let level = 2; ; level++) {
    const index = list.findIndex((child) => level + nestingDepth(child) - 1 > MAX_TRIGGER_DEPTH);
    if (index < 0) return tooDeep(field, list); // a child misreported its depth
    const child = list[index] as MaybeCombined;
    field += `[${index}]`;
    if (level > MAX_TRIGGER_DEPTH || !Array.isArray(child.triggers)) return tooDeep(field, child);
    field += '.triggers';
    list = child.triggers as unknown[];
  }
}

/** An and/or spec with an array of children (the only specs whose nesting is checked). */
function isCombinedSpec(value: unknown): value is { type: string; triggers: unknown[] } {
  return isPlainObject(value) && (value.type === 'and' || value.type === 'or') && Array.isArray(value.triggers);
}

/**
 * Checks that an and/or spec nests at most `MAX_TRIGGER_DEPTH` levels, before any of it is
 * rebuilt: a spec nested far deeper (100,000 levels, or a cycle) would otherwise overflow the
 * stack while being rebuilt or turned into a cache key. Iterative, and it never looks below
 * the first level past the limit, so its work is bounded by the part of the spec it accepts.
 *
 * @throws `InvalidTriggerError` naming the path of the first spec (depth first) past the limit
 */
export function checkSpecDepth(spec: unknown): void {
  if (!isCombinedSpec(spec)) return;
  // One frame per level, from the spec (level 1) down: its children, the next index, its path.
  const stack = [{ triggers: spec.triggers, next: 0, path: `${spec.type}.triggers` }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    if (frame.next >= frame.triggers.length) {
      stack.pop();
      continue;
    }
    const index = frame.next++;
    const child = frame.triggers[index];
    if (!isCombinedSpec(child)) continue;
    const path = `${frame.path}[${index}]`;
    if (stack.length + 1 > MAX_TRIGGER_DEPTH) throw tooDeep(path, child); // the child is level stack.length + 1
    stack.push({ triggers: child.triggers, next: 0, path: `${path}.triggers` });
  }
}

/** Rebuilds the children of a spec; their errors name the path: `and.triggers[1].hours`. */
export function rebuildChildren(specs: unknown, type: string, rebuild: (spec: AnyTriggerSpec) => Trigger): Trigger[] {
  const empty = !Array.isArray(specs) || specs.length === 0;
  if (empty) throw triggerFail(`${type}.triggers`, specs, 'a non-empty array of trigger specs');
  return specs.map((child: unknown, i) => {
    try {
      return rebuild(child as AnyTriggerSpec);
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

/** An option of a combined trigger: name, value and default; shown only when not the default. */
export type CombinedOption = readonly [name: string, value: number | null, fallback: number | null];

/**
 * The JSON text of a combined trigger's spec: `{ type, triggers: [child specs], ...options }`,
 * options left out when they have their default. Each child's `toJSON()` is called once; the
 * caller keeps the text, and hands out a fresh copy of it (`JSON.parse`) on each `toJSON()`.
 */
export function specText(type: string, children: readonly Trigger[], options: readonly CombinedOption[]): string {
  const spec: AnyTriggerSpec = { type, triggers: children.map((child) => child.toJSON() as JsonValue) };
  for (const [name, value, fallback] of options) if (value !== fallback) spec[name] = value;
  return JSON.stringify(spec);
}

/** The text of a combined trigger, e.g. `and[interval[every 6s], cron[...], threshold=0s]`. */
export function describeCombined(type: string, children: readonly Trigger[], options: readonly CombinedOption[]): string {
  const parts = children.map(String);
  for (const [name, value, fallback] of options) {
    if (value !== fallback) parts.push(`${name}=${value}${name === 'maxIterations' ? '' : 's'}`);
  }
  return `${type}[${parts.join(', ')}]`;
}

/** Each child's `endDate` in epoch milliseconds; `null` for none (or an invalid one). */
export function childEnds(children: readonly Trigger[]): Ms[] {
  return children.map((child) => {
    const end = ms(child.endDate);
    return end === null || Number.isNaN(end) ? null : end;
  });
}

/** Throws `InvalidArgumentError` unless `previous` is `null` or a valid `Date`, and `now` a valid `Date`. */
export function checkArguments(previous: Date | null, now: Date): void {
  for (const [field, value] of [['previousFireTime', previous], ['now', now]] as const) {
    const valid = (value === null && field === 'previousFireTime') || (value instanceof Date && !Number.isNaN(value.getTime()));
    if (!valid) throw new InvalidArgumentError(field, value, 'a valid Date');
  }
}

/**
 * One child of a combined trigger, with its kind: a **fixed set** is asked "your first time at
 * or after t" for any t, and skips ahead in one call; a **counting** child is stepped from its
 * own fire times. The kind is the child's `FIXED_SET` declaration; a child that declares none is
 * probed once, on one of its own fire times, and the answer kept (assuming, as for every
 * well-behaved trigger, that it is one kind or the other throughout). Probing once, and asking
 * once per search round, is what keeps nested and/or trees linear rather than exponential.
 */
export class Child {
  /** The child trigger. */
  readonly trigger: Trigger;
  /** Its kind; `undefined` until an undeclared child has been probed. */
  #fixed: boolean | undefined;

  /** @param trigger - the child trigger */
  constructor(trigger: Trigger) {
    this.trigger = trigger;
    this.#fixed = declaredFixedSet(trigger);
  }

  /** Its kind if known: declared, or probed already. */
  get fixed(): boolean | undefined {
    return this.#fixed;
  }

  /** Is it a fixed set? Probed at `t`, one of its own fire times, the first time it matters. */
  isFixed(t: number, now: Date): boolean {
    this.#fixed ??= isFixedSet(this.trigger, t, now);
    return this.#fixed;
  }

  /**
   * Its first fire time strictly after `t`, which need not be one of its own (the combined
   * trigger's previous fire time): jumped to if a fixed set, else stepped with `t` as its
   * previous fire time, as APScheduler 3 does.
   */
  after(t: number, now: Date): Ms {
    if (this.#fixed === false) return stepFrom(this.trigger, t, now);
    const jump = jumpAfter(this.trigger, t);
    if (this.#fixed === true) return jump;
    return jump !== null && this.isFixed(jump, now) ? jump : stepFrom(this.trigger, t, now);
  }

  /**
   * Moves it on from `own`, one of its own fire times, towards `target`: to its first time at
   * or after `target` if a fixed set, else one step (a counting child cannot skip).
   */
  toward(own: number, target: number, now: Date): Ms {
    return this.isFixed(own, now) ? firstAtOrAfter(this.trigger, target) : stepFrom(this.trigger, own, now);
  }

  /**
   * Its own time in an agreement whose earliest time is `t`: its first time at or after `t` if
   * a fixed set (a search only ever moves it to its first time at or after some target <= t);
   * `t` itself for a counting child, whose own time cannot be known without state.
   */
  inAgreementAt(t: number, now: Date): Ms {
    if (this.#fixed === false) return t;
    const first = firstAtOrAfter(this.trigger, t);
    if (this.#fixed === true) return first;
    return first !== null && this.isFixed(first, now) ? first : t;
  }
}

/**
 * The kind a combined trigger declares from its children's declarations: `false` if any child
 * counts, `true` if all are fixed sets, `undefined` (a parent probes) otherwise.
 */
export function combinedKind(children: readonly Child[]): boolean | undefined {
  if (children.some((child) => child.fixed === false)) return false;
  return children.every((child) => child.fixed === true) ? true : undefined;
}
