import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsoMemo } from '../../src/internal/iso-memo.js';

describe('IsoMemo', () => {
  it('agrees with Date.parse and toISOString on any sequence of repeated and new instants', () => {
    const instant = fc.integer({ min: 0, max: 4 }).map((k) => Date.UTC(2026, 0, 1) + k * 1000);
    const step = fc.oneof(fc.record({ ms: instant, way: fc.constant('toIso' as const) }), fc.record({ ms: instant, way: fc.constant('toMs' as const) }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const memo = new IsoMemo();
        for (const { ms, way } of steps) {
          const iso = new Date(ms).toISOString();
          if (way === 'toIso') expect(memo.toIso(ms)).toBe(iso);
          else expect(memo.toMs(iso)).toBe(ms);
        }
      }),
    );
  });
});
