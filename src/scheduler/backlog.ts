/**
 * The due slots of one job, from its stored next run time up to now, split at the misfire grace
 * time into missed and kept ones, in work that does not grow with the length of the outage.
 *
 * A short backlog is walked slot by slot and described exactly. A long one (an every-second job
 * after a night's sleep: 30,000 slots) is walked for {@link MAX_COUNTED_SLOTS} slots, then jumped
 * over where the trigger allows it (see {@link jumperFor}): the first slot inside the grace time,
 * the latest slot due and the first slot after now each cost a handful of trigger calls. Slots
 * jumped over are counted by arithmetic where the trigger is an interval, and otherwise left
 * uncounted (`count: null`) rather than enumerated.
 *
 * @internal
 * @module
 */
import { IntervalTrigger } from '../triggers/interval.js';
import { firstAtOrAfter, isFixedSet } from '../triggers/sequence.js';
import type { Trigger } from '../triggers/trigger.js';
import { fireTime, nextAfter } from './fire-times.js';

/** Slots an event lists one by one; a span of more is described by its first and last slot. */
export const MAX_LISTED_SLOTS = 100;

/** Slots of one job walked one by one in one look before the rest is jumped over. */
export const MAX_COUNTED_SLOTS = 1_000;

/**
 * Most slots walked one by one for a trigger that cannot be jumped over (one that counts from its
 * previous fire time), and most runs of one coalesce-`'all'` catch-up. Beyond it the rest of the
 * backlog is skipped, so no input can stall the loop or exhaust memory.
 */
export const MAX_CATCH_UP = 100_000;

/**
 * Consecutive slots of one job: how many, the first and the last, and each of them when few.
 * What one run (coalesced) or one missed report stands for.
 */
export interface SlotSpan {
  /** The first slot (epoch ms). */
  readonly first: number;
  /** The last slot (epoch ms). */
  readonly last: number;
  /** How many slots; `null` when they were jumped over without being counted. */
  readonly count: number | null;
  /** Every slot in order, when there are at most {@link MAX_LISTED_SLOTS}; else `null`. */
  readonly listed: readonly number[] | null;
}

/** Skips ahead in a trigger's slots from a known slot, without visiting the ones between. */
interface Jumper {
  /** The first slot at or after `x`, or `null`. */
  firstAtOrAfter(x: number): number | null;
  /** The last slot at or before `x` (`x` at or after the known slot). */
  lastAtOrBefore(x: number): number;
  /** How many slots lie in `(a, b]` (both slots), or `null` if that cannot be told cheaply. */
  countBetween(a: number, b: number): number | null;
}

/** Collects a span slot by slot, then possibly extends it by a jump. */
class SpanBuilder {
  first: number | null = null;
  last = 0;
  count: number | null = 0;
  listed: number[] | null = [];

  add(slot: number): void {
    if (this.first === null) this.first = slot;
    this.last = slot;
    if (this.count !== null) this.count++;
    if (this.listed !== null) {
      if (this.listed.length < MAX_LISTED_SLOTS) this.listed.push(slot);
      else this.listed = null;
    }
  }

  /** Extends the span to `last`, `extra` slots later (`null`: not counted). */
  extend(first: number, last: number, extra: number | null): void {
    if (this.first === null) this.first = first;
    this.last = last;
    this.count = this.count === null || extra === null ? null : this.count + extra;
    this.listed = null;
  }

  span(): SlotSpan | null {
    if (this.first === null) return null;
    const listed = this.listed !== null && this.count !== null && this.count <= MAX_LISTED_SLOTS ? this.listed : null;
    return { first: this.first, last: this.last, count: this.count, listed };
  }
}

/** The due slots of one job, split into missed and kept. */
export interface BacklogPlan {
  /** Slots before `keptFrom`. */
  readonly missed: SlotSpan | null;
  /** Slots from `keptFrom` up to now. */
  readonly kept: SlotSpan | null;
  /** The first slot after now, `null` when finished (or when the trigger failed). */
  readonly nextRunTime: number | null;
  /** What the trigger threw while the backlog was walked, or `null`. */
  readonly failure: unknown;
  /** Part of a step-by-step backlog was skipped past {@link MAX_CATCH_UP}. */
  readonly skipped: boolean;
  /** Trigger calls made. */
  readonly calls: number;
}

/**
 * Walks and splits a backlog of at least two due slots: `first` and `second` (both <= now).
 * Slots before `keptFrom` are missed, the others kept.
 */
export function scanBacklog(
  trigger: Trigger,
  first: number,
  second: number,
  now: number,
  keptFrom: number,
  nowDate: Date,
): BacklogPlan {
  const missed = new SpanBuilder();
  const kept = new SpanBuilder();
  const add = (slot: number): void => (slot < keptFrom ? missed : kept).add(slot);
  add(first);
  add(second);
  let calls = 1;
  let last = second;
  let walked = 2;
  let jumper: Jumper | null = null;
  let failure: unknown = null;
  let nextRunTime: number | null = null;
  let skipped = false;
  try {
    for (;;) {
      if (walked === MAX_COUNTED_SLOTS && jumper === null) {
        calls += 3;
        jumper = jumperFor(trigger, last, nowDate);
        if (jumper !== null) break;
      }
      if (walked === MAX_CATCH_UP) {
        // A backlog too long to walk, of a trigger that cannot be jumped over: resume after now.
        skipped = true;
        calls++;
        const resumed = fireTime(trigger, null, new Date(now + 1));
        nextRunTime = resumed !== null && resumed > now ? resumed : null;
        return finish();
      }
      calls++;
      const next = nextAfter(trigger, last, nowDate);
      if (next === null || next > now) {
        nextRunTime = next;
        return finish();
      }
      add(next);
      last = next;
      walked++;
    }
    // Jump over the rest: to the kept part, to its last slot, and past now.
    const lastDue = jumper.lastAtOrBefore(now);
    nextRunTime = jumper.firstAtOrAfter(now + 1);
    calls += 100; // a generous bound on the binary searches' calls
    if (keptFrom > last) {
      const keptFirst = jumper.firstAtOrAfter(keptFrom);
      const lastMissed = keptFirst === null || keptFirst > lastDue ? lastDue : jumper.lastAtOrBefore(keptFrom - 1);
      if (lastMissed > last) missed.extend(jumper.firstAtOrAfter(last + 1) as number, lastMissed, jumper.countBetween(last, lastMissed));
      if (keptFirst !== null && keptFirst <= lastDue) {
        kept.add(keptFirst);
        calls += walkKept(trigger, kept, keptFirst, lastDue, jumper, nowDate);
      }
    } else if (lastDue > last) {
      // The walk already reached the kept part: go on counting it where it is short.
      calls += walkKept(trigger, kept, last, lastDue, jumper, nowDate);
    }
  } catch (error) {
    // The slots found so far still run; the job cannot go on.
    failure = error;
    nextRunTime = null;
  }
  return finish();

  function finish(): BacklogPlan {
    return { missed: missed.span(), kept: kept.span(), nextRunTime, failure, skipped, calls };
  }
}

/**
 * Walks on through the kept part of a jumped-over backlog (it lies within the grace time, so it
 * is usually short) from `from`, a kept slot already added, to `last`, slot by slot while the
 * span holds fewer than {@link MAX_COUNTED_SLOTS}; a longer one is described by its ends.
 * Returns the trigger calls made.
 */
function walkKept(trigger: Trigger, kept: SpanBuilder, from: number, last: number, jumper: Jumper, nowDate: Date): number {
  let slot = from;
  let calls = 0;
  while (slot < last) {
    if (kept.count !== null && kept.count >= MAX_COUNTED_SLOTS) {
      kept.extend(slot, last, jumper.countBetween(slot, last));
      return calls;
    }
    calls++;
    const next = nextAfter(trigger, slot, nowDate);
    if (next === null || next > last) break;
    kept.add(next);
    slot = next;
  }
  return calls;
}

/**
 * How to jump over a trigger's slots from its slot `slot`, or `null` when it can only be
 * stepped. An interval (exactly the built-in class: a subclass may compute times its own way)
 * is jumped by arithmetic, with or without a `startDate`, since its slots after `slot` are
 * `slot + k × interval`. A trigger whose times form a fixed set is jumped by asking it "first at
 * or after t", and the last slot before an instant is found by a binary search on t.
 */
export function jumperFor(trigger: Trigger, slot: number, nowDate: Date): Jumper | null {
  if (Object.getPrototypeOf(trigger) === IntervalTrigger.prototype) {
    const interval = (trigger as IntervalTrigger).intervalMs;
    const end = (trigger as IntervalTrigger).endDate?.getTime() ?? Infinity;
    const lastAtOrBefore = (x: number): number => slot + Math.floor((Math.min(x, end) - slot) / interval) * interval;
    return {
      firstAtOrAfter: (x) => {
        const at = x <= slot ? slot : slot + Math.ceil((x - slot) / interval) * interval;
        return at > end ? null : at;
      },
      lastAtOrBefore,
      countBetween: (a, b) => Math.round((b - a) / interval),
    };
  }
  try {
    if (!isFixedSet(trigger, slot, nowDate)) return null;
  } catch {
    return null; // a custom trigger that fails the probe is stepped, as any other
  }
  const first = (x: number): number | null => {
    const at = firstAtOrAfter(trigger, x);
    if (at !== null && Number.isNaN(at)) throw new TypeError('the trigger returned an Invalid Date');
    return at;
  };
  return {
    firstAtOrAfter: first,
    lastAtOrBefore: (x) => {
      // Invariant: `low` is a slot <= x; no slot lies in [high, x]. Each probe either moves low
      // to a later slot or halves the window, so ~log2(x - slot) probes.
      let low = slot;
      let high = x + 1;
      while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        const at = first(mid);
        if (at !== null && at <= x) low = at;
        else high = mid;
      }
      return low;
    },
    countBetween: () => null,
  };
}
