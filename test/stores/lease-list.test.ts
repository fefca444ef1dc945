import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeaseList, type LeaseLink } from '../../src/stores/lease-list.js';

interface Node extends LeaseLink<Node> {
  readonly id: number;
}

const node = (id: number): Node => ({ id, leasePrev: null, leaseNext: null });

describe('LeaseList', () => {
  it('agrees with a Set (its order included) on random adds, deletes, clears and deletes while iterating', () => {
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), id: fc.nat(20) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.nat(20) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const), mod: fc.integer({ min: 1, max: 4 }) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300, size: 'max' }), (ops) => {
        const nodes = Array.from({ length: 21 }, (_, id) => node(id));
        const list = new LeaseList<Node>();
        const model = new Set<number>();
        for (const step of ops) {
          if (step.kind === 'add') {
            list.add(nodes[step.id]!);
            model.add(step.id);
          } else if (step.kind === 'delete') {
            list.delete(nodes[step.id]!);
            model.delete(step.id);
          } else if (step.kind === 'sweep') {
            // Deletes the visited node as the memory store does when taking back expired leases.
            for (const visited of list) {
              if (visited.id % step.mod === 0) {
                list.delete(visited);
                model.delete(visited.id);
              }
            }
          } else {
            list.clear();
            model.clear();
          }
          expect(list.size).toBe(model.size);
          // A Set iterates in insertion order, and adding a member again does not move it.
          expect([...list].map((n) => n.id)).toStrictEqual([...model]);
          expect(list.first?.id).toBe([...model][0]);
          for (const n of nodes) expect(list.has(n)).toBe(model.has(n.id));
        }
      }),
      { numRuns: 300 },
    );
  });
});
