import { describe, expect, it } from 'vitest';
import { JobIds } from '../../src/scheduler/job-ids.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('JobIds', () => {
  it('makes version-4 UUIDs, distinct across several refills of its pool', () => {
    const ids = new JobIds();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = ids.next();
      expect(id).toMatch(UUID_V4);
      seen.add(id);
    }
    expect(seen.size).toBe(1000);
  });

  it('uses every hex digit in every free position (the bytes are random, not a pattern)', () => {
    const ids = new JobIds();
    const digits = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) [...ids.next()].forEach((c, at) => digits[at]!.add(c));
    const fixed = new Map([[8, '-'], [13, '-'], [18, '-'], [23, '-'], [14, '4']]);
    digits.forEach((seen, at) => {
      if (fixed.has(at)) expect([...seen]).toEqual([fixed.get(at)]);
      else if (at === 19) expect([...seen].sort()).toEqual(['8', '9', 'a', 'b']);
      else expect(seen.size).toBe(16);
    });
  });

  it('two generators do not repeat each other (no fixed seed)', () => {
    const a = new JobIds();
    const b = new JobIds();
    const fromA = new Set(Array.from({ length: 300 }, () => a.next()));
    for (let i = 0; i < 300; i++) expect(fromA.has(b.next())).toBe(false);
  });
});
