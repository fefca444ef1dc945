/**
 * Elapsed-time cron schedules (hour `*` or a step) fire in both passes through a fall-back
 * overlap, also when the match in the second pass is the last one for days: the search must not
 * jump ahead from inside the first pass over the repeated wall times. Found by the property test
 * of cron-property.test.ts (America/Santiago, 14 March 1992).
 */
import { describe, it, expect } from 'vitest';
import { CronTrigger, type CronTriggerOptions } from '../../src/triggers/cron/cron-trigger.js';
import { refCompile, referenceNext, type RefSpec } from '../helpers/cron-reference.js';

const DAY = 86_400_000;

const times = (options: CronTriggerOptions, from: string, count: number): string[] =>
  new CronTrigger(options).nextFireTimes(count, new Date(from)).map((d) => d.toISOString());

/** The reference's first `count` fire times (fewer if it finds none within two years). */
function reference(spec: RefSpec, zone: string, from: string, count: number): string[] {
  const compiled = refCompile(spec);
  const out: string[] = [];
  let previous: number | null = null;
  for (let i = 0; i < count; i++) {
    const next = referenceNext(compiled, zone, Date.parse(from), { previous, boundMs: 2 * 366 * DAY });
    if (next === null || next === undefined) break;
    out.push(new Date(next).toISOString());
    previous = next;
  }
  return out;
}

describe('elapsed-time schedules in a fall-back overlap whose second pass holds the last match for days', () => {
  // Each row asks for up to `count` times; the year-bound ones end before it.
  it.each<[string, RefSpec, string, string, number, string[]]>([
    [
      '01:30 on 3 November, New York (01:30 EDT, then 01:30 EST)',
      { month: 11, day: 3, hour: '0-1/1', minute: 30 },
      'America/New_York',
      '2024-11-01T00:00:00Z',
      4,
      ['2024-11-03T04:30:00.000Z', '2024-11-03T05:30:00.000Z', '2024-11-03T06:30:00.000Z', '2025-11-03T05:30:00.000Z'],
    ],
    [
      'the same in 2024 only',
      { year: 2024, month: 11, day: 3, hour: '0-1/1', minute: 30 },
      'America/New_York',
      '2024-11-01T00:00:00Z',
      10,
      ['2024-11-03T04:30:00.000Z', '2024-11-03T05:30:00.000Z', '2024-11-03T06:30:00.000Z'],
    ],
    [
      'the hours of 14 March 1992, Santiago (23:00 twice: the clock went back at midnight)',
      { year: 1992, month: 3, day: 14, hour: '*' },
      'America/Santiago',
      '1992-03-15T01:30:00Z',
      10,
      ['1992-03-15T02:00:00.000Z', '1992-03-15T03:00:00.000Z'],
    ],
  ])('%s', (_name, spec, zone, from, count, expected) => {
    expect(times({ ...spec, timezone: zone }, from, count)).toEqual(expected);
    expect(reference(spec, zone, from, count)).toEqual(expected);
  });

  it('getNextFireTime after the first pass gives the second', () => {
    const trigger = new CronTrigger({ month: 11, day: 3, hour: '0-1/1', minute: 30, timezone: 'America/New_York' });
    const next = trigger.getNextFireTime(new Date('2024-11-03T05:30:00Z'), new Date('2024-11-03T05:30:00Z'));
    expect(next?.toISOString()).toBe('2024-11-03T06:30:00.000Z');
  });
});
