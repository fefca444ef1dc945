import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECK_AFTER, InstanceCounts, SWEEP_MS, type InstanceCount } from '../../src/scheduler/instance-counts.js';
import { VirtualClock } from '../../src/testing/index.js';

describe('InstanceCounts', () => {
  it('agrees with a plain count per id on random adds and ends of runs, with sweeps in between', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), id: fc.nat(30), limit: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('end' as const), id: fc.nat(30) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 2 * SWEEP_MS }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000, size: 'max' }), (ops) => {
        const clock = new VirtualClock(0);
        const counts = new InstanceCounts(clock);
        // The model: the counts handed to the runs of each id that have not ended.
        const held = new Map<number, InstanceCount[]>();
        for (const step of ops) {
          const runs = held.get(step.kind === 'wait' ? -1 : step.id) ?? [];
          if (step.kind === 'wait') clock.jump(step.ms);
          else if (step.kind === 'add') {
            const count = counts.add(String(step.id), step.limit);
            expect(count === null).toBe(runs.length >= step.limit);
            if (count !== null) held.set(step.id, [...runs, count]);
          } else if (runs.length > 0) {
            counts.remove(runs[0] as InstanceCount);
            held.set(step.id, runs.slice(1));
          }
        }
        for (let id = 0; id <= 30; id++) expect(counts.get(String(id))).toBe(held.get(id)?.length ?? 0);
      }),
      { numRuns: 100 },
    );
  });

  it('never counts below zero: a count ended twice still lets the job run again up to its limit', () => {
    const clock = new VirtualClock(0);
    const counts = new InstanceCounts(clock);
    const first = counts.add('a', 1) as InstanceCount;
    counts.remove(first);
    counts.remove(first);
    expect(counts.get('a')).toBe(0);
    expect(counts.add('a', 1)).not.toBeNull();
    expect(counts.add('a', 1)).toBeNull();
  });

  it('keeps zero counts until a minute has passed, then sweeps them and nothing else', () => {
    const clock = new VirtualClock(0);
    const counts = new InstanceCounts(clock);
    counts.add('busy', 1);
    const cycle = () => {
      for (let i = 0; i < CHECK_AFTER; i++) counts.remove(counts.add(`job-${i}`, 1) as InstanceCount);
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
