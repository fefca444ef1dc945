/**
 * Nested AndTrigger / OrTrigger trees: every operation is linear in the size of the tree (counted
 * in calls to the leaves, never timed), and the nesting depth is capped with a clear error, for
 * instances and for JSON specs alike.
 */
import { describe, it, expect } from 'vitest';
import { AndTrigger, MAX_TRIGGER_DEPTH, OrTrigger } from '../../src/triggers/combining.js';
import { IntervalTrigger } from '../../src/triggers/interval.js';
import { TriggerRegistry, triggerFromJSON } from '../../src/triggers/registry.js';
import { FIXED_SET } from '../../src/triggers/sequence.js';
import { nextFireTimes } from '../../src/triggers/preview.js';
import type { AnyTriggerSpec } from '../../src/triggers/specs.js';
import type { JsonValue, Trigger } from '../../src/triggers/trigger.js';
import { thrown } from '../helpers/thrown.js';

const SEC = 1_000;
const S = Date.UTC(2026, 0, 1, 9);

/** Calls made to the leaves of a tree. */
interface Calls {
  next: number;
  json: number;
  text: number;
}

/** Every `seconds` seconds from S. */
const every = (seconds: number): IntervalTrigger => new IntervalTrigger({ seconds, startDate: S });

/**
 * `inner`, counting the calls made to it. With `declare`, it passes on inner's fixed-set
 * declaration; without, a combined trigger has to probe it (once).
 */
function counted(inner: Trigger, calls: Calls, declare: boolean): Trigger {
  const trigger: Trigger = {
    getNextFireTime: (previous, now) => (calls.next++, inner.getNextFireTime(previous, now)),
    toJSON: () => (calls.json++, inner.toJSON()),
    toString: () => (calls.text++, inner.toString()),
  };
  if (declare) Object.defineProperty(trigger, FIXED_SET, { get: () => (inner as { [FIXED_SET]?: unknown })[FIXED_SET] });
  return trigger;
}

/**
 * An alternating chain `depth` levels deep: and[or[and[..., leaf], leaf], leaf], with the
 * nested trigger first and a counted leaf second at each level. All leaves fire on the 10 s grid
 * from S (the or leaves every 20 s), so every level fires every 10 s.
 */
function chain(depth: number, calls: Calls, threshold: number, declare: boolean): Trigger {
  let node = counted(every(10), calls, declare);
  for (let level = depth; level >= 1; level--) {
    node =
      level % 2 === 1
        ? new AndTrigger([node, counted(every(10), calls, declare)], { threshold })
        : new OrTrigger([node, counted(every(20), calls, declare)]);
  }
  return node;
}

/** Leaf getNextFireTime calls per fire, over 10 fires after 2 (which may probe kinds). */
function callsPerFire(depth: number, threshold: number, declare: boolean): number {
  const calls: Calls = { next: 0, json: 0, text: 0 };
  const trigger = chain(depth, calls, threshold, declare);
  nextFireTimes(trigger, 2, new Date(S));
  const before = calls.next;
  const times = nextFireTimes(trigger, 10, new Date(S)).map((time) => time.getTime() - S);
  expect(times).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90].map((s) => s * SEC));
  return (calls.next - before) / 10;
}

describe('nested and/or: linear in the size of the tree', () => {
  for (const threshold of [0, 1]) {
    for (const declare of [true, false]) {
      it(`asks the leaves O(depth) times per fire (threshold ${threshold}, ${declare ? 'declared' : 'probed'} leaves)`, () => {
        // Each level asks its nested child once per search round: 5 calls each used to make it 5^depth.
        const [c4, c8, c16] = [4, 8, MAX_TRIGGER_DEPTH].map((depth) => callsPerFire(depth, threshold, declare)) as [number, number, number];
        expect(c8).toBeLessThanOrEqual(2 * c4 + 4);
        expect(c16).toBeLessThanOrEqual(2 * c8 + 4);
        expect(c16).toBeLessThanOrEqual(2 * (MAX_TRIGGER_DEPTH + 1)); // two calls per leaf at most
      });
    }
  }

  it('builds spec and text once: each leaf is asked for its toJSON/toString once per tree', () => {
    const calls: Calls = { next: 0, json: 0, text: 0 };
    const trigger = chain(MAX_TRIGGER_DEPTH, calls, 1, true);
    const leaves = MAX_TRIGGER_DEPTH + 1;
    const spec = trigger.toJSON();
    const text = trigger.toString();
    expect([calls.json, calls.text]).toEqual([leaves, leaves]);
    // Asked again, the tree answers from what it built, and a caller changing its copy changes nothing.
    (spec.triggers as AnyTriggerSpec[]).pop();
    expect(trigger.toJSON()).not.toEqual(spec);
    expect(trigger.toJSON()).toStrictEqual(trigger.toJSON());
    expect(String(trigger)).toBe(text);
    expect([calls.json, calls.text]).toEqual([leaves, leaves]);
    expect(text.match(/interval\[/g)).toHaveLength(leaves);
  });

  it('rebuilds a tree from its spec, and answers endDate, in work linear in its size', () => {
    const calls: Calls = { next: 0, json: 0, text: 0 };
    const spec = chain(MAX_TRIGGER_DEPTH, calls, 0, true).toJSON();
    const rebuilt = triggerFromJSON(spec);
    expect(rebuilt.toJSON()).toStrictEqual(spec);
    expect(rebuilt.endDate).toBeNull();
    // endDate is read from each child once, when the trigger is built.
    let ends = 0;
    const leaf = every(10);
    const withEnd: Trigger = {
      getNextFireTime: (previous, now) => leaf.getNextFireTime(previous, now),
      toJSON: () => leaf.toJSON(),
      toString: () => leaf.toString(),
      get endDate() {
        ends++;
        return new Date(S + 60 * SEC);
      },
    };
    let node: Trigger = withEnd;
    for (let level = 0; level < MAX_TRIGGER_DEPTH; level++) node = level % 2 ? new OrTrigger([node]) : new AndTrigger([node]);
    expect(node.endDate?.getTime()).toBe(S + 60 * SEC);
    expect(node.endDate?.getTime()).toBe(S + 60 * SEC);
    expect(ends).toBe(1);
  });
});

/** A spec nested `depth` levels deep, the nested spec at index 1 of each level. */
function nestedSpec(depth: number): AnyTriggerSpec {
  let spec: { [key: string]: JsonValue } = { type: 'interval', seconds: 10, startDate: '2026-01-01T09:00:00.000Z' };
  for (let level = depth; level >= 1; level--) {
    spec = { type: level % 2 ? 'and' : 'or', triggers: [{ type: 'interval', seconds: 20, startDate: '2026-01-01T09:00:00.000Z' }, spec] };
  }
  return spec as AnyTriggerSpec;
}

/** The path of the first trigger past the limit in {@link nestedSpec} (or the same tree of instances). */
const PAST_LIMIT = `and${'.triggers[1]'.repeat(MAX_TRIGGER_DEPTH)}`;

/** The same tree as {@link nestedSpec}, built with constructors, `depth` levels deep below `top`. */
function nestedInstance(depth: number): Trigger {
  let node: Trigger = every(10);
  for (let level = depth; level >= 1; level--) node = level % 2 ? new AndTrigger([every(20), node]) : new OrTrigger([every(20), node]);
  return node;
}

describe('nested and/or: the depth cap', () => {
  it(`accepts ${MAX_TRIGGER_DEPTH} levels, as instances and as specs`, () => {
    expect(MAX_TRIGGER_DEPTH).toBe(16);
    const trigger = nestedInstance(MAX_TRIGGER_DEPTH);
    expect(triggerFromJSON(trigger.toJSON()).toJSON()).toStrictEqual(nestedSpec(MAX_TRIGGER_DEPTH));
    expect(nextFireTimes(trigger, 2, new Date(S)).map((time) => time.getTime())).toEqual([S, S + 20 * SEC]);
  });

  it('refuses one level more with an InvalidTriggerError naming the path and the limit', () => {
    const inner = nestedInstance(MAX_TRIGGER_DEPTH);
    const error = thrown(() => new AndTrigger([every(20), inner]));
    expect([error.code, error.field]).toEqual(['ERR_INVALID_TRIGGER', PAST_LIMIT]);
    expect(error.message).toContain(`at most ${MAX_TRIGGER_DEPTH} levels deep (MAX_TRIGGER_DEPTH)`);
    expect(thrown(() => new OrTrigger([every(20), inner])).field).toBe(`or${PAST_LIMIT.slice('and'.length)}`);
    // A combined trigger of another copy of the library tells its depth under the same symbol.
    const depthKey = Symbol.for('timetable.trigger.nestingDepth');
    const foreign = { getNextFireTime: () => null, toJSON: () => ({ type: 'x' }), toString: () => 'x', [depthKey]: MAX_TRIGGER_DEPTH };
    expect(thrown(() => new OrTrigger([foreign])).field).toBe('or.triggers[0]');
    expect(new OrTrigger([{ ...foreign, [depthKey]: MAX_TRIGGER_DEPTH - 1 } as Trigger])).toBeInstanceOf(OrTrigger);
  });

  it('refuses a spec nested too deep before rebuilding any of it, however deep (no stack overflow)', () => {
    const registry = new TriggerRegistry();
    const rebuild = (spec: AnyTriggerSpec): Trigger => registry.fromJSON(spec);
    for (const depth of [MAX_TRIGGER_DEPTH + 1, 1000, 100_000]) {
      const spec = nestedSpec(depth);
      const builds = [() => triggerFromJSON(spec), () => registry.fromJSON(spec), () => AndTrigger.fromJSON(spec, rebuild)];
      for (const build of builds) {
        const error = thrown(build);
        expect([error.code, error.field], error.message).toEqual(['ERR_INVALID_TRIGGER', PAST_LIMIT]);
        expect(error.message).toContain(`at most ${MAX_TRIGGER_DEPTH} levels deep`);
      }
    }
    // Also nested under another spec (the path goes on), and a spec that contains itself.
    const wrapped = { type: 'or', triggers: [{ type: 'interval', seconds: 1 }, nestedSpec(100_000)] };
    expect(thrown(() => triggerFromJSON(wrapped)).field).toBe(`or.triggers[1]${PAST_LIMIT.slice(3, -'.triggers[1]'.length)}`);
    const cyclic: { type: string; triggers: unknown[] } = { type: 'and', triggers: [] };
    cyclic.triggers.push(cyclic);
    expect(thrown(() => triggerFromJSON(cyclic)).field).toBe(`and${'.triggers[0]'.repeat(MAX_TRIGGER_DEPTH)}`);
  });
});
