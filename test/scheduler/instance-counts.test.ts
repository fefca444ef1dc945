import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECK_AFTER, InstanceCounts, SWEEP_MS } from '../../src/scheduler/instance-counts.js';
import { VirtualClock } from '../../src/testing/index.js';

describe('InstanceCounts', () => {
  it('agrees with a plain count per id on random adds and removes, with sweeps in between', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), id: fc.nat(30), limit: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.nat(30) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 2 * SWEEP_MS }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000, size: 'max' }), (ops) => {
        const clock = new VirtualClock(0);
        const counts = new InstanceCounts(clock);
        const model = new Map<number, number>();
        for (const step of ops) {
          if (step.kind === 'wait') clock.jump(step.ms);
          else if (step.kind === 'add') {
            const before = model.get(step.id) ?? 0;
            expect(counts.add(String(step.id), step.limit)).toBe(before < step.limit);
            if (before < step.limit) model.set(step.id, before + 1);
          } else {
            counts.remove(String(step.id));
            model.set(step.id, Math.max(0, (model.get(step.id) ?? 0) - 1));
          }
        }
        for (let id = 0; id <= 30; id++) expect(counts.get(String(id))).toBe(model.get(id) ?? 0);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps zero counts until a minute has passed, then sweeps them and nothing else', () => {
    const clock = new VirtualClock(0);
    const counts = new InstanceCounts(clock);
    counts.add('busy', 1);
    const cycle = () => {
      for (let i = 0; i < CHECK_AFTER; i++) {
        counts.add(`job-${i}`, 1);
        counts.remove(`job-${i}`);
      }
    };
    cycle();
    expect(counts.size).toBe(CHECK_AFTER + 1); // kept: no churn for jobs that run again soon
    clock.jump(SWEEP_MS - 1);
    cycle();
    expect(counts.size).toBe(CHECK_AFTER + 1);
    clock.jump(1);
    cycle();
    expect(counts.size).toBe(1);
    expect(counts.get('busy')).toBe(1);
  });
});
