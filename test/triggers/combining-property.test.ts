/**
 * Property tests of random AndTrigger / OrTrigger trees over interval, date, cron (and counting)
 * children: agreement with a brute-force reference that enumerates the children's times in a
 * window, and the trigger contract (increasing, never before the previous time or now, JSON
 * round trip through the registry to a trigger with identical results).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AndTrigger, OrTrigger } from '../../src/triggers/combining.js';
import { IntervalTrigger, type IntervalTriggerOptions } from '../../src/triggers/interval.js';
import { DateTrigger } from '../../src/triggers/date.js';
import { CronTrigger } from '../../src/triggers/cron/cron-trigger.js';
import { CalendarIntervalTrigger } from '../../src/triggers/calendar-interval.js';
import { triggerFromJSON } from '../../src/triggers/registry.js';
import { MaxIterationsError } from '../../src/errors.js';
import type { Trigger } from '../../src/triggers/trigger.js';
import { triggerContract } from '../contracts/trigger.contract.js';

const SEC = 1_000;
const MIN = 60 * SEC;
const DAY = 24 * 60 * MIN;
/** A whole minute: the grid most children share. */
const G = Date.UTC(2026, 2, 29, 0, 30);

/** A random tree, kept as data so that the reference can walk it. */
type Shape =
  | { kind: 'interval'; seconds: number; start: number | null; end: number | null }
  | { kind: 'date'; at: number }
  | { kind: 'cron'; second: string; minute: string }
  | { kind: 'calendar'; days: number }
  | { kind: 'or'; children: Shape[] }
  | { kind: 'and'; children: Shape[]; threshold: number };

function build(shape: Shape): Trigger {
  switch (shape.kind) {
    case 'interval': {
      const options: IntervalTriggerOptions = { seconds: shape.seconds };
      if (shape.start !== null) options.startDate = shape.start;
      if (shape.end !== null) options.endDate = shape.end;
      return new IntervalTrigger(options);
    }
    case 'date':
      return new DateTrigger(shape.at);
    case 'cron':
      return new CronTrigger({ second: shape.second, minute: shape.minute, timezone: 'UTC' });
    case 'calendar':
      return new CalendarIntervalTrigger({ days: shape.days, hour: 6, timezone: 'UTC' });
    case 'or':
      return new OrTrigger(shape.children.map(build));
    case 'and':
      return new AndTrigger(shape.children.map(build), { threshold: shape.threshold });
  }
}

// ---------------------------------------------------------------------------------------------
// The reference: fixed-set trees only (every inner node a union or an exact intersection), whose
// root may be an and with a threshold.

/** The window the reference enumerates, and the `now` values tried in it. */
const [W0, W1] = [G - 2 * MIN, G + 62 * MIN];

/** The sorted fire times of a fixed-set shape in [W0, W1]: leaves walked, inner nodes set-combined. */
function timesOf(shape: Shape): number[] {
  if (shape.kind === 'or') return [...new Set(shape.children.flatMap(timesOf))].sort((a, b) => a - b);
  if (shape.kind === 'and') {
    if (shape.threshold !== 0) throw new Error('inner ands of the reference agree exactly');
    const [first, ...rest] = shape.children.map((child) => new Set(timesOf(child)));
    return [...first!].filter((t) => rest.every((set) => set.has(t))).sort((a, b) => a - b);
  }
  const leaf = build(shape);
  const times: number[] = [];
  for (let next = leaf.getNextFireTime(null, new Date(W0)); next !== null && next.getTime() <= W1; ) {
    times.push(next.getTime());
    next = leaf.getNextFireTime(next, new Date(W0));
  }
  return times;
}

/** The first of the sorted `times` at or after `t`, or Infinity. */
function firstAtOrAfter(times: readonly number[], t: number): number {
  let [low, high] = [0, times.length];
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((times[mid] as number) < t) low = mid + 1;
    else high = mid;
  }
  return times[low] ?? Number.POSITIVE_INFINITY;
}

/**
 * The first answer of a shape from `now` (no previous fire time): the first time at or after
 * `now`, except that an or whose children have none answers with their earliest past one (a past
 * date answers with its date, and misfire rules decide), as the date alone does.
 */
function firstAnswer(shape: Shape, now: number): number | null {
  if (shape.kind === 'and') {
    const first = firstAtOrAfter(timesOf(shape), now);
    return first === Number.POSITIVE_INFINITY ? null : first;
  }
  if (shape.kind !== 'or') return build(shape).getNextFireTime(null, new Date(now))?.getTime() ?? null;
  const answers = shape.children.map((child) => firstAnswer(child, now)).filter((t): t is number => t !== null);
  const future = answers.filter((t) => t >= now);
  return future.length > 0 ? Math.min(...future) : answers.length > 0 ? Math.min(...answers) : null;
}

/**
 * The root's fire times from `now` up to `limit`, by brute force over every candidate time. An
 * or fires each time of the union (from its first answer). An and fires at each time e (one of its children's) at or
 * after `from` at which every child has a time in [e, e + threshold] (APScheduler 4 fires at the
 * earliest of the agreeing times); the next one is searched after the latest of those times,
 * so that every child has moved past its own time in the agreement.
 */
function reference(root: Shape, now: number, limit: number): number[] {
  if (root.kind !== 'and') {
    const first = firstAnswer(root, now);
    return first === null || first > limit ? [] : [first, ...timesOf(root).filter((t) => t > first && t <= limit)];
  }
  const children = root.children.map(timesOf);
  const candidates = [...new Set(children.flat())].sort((a, b) => a - b);
  const fires: number[] = [];
  for (let from = now; ; ) {
    let found = false;
    for (const e of candidates) {
      if (e < from) continue;
      if (e > limit) return fires;
      const own = children.map((times) => firstAtOrAfter(times, e));
      if (own.every((t) => t <= e + root.threshold * SEC)) {
        fires.push(e);
        from = Math.max(...own) + 1;
        found = true;
        break;
      }
    }
    if (!found) return fires;
  }
}

/** The trigger's fire times from `now` up to `limit` (stopping, as the reference would not, when a search gives up). */
function follow(trigger: Trigger, now: number, limit: number): number[] {
  const fires: number[] = [];
  try {
    for (let next = trigger.getNextFireTime(null, new Date(now)); next !== null && next.getTime() <= limit; ) {
      fires.push(next.getTime());
      next = trigger.getNextFireTime(next, new Date(now));
    }
  } catch (error) {
    if (!(error instanceof MaxIterationsError)) throw error;
  }
  return fires;
}

/** Does the shape stop firing: a date, an interval that ends, an or of such, an and with one? */
function finite(shape: Shape): boolean {
  if (shape.kind === 'date') return true;
  if (shape.kind === 'interval') return shape.end !== null;
  if (shape.kind === 'or') return shape.children.every(finite);
  if (shape.kind === 'and') return shape.children.some(finite);
  return false;
}

/**
 * Does every and below the root finish, or go on agreeing for ever? Past the last endDate (one
 * hour after G) the children repeat every 2 minutes at most, so an and that agrees in the last
 * 2 minutes of the window agrees for ever; one that finishes answers `null`.
 */
function innerAndsAgree(root: Shape): boolean {
  const check = (shape: Shape): boolean => {
    if (shape.kind !== 'or' && shape.kind !== 'and') return true;
    if (shape.kind === 'and' && !finite(shape) && !timesOf(shape).some((t) => t > W1 - 2 * MIN)) return false;
    return shape.children.every(check);
  };
  return root.kind === 'or' || root.kind === 'and' ? root.children.every(check) : true;
}

const PERIODS = [5, 10, 15, 20, 30, 60];
const halfSecond = (min: number, max: number) => fc.integer({ min, max }).map((k) => k * 500);

/** Fixed-set leaves near the window, on grids shifted by half seconds (so thresholds matter). */
const fixedLeafArb: fc.Arbitrary<Shape> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('interval' as const),
      seconds: fc.constantFrom(...PERIODS),
      start: fc.oneof(halfSecond(-240, 240), fc.integer({ min: -24, max: 24 }).map((k) => k * 5 * SEC)).map((offset) => G + offset),
      end: fc.option(fc.integer({ min: 10, max: 60 }).map((minutes) => G + minutes * MIN), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('date' as const), at: halfSecond(0, 7200).map((offset) => G + offset) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cron' as const),
      second: fc.constantFrom('*/10', '*/15', '0,20,45', '30'),
      minute: fc.constantFrom('*', '*/2'),
    }),
  },
);

/** Fixed-set trees `depth` levels deep at most: unions and exact intersections. */
function fixedArb(depth: number): fc.Arbitrary<Shape> {
  if (depth === 0) return fixedLeafArb;
  const children = fc.array(fixedArb(depth - 1), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 2, arbitrary: fixedLeafArb },
    { weight: 1, arbitrary: children.map((c): Shape => ({ kind: 'or', children: c })) },
    { weight: 1, arbitrary: children.map((c): Shape => ({ kind: 'and', children: c, threshold: 0 })) },
  );
}

const rootArb: fc.Arbitrary<Shape> = fc
  .record({
    and: fc.boolean(),
    children: fc.array(fixedArb(3), { minLength: 1, maxLength: 3 }),
    threshold: fc.constantFrom(0, 0.5, 1, 2, 5),
  })
  .map(({ and, children, threshold }): Shape => (and ? { kind: 'and', children, threshold } : { kind: 'or', children }));

describe('AndTrigger / OrTrigger trees against a brute-force reference', () => {
  it('fire exactly at the reference times in the window, also when rebuilt from JSON', () => {
    fc.assert(
      fc.property(rootArb, halfSecond(-120, 3600).map((offset) => G + offset), (root, now) => {
        // An inner and that never agrees throws MaxIterationsError, where the reference sees no times.
        fc.pre(innerAndsAgree(root));
        const trigger = build(root);
        // Agreements up to `limit` need no child time past the window.
        const limit = W1 - (root.kind === 'and' ? root.threshold * SEC : 0) - 1;
        const expected = reference(root, now, limit);
        expect(follow(trigger, now, limit)).toEqual(expected);
        expect(follow(triggerFromJSON(JSON.parse(JSON.stringify(trigger.toJSON()))), now, limit)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The contract, on trees that always agree somewhere: every aligned node fires at each whole
// minute (an or whose first child is aligned, an exact and of aligned nodes), so no search gives
// up. Or nodes may also hold children off the grid: counting intervals and calendar intervals,
// dates, intervals that end, and ands with a threshold (which fire at the earliest time of an
// agreement, so not on the grid: 5 s early, say, next to a child that fires every 15 s).

/** Children that fire at every whole minute around G. */
const alignedLeafArb: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({
    kind: fc.constant('interval' as const),
    seconds: fc.constantFrom(...PERIODS),
    start: fc.constantFrom(G - 2 * DAY, G - 2 * DAY + 60 * MIN),
    end: fc.constant(null),
  }),
  fc.record({ kind: fc.constant('cron' as const), second: fc.constantFrom('*/10', '*/15', '0,20,45', '0'), minute: fc.constant('*') }),
);

/** Leaves off the grid, only ever next to an aligned child in an or. */
const extraLeafArb: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({ kind: fc.constant('interval' as const), seconds: fc.constantFrom(7, 13, 45), start: fc.constant(null), end: fc.constant(null) }),
  fc.record({ kind: fc.constant('calendar' as const), days: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('date' as const), at: fc.integer({ min: 2 * DAY, max: 3 * DAY }).map((offset) => G + offset) }),
  fc.record({
    kind: fc.constant('interval' as const),
    seconds: fc.constantFrom(...PERIODS),
    start: fc.constant(G + 500),
    end: fc.integer({ min: 2 * DAY, max: 3 * DAY }).map((offset) => G + offset),
  }),
);

/** An and with a threshold of aligned children: it agrees often, but off the grid. */
const thresholdAnd = (inner: fc.Arbitrary<Shape>): fc.Arbitrary<Shape> =>
  fc
    .tuple(fc.array(inner, { minLength: 1, maxLength: 3 }), fc.constantFrom(0.5, 1, 5))
    .map(([children, threshold]): Shape => ({ kind: 'and', children, threshold }));

/** Nodes `depth` levels deep at most that fire at every whole minute. */
function alignedArb(depth: number): fc.Arbitrary<Shape> {
  if (depth === 0) return alignedLeafArb;
  const inner = alignedArb(depth - 1);
  const or = fc
    .tuple(inner, fc.array(fc.oneof(inner, extraLeafArb, thresholdAnd(inner)), { maxLength: 2 }))
    .map(([first, rest]): Shape => ({ kind: 'or', children: [first, ...rest] }));
  const and = fc
    .array(inner, { minLength: 1, maxLength: 3 })
    .map((children): Shape => ({ kind: 'and', children, threshold: 0 }));
  return fc.oneof({ weight: 1, arbitrary: alignedLeafArb }, { weight: 2, arbitrary: or }, { weight: 2, arbitrary: and });
}

triggerContract(
  'random and/or trees',
  fc.oneof(alignedArb(4), thresholdAnd(alignedArb(3))).map((shape) => ({ trigger: build(shape) })),
  { numRuns: 60, steps: 15, now: fc.integer({ min: G - DAY, max: G + DAY }).map((t) => new Date(t)) },
);
