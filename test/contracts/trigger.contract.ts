/**
 * The trigger contract as fast-check properties. Call `triggerContract(name, arbitrary)` from a
 * test file; every trigger type (built-in or custom) must pass it.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Trigger } from '../../src/triggers/trigger.js';
import { TriggerRegistry } from '../../src/triggers/registry.js';

/** A trigger under test, with the registry that can rebuild it (a fresh default one if absent). */
export interface TriggerCase {
  trigger: Trigger;
  registry?: TriggerRegistry;
}

/** Tuning of {@link triggerContract}. */
export interface TriggerContractOptions {
  /**
   * The first fire time may be before `now`. Only for triggers whose single time is fixed (a
   * past DateTrigger returns its date; misfire rules decide what runs).
   */
  firstMayBePast?: boolean;
  /** The `now` values to try. Default: 1990-2100. */
  now?: fc.Arbitrary<Date>;
  /** How many successive fire times each case follows. Default 25. */
  steps?: number;
  /** fast-check runs per property. Default 200. */
  numRuns?: number;
}

const DEFAULT_NOW = fc.date({
  min: new Date('1990-01-01T00:00:00.000Z'),
  max: new Date('2100-01-01T00:00:00.000Z'),
  noInvalidDate: true,
});

/** Follows a trigger from `now`: its first fire time and the ones after, up to `steps`. */
function follow(trigger: Trigger, now: Date, steps: number): Date[] {
  const times: Date[] = [];
  let next = trigger.getNextFireTime(null, now);
  while (next !== null && times.length < steps) {
    times.push(next);
    next = trigger.getNextFireTime(next, now);
  }
  return times;
}

const millis = (times: readonly (Date | null)[]): (number | null)[] => times.map((t) => (t === null ? null : t.getTime()));

/**
 * Declares the contract's `describe`/`it` blocks for the triggers `arbitrary` generates.
 *
 * @param name - shown in the test names
 * @param arbitrary - generates the triggers to check
 * @param options - see {@link TriggerContractOptions}
 */
export function triggerContract(
  name: string,
  arbitrary: fc.Arbitrary<TriggerCase>,
  options: TriggerContractOptions = {},
): void {
  const nowArb = options.now ?? DEFAULT_NOW;
  const steps = options.steps ?? 25;
  const params = { numRuns: options.numRuns ?? 200 };

  describe(`${name} — trigger contract`, () => {
    it('returns successive fire times that strictly increase', () => {
      fc.assert(
        fc.property(arbitrary, nowArb, ({ trigger }, now) => {
          const times = millis(follow(trigger, now, steps));
          for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
        }),
        params,
      );
    });

    it('returns, after any previous fire time, a strictly later time (or null)', () => {
      fc.assert(
        fc.property(arbitrary, nowArb, nowArb, ({ trigger }, previous, now) => {
          const next = trigger.getNextFireTime(previous, now);
          if (next !== null) expect(next.getTime()).toBeGreaterThan(previous.getTime());
        }),
        params,
      );
    });

    if (!options.firstMayBePast) {
      it('never returns a first fire time before now', () => {
        fc.assert(
          fc.property(arbitrary, nowArb, ({ trigger }, now) => {
            const first = trigger.getNextFireTime(null, now);
            if (first !== null) expect(first.getTime()).toBeGreaterThanOrEqual(now.getTime());
          }),
          params,
        );
      });
    }

    it('never fires after its endDate', () => {
      fc.assert(
        fc.property(arbitrary, nowArb, nowArb, ({ trigger }, now, previous) => {
          const end = trigger.endDate?.getTime() ?? Number.POSITIVE_INFINITY;
          for (const time of follow(trigger, now, steps)) expect(time.getTime()).toBeLessThanOrEqual(end);
          const next = trigger.getNextFireTime(previous, now);
          if (next !== null) expect(next.getTime()).toBeLessThanOrEqual(end);
        }),
        params,
      );
    });

    it('is pure: the same arguments give the same answer, and the arguments are not mutated', () => {
      fc.assert(
        fc.property(arbitrary, nowArb, fc.option(nowArb, { nil: null }), ({ trigger }, now, previous) => {
          const [nowMs, previousMs] = [now.getTime(), previous?.getTime()];
          const first = trigger.getNextFireTime(previous, now);
          expect(now.getTime()).toBe(nowMs);
          expect(previous?.getTime()).toBe(previousMs);
          const again = trigger.getNextFireTime(previous === null ? null : new Date(previousMs!), new Date(nowMs));
          expect(millis([again])).toEqual(millis([first]));
        }),
        params,
      );
    });

    it('has a JSON-safe toJSON() with a string type', () => {
      fc.assert(
        fc.property(arbitrary, ({ trigger }) => {
          const spec = trigger.toJSON();
          expect(typeof spec.type).toBe('string');
          expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
        }),
        params,
      );
    });

    it('round-trips through registry.fromJSON() to an equal trigger', () => {
      fc.assert(
        fc.property(arbitrary, nowArb, ({ trigger, registry }, now) => {
          const spec = trigger.toJSON();
          const rebuilt = (registry ?? new TriggerRegistry()).fromJSON(JSON.parse(JSON.stringify(spec)));
          expect(rebuilt.toJSON()).toStrictEqual(spec);
          expect(millis(follow(rebuilt, now, steps))).toEqual(millis(follow(trigger, now, steps)));
          expect(rebuilt.endDate?.getTime() ?? null).toBe(trigger.endDate?.getTime() ?? null);
          expect(rebuilt.jitter ?? null).toBe(trigger.jitter ?? null);
        }),
        params,
      );
    });

    it('describes itself with a non-empty toString()', () => {
      fc.assert(
        fc.property(arbitrary, ({ trigger }) => {
          const text = trigger.toString();
          expect(typeof text).toBe('string');
          expect(text.length).toBeGreaterThan(0);
          expect(text).not.toBe('[object Object]');
        }),
        { numRuns: 20 },
      );
    });
  });
}
