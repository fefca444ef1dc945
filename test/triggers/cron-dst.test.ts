/**
 * Daylight saving time tables for the cron trigger (SPEC §3.3): exact instants around both
 * transitions of 2024 in five zones with different kinds of DST.
 *
 * Expected instants are hard ISO strings with the local offset written out, so each one reads as
 * the local wall time it stands for and nothing depends on the host's zone (this file is also run
 * under `TZ=Asia/Tokyo`). Every table row is also checked against the brute-force reference of
 * `test/helpers/cron-reference.ts`.
 *
 * The 2024 transitions (from the tz database, checked with luxon):
 *
 * | zone                | spring forward (gap)                          | fall back (overlap)                              |
 * |---------------------|-----------------------------------------------|--------------------------------------------------|
 * | America/New_York    | Mar 10 02:00 EST -> 03:00 EDT (07:00Z)        | Nov 3 02:00 EDT -> 01:00 EST (06:00Z)            |
 * | Europe/Berlin       | Mar 31 02:00 CET -> 03:00 CEST (01:00Z)       | Oct 27 03:00 CEST -> 02:00 CET (01:00Z)          |
 * | Australia/Sydney    | Oct 6 02:00 AEST -> 03:00 AEDT (Oct 5 16:00Z) | Apr 7 03:00 AEDT -> 02:00 AEST (Apr 6 16:00Z)    |
 * | Australia/Lord_Howe | Oct 6 02:00 +10:30 -> 02:30 +11 (15:30Z)      | Apr 7 02:00 +11 -> 01:30 +10:30 (Apr 6 15:00Z)   |
 * | America/Santiago    | Sep 8 00:00 -04 -> 01:00 -03 (04:00Z)         | Apr 7 00:00 -03 -> Apr 6 23:00 -04 (03:00Z)      |
 * | Pacific/Chatham     | Sep 29 02:45 +12:45 -> 03:45 +13:45 (14:00Z)  | Apr 7 03:45 +13:45 -> 02:45 +12:45 (14:00Z)      |
 */
import { describe, it, expect } from 'vitest';
import { CronTrigger, type CronTriggerOptions } from '../../src/triggers/cron/cron-trigger.js';
import { referenceSeries, refTransitions, type RefSpec } from '../helpers/cron-reference.js';

const SECOND = 1000;
/** Normalises a hard ISO string (with its offset) to the UTC form `toISOString` gives. */
const utc = (text: string): string => new Date(text).toISOString();
const iso = (t: number | Date | null | undefined): string =>
  t === null || t === undefined ? String(t) : new Date(t instanceof Date ? t.getTime() : t).toISOString();

type Fields = Omit<CronTriggerOptions, 'timezone' | 'expression' | 'startDate' | 'endDate' | 'jitter'>;

/** The first `count` fire times of the field-form trigger, asked from `from`. */
function fires(zone: string, fields: Fields, from: string, count: number): string[] {
  return new CronTrigger({ ...fields, timezone: zone }).nextFireTimes(count, new Date(from)).map(iso);
}

function referenceFires(zone: string, fields: Fields, from: string, count: number): string[] {
  return referenceSeries(fields as RefSpec, zone, Date.parse(from), count).map(iso);
}

interface Row {
  /** What the row shows. */
  what: string;
  fields: Fields;
  from: string;
  /** Local wall times with their offset. */
  expected: string[];
  /** The same schedule as a crontab string, when there is one. */
  crontab?: string;
}

/** Declares one `it` per row: the implementation (and the crontab form) and the reference. */
function table(zone: string, rows: Row[]): void {
  for (const row of rows) {
    it(`${row.what}: ${JSON.stringify(row.fields)} from ${row.from}`, () => {
      const expected = row.expected.map(utc);
      expect(fires(zone, row.fields, row.from, expected.length)).toEqual(expected);
      if (row.crontab !== undefined) {
        const trigger = CronTrigger.fromCrontab(row.crontab, { timezone: zone });
        expect(trigger.nextFireTimes(expected.length, new Date(row.from)).map(iso)).toEqual(expected);
      }
      expect(referenceFires(zone, row.fields, row.from, expected.length)).toEqual(expected);
    });
  }
}

/** `count` consecutive whole seconds from `start`, as ISO strings. */
function everySecond(start: string, count: number): string[] {
  const t0 = Date.parse(start);
  return Array.from({ length: count }, (_, i) => iso(t0 + i * SECOND));
}

describe('the transition instants these tables assume', () => {
  it.each([
    ['America/New_York', ['2024-03-10T07:00:00Z', '2024-11-03T06:00:00Z']],
    ['Europe/Berlin', ['2024-03-31T01:00:00Z', '2024-10-27T01:00:00Z']],
    ['Australia/Sydney', ['2024-04-06T16:00:00Z', '2024-10-05T16:00:00Z']],
    ['Australia/Lord_Howe', ['2024-04-06T15:00:00Z', '2024-10-05T15:30:00Z']],
    ['America/Santiago', ['2024-04-07T03:00:00Z', '2024-09-08T04:00:00Z']],
    ['Pacific/Chatham', ['2024-04-06T14:00:00Z', '2024-09-28T14:00:00Z']],
  ])('%s', (zone, expected) => {
    expect(refTransitions(zone, 2024).map(iso)).toEqual(expected.map(utc));
  });
});

describe('America/New_York (02:00 -> 03:00 in March, 02:00 -> 01:00 in November)', () => {
  table('America/New_York', [
    {
      what: 'a fixed time inside the gap fires once, at the gap end (03:00 EDT)',
      fields: { hour: 2, minute: 30 },
      crontab: '30 2 * * *',
      from: '2024-03-09T12:00:00-05:00',
      expected: ['2024-03-10T03:00:00-04:00', '2024-03-11T02:30:00-04:00', '2024-03-12T02:30:00-04:00'],
    },
    {
      what: 'two fixed times inside the gap (02:00, 02:30) give a single fire at 03:00 EDT',
      fields: { hour: '1-2', minute: '*/30' },
      from: '2024-03-10T00:00:00-05:00',
      expected: ['2024-03-10T01:00:00-05:00', '2024-03-10T01:30:00-05:00', '2024-03-10T03:00:00-04:00', '2024-03-11T01:00:00-04:00'],
    },
    {
      what: 'a fixed time inside the overlap fires at its first occurrence (EDT) only',
      fields: { hour: 1, minute: 30 },
      crontab: '30 1 * * *',
      from: '2024-11-02T12:00:00-04:00',
      expected: ['2024-11-03T01:30:00-04:00', '2024-11-04T01:30:00-05:00', '2024-11-05T01:30:00-05:00'],
    },
    {
      what: 'asked from inside the second pass (01:10 EST), 01:30 EST does not fire',
      fields: { hour: 1, minute: 30 },
      crontab: '30 1 * * *',
      from: '2024-11-03T01:10:00-05:00',
      expected: ['2024-11-04T01:30:00-05:00'],
    },
    {
      what: 'asked exactly at the repeated 01:30 EST, it still does not fire',
      fields: { hour: 1, minute: 30 },
      from: '2024-11-03T01:30:00-05:00',
      expected: ['2024-11-04T01:30:00-05:00'],
    },
    {
      what: 'asked between the first 01:30 and the transition',
      fields: { hour: 1, minute: 30 },
      from: '2024-11-03T01:45:00-04:00',
      expected: ['2024-11-04T01:30:00-05:00'],
    },
    {
      what: 'a fixed hour list: 01:00 and 01:30 EDT, nothing in the second pass, then 02:00 EST',
      fields: { hour: '1-2', minute: '*/30' },
      from: '2024-11-03T00:00:00-04:00',
      expected: [
        '2024-11-03T01:00:00-04:00',
        '2024-11-03T01:30:00-04:00',
        '2024-11-03T02:00:00-05:00',
        '2024-11-03T02:30:00-05:00',
        '2024-11-04T01:00:00-05:00',
      ],
    },
    {
      what: 'minute */15 fires in both passes of the repeated hour (every 15 real minutes)',
      fields: { minute: '*/15' },
      crontab: '*/15 * * * *',
      from: '2024-11-03T00:50:00-04:00',
      expected: [
        '2024-11-03T01:00:00-04:00',
        '2024-11-03T01:15:00-04:00',
        '2024-11-03T01:30:00-04:00',
        '2024-11-03T01:45:00-04:00',
        '2024-11-03T01:00:00-05:00',
        '2024-11-03T01:15:00-05:00',
        '2024-11-03T01:30:00-05:00',
        '2024-11-03T01:45:00-05:00',
        '2024-11-03T02:00:00-05:00',
        '2024-11-03T02:15:00-05:00',
      ],
    },
    {
      what: 'minute */15 invents nothing in the gap',
      fields: { minute: '*/15' },
      crontab: '*/15 * * * *',
      from: '2024-03-10T01:20:00-05:00',
      expected: ['2024-03-10T01:30:00-05:00', '2024-03-10T01:45:00-05:00', '2024-03-10T03:00:00-04:00', '2024-03-10T03:15:00-04:00'],
    },
    {
      what: '{ hour: 0, minute: 0 } fires at every local midnight (spring)',
      fields: { hour: 0, minute: 0 },
      crontab: '@daily',
      from: '2024-03-08T12:00:00-05:00',
      expected: ['2024-03-09T00:00:00-05:00', '2024-03-10T00:00:00-05:00', '2024-03-11T00:00:00-04:00'],
    },
    {
      what: '{ hour: 0, minute: 0 } fires at every local midnight (fall)',
      fields: { hour: 0, minute: 0 },
      crontab: '@daily',
      from: '2024-11-01T12:00:00-04:00',
      expected: ['2024-11-02T00:00:00-04:00', '2024-11-03T00:00:00-04:00', '2024-11-04T00:00:00-05:00'],
    },
    {
      // Elapsed time: 02:00 EDT is never shown (01:59:59 EDT is followed by 01:00 EST), 02:00 EST is.
      what: 'hour */2 through the overlap',
      fields: { hour: '*/2' },
      crontab: '0 */2 * * *',
      from: '2024-11-02T23:00:00-04:00',
      expected: ['2024-11-03T00:00:00-04:00', '2024-11-03T02:00:00-05:00', '2024-11-03T04:00:00-05:00', '2024-11-03T06:00:00-05:00'],
    },
    {
      what: 'hour */2 through the gap: 02:00 does not exist and is simply absent',
      fields: { hour: '*/2' },
      crontab: '0 */2 * * *',
      from: '2024-03-09T23:00:00-05:00',
      expected: ['2024-03-10T00:00:00-05:00', '2024-03-10T04:00:00-04:00', '2024-03-10T06:00:00-04:00', '2024-03-10T08:00:00-04:00'],
    },
  ]);

  it('second: * fires every real second across both transitions (no gap, no duplicate)', () => {
    // Four minutes around each transition: 240 consecutive real seconds.
    for (const from of ['2024-11-03T01:58:00-04:00', '2024-03-10T01:58:00-05:00']) {
      const got = fires('America/New_York', { second: '*' }, from, 240);
      expect(got).toEqual(everySecond(from, 240));
      expect(new Set(got).size).toBe(240);
    }
    // The local reading of the seconds around the transitions, as hard strings.
    expect(fires('America/New_York', { second: '*' }, '2024-11-03T01:59:58-04:00', 4)).toEqual(
      ['2024-11-03T01:59:58-04:00', '2024-11-03T01:59:59-04:00', '2024-11-03T01:00:00-05:00', '2024-11-03T01:00:01-05:00'].map(utc),
    );
    expect(fires('America/New_York', { second: '*' }, '2024-03-10T01:59:58-05:00', 4)).toEqual(
      ['2024-03-10T01:59:58-05:00', '2024-03-10T01:59:59-05:00', '2024-03-10T03:00:00-04:00', '2024-03-10T03:00:01-04:00'].map(utc),
    );
    expect(referenceFires('America/New_York', { second: '*' }, '2024-11-03T01:58:00-04:00', 240)).toEqual(
      everySecond('2024-11-03T01:58:00-04:00', 240),
    );
  });

  it('a fixed hour with every second fires through the first pass only, then the next day', () => {
    const from = '2024-11-03T00:59:00-04:00';
    const got = fires('America/New_York', { hour: 1, minute: '*', second: '*/30' }, from, 121);
    expect(got[0]).toBe(utc('2024-11-03T01:00:00-04:00'));
    expect(got[119]).toBe(utc('2024-11-03T01:59:30-04:00'));
    expect(got[120]).toBe(utc('2024-11-04T01:00:00-05:00'));
    expect(referenceFires('America/New_York', { hour: 1, minute: '*', second: '*/30' }, from, 121)).toEqual(got);
  });

  it('getNextFireTime with the first occurrence as previous skips the second one', () => {
    const trigger = new CronTrigger({ hour: 1, minute: 30, timezone: 'America/New_York' });
    const first = new Date('2024-11-03T01:30:00-04:00');
    expect(iso(trigger.getNextFireTime(first, first))).toBe(utc('2024-11-04T01:30:00-05:00'));
    expect(iso(trigger.getNextFireTime(first, new Date('2024-11-03T01:30:00-05:00')))).toBe(utc('2024-11-04T01:30:00-05:00'));
  });

  it('a trigger created inside the second pass (startDate there) keeps the rule of its DST mode', () => {
    const startDate = '2024-11-03T01:10:00-05:00';
    const now = new Date('2024-11-01T00:00:00Z');
    // fixed time: 01:30 was already shown (in EDT), so not again
    const fixed = new CronTrigger({ hour: 1, minute: 30, startDate, timezone: 'America/New_York' });
    expect(iso(fixed.getNextFireTime(null, now))).toBe(utc('2024-11-04T01:30:00-05:00'));
    // elapsed time: 01:30 EST is a real instant at which the clock shows :30
    const elapsed = new CronTrigger({ minute: 30, startDate, timezone: 'America/New_York' });
    expect(iso(elapsed.getNextFireTime(null, now))).toBe(utc('2024-11-03T01:30:00-05:00'));
  });
});

describe('Europe/Berlin (02:00 -> 03:00 in March, 03:00 -> 02:00 in October)', () => {
  table('Europe/Berlin', [
    {
      what: 'a fixed time inside the gap fires once, at 03:00 CEST',
      fields: { hour: 2, minute: 30 },
      crontab: '30 2 * * *',
      from: '2024-03-30T12:00:00+01:00',
      expected: ['2024-03-31T03:00:00+02:00', '2024-04-01T02:30:00+02:00', '2024-04-02T02:30:00+02:00'],
    },
    {
      what: 'a fixed time inside the overlap fires at its first occurrence (CEST) only',
      fields: { hour: 2, minute: 30 },
      crontab: '30 2 * * *',
      from: '2024-10-26T12:00:00+02:00',
      expected: ['2024-10-27T02:30:00+02:00', '2024-10-28T02:30:00+01:00'],
    },
    {
      what: 'asked from inside the second pass (02:10 CET)',
      fields: { hour: 2, minute: 30 },
      from: '2024-10-27T02:10:00+01:00',
      expected: ['2024-10-28T02:30:00+01:00'],
    },
    {
      what: 'minute */15 fires in both passes of the repeated hour',
      fields: { minute: '*/15' },
      from: '2024-10-27T02:20:00+02:00',
      expected: [
        '2024-10-27T02:30:00+02:00',
        '2024-10-27T02:45:00+02:00',
        '2024-10-27T02:00:00+01:00',
        '2024-10-27T02:15:00+01:00',
        '2024-10-27T02:30:00+01:00',
        '2024-10-27T02:45:00+01:00',
        '2024-10-27T03:00:00+01:00',
        '2024-10-27T03:15:00+01:00',
      ],
    },
    {
      what: 'minute */15 invents nothing in the gap',
      fields: { minute: '*/15' },
      from: '2024-03-31T01:20:00+01:00',
      expected: ['2024-03-31T01:30:00+01:00', '2024-03-31T01:45:00+01:00', '2024-03-31T03:00:00+02:00', '2024-03-31T03:15:00+02:00'],
    },
    {
      what: '{ hour: 0, minute: 0 } (spring)',
      fields: { hour: 0, minute: 0 },
      from: '2024-03-29T12:00:00+01:00',
      expected: ['2024-03-30T00:00:00+01:00', '2024-03-31T00:00:00+01:00', '2024-04-01T00:00:00+02:00'],
    },
    {
      what: '{ hour: 0, minute: 0 } (fall)',
      fields: { hour: 0, minute: 0 },
      from: '2024-10-25T12:00:00+02:00',
      expected: ['2024-10-26T00:00:00+02:00', '2024-10-27T00:00:00+02:00', '2024-10-28T00:00:00+01:00'],
    },
    {
      what: 'hour */2 through the gap (02:00 absent)',
      fields: { hour: '*/2' },
      from: '2024-03-30T23:00:00+01:00',
      expected: ['2024-03-31T00:00:00+01:00', '2024-03-31T04:00:00+02:00', '2024-03-31T06:00:00+02:00', '2024-03-31T08:00:00+02:00'],
    },
    {
      what: 'hour */2 through the overlap: 02:00 CEST and 02:00 CET both fire',
      fields: { hour: '*/2' },
      crontab: '0 */2 * * *',
      from: '2024-10-26T23:00:00+02:00',
      expected: [
        '2024-10-27T00:00:00+02:00',
        '2024-10-27T02:00:00+02:00',
        '2024-10-27T02:00:00+01:00',
        '2024-10-27T04:00:00+01:00',
        '2024-10-27T06:00:00+01:00',
      ],
    },
  ]);

  it('second: * fires every real second across both transitions', () => {
    for (const from of ['2024-10-27T02:58:30+02:00', '2024-03-31T01:58:30+01:00']) {
      expect(fires('Europe/Berlin', { second: '*' }, from, 180)).toEqual(everySecond(from, 180));
    }
    expect(fires('Europe/Berlin', { second: '*' }, '2024-10-27T02:59:59+02:00', 2)).toEqual(
      ['2024-10-27T02:59:59+02:00', '2024-10-27T02:00:00+01:00'].map(utc),
    );
    expect(fires('Europe/Berlin', { second: '*' }, '2024-03-31T01:59:59+01:00', 2)).toEqual(
      ['2024-03-31T01:59:59+01:00', '2024-03-31T03:00:00+02:00'].map(utc),
    );
  });
});

describe('Australia/Sydney (southern hemisphere: fall back in April, spring forward in October)', () => {
  table('Australia/Sydney', [
    {
      what: 'a fixed time inside the October gap fires at 03:00 AEDT',
      fields: { hour: 2, minute: 30 },
      crontab: '30 2 * * *',
      from: '2024-10-05T12:00:00+10:00',
      expected: ['2024-10-06T03:00:00+11:00', '2024-10-07T02:30:00+11:00'],
    },
    {
      what: 'a fixed time inside the April overlap fires at its first occurrence (AEDT) only',
      fields: { hour: 2, minute: 30 },
      crontab: '30 2 * * *',
      from: '2024-04-06T12:00:00+11:00',
      expected: ['2024-04-07T02:30:00+11:00', '2024-04-08T02:30:00+10:00'],
    },
    {
      what: 'asked from inside the second pass (02:10 AEST)',
      fields: { hour: 2, minute: 30 },
      from: '2024-04-07T02:10:00+10:00',
      expected: ['2024-04-08T02:30:00+10:00'],
    },
    {
      what: 'minute */15 fires in both passes of the repeated hour',
      fields: { minute: '*/15' },
      from: '2024-04-07T02:20:00+11:00',
      expected: [
        '2024-04-07T02:30:00+11:00',
        '2024-04-07T02:45:00+11:00',
        '2024-04-07T02:00:00+10:00',
        '2024-04-07T02:15:00+10:00',
        '2024-04-07T02:30:00+10:00',
        '2024-04-07T02:45:00+10:00',
        '2024-04-07T03:00:00+10:00',
      ],
    },
    {
      what: 'minute */15 invents nothing in the gap',
      fields: { minute: '*/15' },
      from: '2024-10-06T01:20:00+10:00',
      expected: ['2024-10-06T01:30:00+10:00', '2024-10-06T01:45:00+10:00', '2024-10-06T03:00:00+11:00', '2024-10-06T03:15:00+11:00'],
    },
    {
      what: '{ hour: 0, minute: 0 } (April)',
      fields: { hour: 0, minute: 0 },
      from: '2024-04-05T12:00:00+11:00',
      expected: ['2024-04-06T00:00:00+11:00', '2024-04-07T00:00:00+11:00', '2024-04-08T00:00:00+10:00'],
    },
    {
      what: '{ hour: 0, minute: 0 } (October)',
      fields: { hour: 0, minute: 0 },
      from: '2024-10-04T12:00:00+10:00',
      expected: ['2024-10-05T00:00:00+10:00', '2024-10-06T00:00:00+10:00', '2024-10-07T00:00:00+11:00'],
    },
    {
      what: 'hour */2 through the overlap (02:00 twice)',
      fields: { hour: '*/2' },
      from: '2024-04-06T23:00:00+11:00',
      expected: ['2024-04-07T00:00:00+11:00', '2024-04-07T02:00:00+11:00', '2024-04-07T02:00:00+10:00', '2024-04-07T04:00:00+10:00'],
    },
    {
      what: 'hour */2 through the gap (02:00 absent)',
      fields: { hour: '*/2' },
      from: '2024-10-05T23:00:00+10:00',
      expected: ['2024-10-06T00:00:00+10:00', '2024-10-06T04:00:00+11:00', '2024-10-06T06:00:00+11:00'],
    },
  ]);

  it('second: * fires every real second across both transitions', () => {
    for (const from of ['2024-04-07T02:58:30+11:00', '2024-10-06T01:58:30+10:00']) {
      expect(fires('Australia/Sydney', { second: '*' }, from, 180)).toEqual(everySecond(from, 180));
    }
    expect(fires('Australia/Sydney', { second: '*' }, '2024-04-07T02:59:59+11:00', 2)).toEqual(
      ['2024-04-07T02:59:59+11:00', '2024-04-07T02:00:00+10:00'].map(utc),
    );
    expect(fires('Australia/Sydney', { second: '*' }, '2024-10-06T01:59:59+10:00', 2)).toEqual(
      ['2024-10-06T01:59:59+10:00', '2024-10-06T03:00:00+11:00'].map(utc),
    );
  });
});

describe('Australia/Lord_Howe (30-minute shift: +10:30 <-> +11)', () => {
  table('Australia/Lord_Howe', [
    {
      what: 'a fixed time inside the 30-minute gap fires at the gap end (02:30 +11)',
      fields: { hour: 2, minute: 15 },
      from: '2024-10-05T12:00:00+10:30',
      expected: ['2024-10-06T02:30:00+11:00', '2024-10-07T02:15:00+11:00'],
    },
    {
      // 02:00 and 02:15 do not exist; 02:30 is the gap end itself: all three are one fire.
      what: 'times in the gap and the gap end itself fire once, together',
      fields: { hour: 2, minute: '0,15,30,45' },
      from: '2024-10-05T12:00:00+10:30',
      expected: ['2024-10-06T02:30:00+11:00', '2024-10-06T02:45:00+11:00', '2024-10-07T02:00:00+11:00', '2024-10-07T02:15:00+11:00'],
    },
    {
      what: 'a fixed time inside the 30-minute overlap fires at its first occurrence only',
      fields: { hour: 1, minute: 45 },
      crontab: '45 1 * * *',
      from: '2024-04-06T12:00:00+11:00',
      expected: ['2024-04-07T01:45:00+11:00', '2024-04-08T01:45:00+10:30'],
    },
    {
      what: 'asked from inside the second pass (01:35 +10:30)',
      fields: { hour: 1, minute: 45 },
      from: '2024-04-07T01:35:00+10:30',
      expected: ['2024-04-08T01:45:00+10:30'],
    },
    {
      what: 'minute */15 fires in both passes of the repeated half hour',
      fields: { minute: '*/15' },
      crontab: '*/15 * * * *',
      from: '2024-04-07T01:20:00+11:00',
      expected: [
        '2024-04-07T01:30:00+11:00',
        '2024-04-07T01:45:00+11:00',
        '2024-04-07T01:30:00+10:30',
        '2024-04-07T01:45:00+10:30',
        '2024-04-07T02:00:00+10:30',
        '2024-04-07T02:15:00+10:30',
        '2024-04-07T02:30:00+10:30',
      ],
    },
    {
      what: 'minute */15 invents nothing in the 30-minute gap (02:00, 02:15 absent)',
      fields: { minute: '*/15' },
      crontab: '*/15 * * * *',
      from: '2024-10-06T01:20:00+10:30',
      expected: [
        '2024-10-06T01:30:00+10:30',
        '2024-10-06T01:45:00+10:30',
        '2024-10-06T02:30:00+11:00',
        '2024-10-06T02:45:00+11:00',
        '2024-10-06T03:00:00+11:00',
      ],
    },
    {
      what: '{ hour: 0, minute: 0 } (April)',
      fields: { hour: 0, minute: 0 },
      from: '2024-04-05T12:00:00+11:00',
      expected: ['2024-04-06T00:00:00+11:00', '2024-04-07T00:00:00+11:00', '2024-04-08T00:00:00+10:30'],
    },
    {
      what: '{ hour: 0, minute: 0 } (October)',
      fields: { hour: 0, minute: 0 },
      from: '2024-10-04T12:00:00+10:30',
      expected: ['2024-10-05T00:00:00+10:30', '2024-10-06T00:00:00+10:30', '2024-10-07T00:00:00+11:00'],
    },
    {
      // 01:59:59 +11 is followed by 01:30 +10:30: 02:00 +11 is never shown.
      what: 'hour */2 through the overlap',
      fields: { hour: '*/2' },
      from: '2024-04-06T23:00:00+11:00',
      expected: ['2024-04-07T00:00:00+11:00', '2024-04-07T02:00:00+10:30', '2024-04-07T04:00:00+10:30'],
    },
    {
      what: 'hour */2 through the gap (02:00 absent)',
      fields: { hour: '*/2' },
      from: '2024-10-05T23:00:00+10:30',
      expected: ['2024-10-06T00:00:00+10:30', '2024-10-06T04:00:00+11:00', '2024-10-06T06:00:00+11:00'],
    },
  ]);

  it('second: * fires every real second across both transitions', () => {
    for (const from of ['2024-04-07T01:58:30+11:00', '2024-10-06T01:58:30+10:30']) {
      expect(fires('Australia/Lord_Howe', { second: '*' }, from, 180)).toEqual(everySecond(from, 180));
    }
    expect(fires('Australia/Lord_Howe', { second: '*' }, '2024-04-07T01:59:59+11:00', 2)).toEqual(
      ['2024-04-07T01:59:59+11:00', '2024-04-07T01:30:00+10:30'].map(utc),
    );
    expect(fires('Australia/Lord_Howe', { second: '*' }, '2024-10-06T01:59:59+10:30', 2)).toEqual(
      ['2024-10-06T01:59:59+10:30', '2024-10-06T02:30:00+11:00'].map(utc),
    );
  });
});

describe('America/Santiago (transitions at midnight)', () => {
  table('America/Santiago', [
    {
      what: 'a fixed time inside the midnight gap fires at 01:00 -03',
      fields: { hour: 0, minute: 30 },
      from: '2024-09-07T12:00:00-04:00',
      expected: ['2024-09-08T01:00:00-03:00', '2024-09-09T00:30:00-03:00'],
    },
    {
      // The local date Sep 8 has no midnight: the daily trigger still fires once that date.
      what: '{ hour: 0, minute: 0 } still fires once on the gap day, at 01:00 -03',
      fields: { hour: 0, minute: 0 },
      crontab: '@daily',
      from: '2024-09-06T12:00:00-04:00',
      expected: ['2024-09-07T00:00:00-04:00', '2024-09-08T01:00:00-03:00', '2024-09-09T00:00:00-03:00'],
    },
    {
      // At 03:00Z the clock would show Sunday 00:00 -03 but shows Saturday 23:00 -04 instead:
      // Sunday's midnight first appears an hour later, at 00:00 -04.
      what: '{ hour: 0, minute: 0 } around the fall back (Saturday 23:00-24:00 is repeated)',
      fields: { hour: 0, minute: 0 },
      crontab: '@daily',
      from: '2024-04-05T12:00:00-03:00',
      expected: ['2024-04-06T00:00:00-03:00', '2024-04-07T00:00:00-04:00', '2024-04-08T00:00:00-04:00'],
    },
    {
      what: 'a fixed time inside the overlap (Saturday 23:30) fires at its first occurrence only',
      fields: { hour: 23, minute: 30 },
      crontab: '30 23 * * *',
      from: '2024-04-06T12:00:00-03:00',
      expected: ['2024-04-06T23:30:00-03:00', '2024-04-07T23:30:00-04:00'],
    },
    {
      what: 'asked from inside the second pass (23:10 -04)',
      fields: { hour: 23, minute: 30 },
      from: '2024-04-06T23:10:00-04:00',
      expected: ['2024-04-07T23:30:00-04:00'],
    },
    {
      what: 'minute */15 fires in both passes of the repeated hour, across the date line back',
      fields: { minute: '*/15' },
      from: '2024-04-06T23:20:00-03:00',
      expected: [
        '2024-04-06T23:30:00-03:00',
        '2024-04-06T23:45:00-03:00',
        '2024-04-06T23:00:00-04:00',
        '2024-04-06T23:15:00-04:00',
        '2024-04-06T23:30:00-04:00',
        '2024-04-06T23:45:00-04:00',
        '2024-04-07T00:00:00-04:00',
      ],
    },
    {
      what: 'minute */15 invents nothing in the midnight gap',
      fields: { minute: '*/15' },
      from: '2024-09-07T23:20:00-04:00',
      expected: ['2024-09-07T23:30:00-04:00', '2024-09-07T23:45:00-04:00', '2024-09-08T01:00:00-03:00', '2024-09-08T01:15:00-03:00'],
    },
    {
      // Elapsed time: midnight of Sep 8 does not exist and is absent (unlike the fixed { hour: 0 }).
      what: 'hour */2 through the gap',
      fields: { hour: '*/2' },
      crontab: '0 */2 * * *',
      from: '2024-09-07T21:30:00-04:00',
      expected: ['2024-09-07T22:00:00-04:00', '2024-09-08T02:00:00-03:00', '2024-09-08T04:00:00-03:00'],
    },
    {
      what: 'hour */2 through the overlap (only 23:xx repeats; 22:00 and 00:00 once each)',
      fields: { hour: '*/2' },
      from: '2024-04-06T21:30:00-03:00',
      expected: ['2024-04-06T22:00:00-03:00', '2024-04-07T00:00:00-04:00', '2024-04-07T02:00:00-04:00'],
    },
  ]);

  it('second: * fires every real second across both transitions', () => {
    for (const from of ['2024-04-06T23:58:30-03:00', '2024-09-07T23:58:30-04:00']) {
      expect(fires('America/Santiago', { second: '*' }, from, 180)).toEqual(everySecond(from, 180));
    }
    expect(fires('America/Santiago', { second: '*' }, '2024-04-06T23:59:59-03:00', 2)).toEqual(
      ['2024-04-06T23:59:59-03:00', '2024-04-06T23:00:00-04:00'].map(utc),
    );
    expect(fires('America/Santiago', { second: '*' }, '2024-09-07T23:59:59-04:00', 2)).toEqual(
      ['2024-09-07T23:59:59-04:00', '2024-09-08T01:00:00-03:00'].map(utc),
    );
  });

  it('weekly on Sunday 00:00 fires on the gap Sunday at 01:00 -03 (the skipped date is still a Sunday)', () => {
    const trigger = new CronTrigger({ dayOfWeek: 'sun', hour: 0, timezone: 'America/Santiago' });
    expect(trigger.nextFireTimes(2, new Date('2024-09-05T00:00:00Z')).map(iso)).toEqual(
      ['2024-09-08T01:00:00-03:00', '2024-09-15T00:00:00-03:00'].map(utc),
    );
  });
});

describe('Pacific/Chatham (+12:45 / +13:45, transition at 02:45 local)', () => {
  table('Pacific/Chatham', [
    {
      what: 'a fixed time inside the gap (03:00) fires at the gap end, 03:45 +13:45',
      fields: { hour: 3, minute: 0 },
      from: '2024-09-28T12:00:00+12:45',
      expected: ['2024-09-29T03:45:00+13:45', '2024-09-30T03:00:00+13:45'],
    },
    {
      what: 'minute */15 across the gap: every 15 real minutes',
      fields: { minute: '*/15' },
      from: '2024-09-29T02:20:00+12:45',
      expected: ['2024-09-29T02:30:00+12:45', '2024-09-29T03:45:00+13:45', '2024-09-29T04:00:00+13:45'],
    },
  ]);
});

describe('results never depend on the host time zone', () => {
  /** A few answers worth checking under any TZ, as hard strings. */
  function answers(): string[] {
    return [
      ...fires('America/New_York', { hour: 2, minute: 30 }, '2024-03-09T12:00:00-05:00', 2),
      ...fires('Europe/Berlin', { minute: '*/15' }, '2024-10-27T02:20:00+02:00', 4),
      ...fires('Australia/Lord_Howe', { hour: 1, minute: 45 }, '2024-04-07T01:35:00+10:30', 1),
      ...fires('America/Santiago', { hour: 0, minute: 0 }, '2024-09-06T12:00:00-04:00', 3),
      ...fires('UTC', { hour: 0 }, '2024-03-31T00:30:00Z', 1),
      ...CronTrigger.fromCrontab('30 2 * * *', { timezone: 'Europe/Berlin', startDate: '2024-03-31' })
        .nextFireTimes(1, new Date(0))
        .map(iso),
    ];
  }

  const expected = [
    '2024-03-10T03:00:00-04:00',
    '2024-03-11T02:30:00-04:00',
    '2024-10-27T02:30:00+02:00',
    '2024-10-27T02:45:00+02:00',
    '2024-10-27T02:00:00+01:00',
    '2024-10-27T02:15:00+01:00',
    '2024-04-08T01:45:00+10:30',
    '2024-09-07T00:00:00-04:00',
    '2024-09-08T01:00:00-03:00',
    '2024-09-09T00:00:00-03:00',
    '2024-04-01T00:00:00Z',
    // startDate '2024-03-31' is Berlin's local midnight; 02:30 that night is in the gap
    '2024-03-31T03:00:00+02:00',
  ].map(utc);

  it(`under the TZ this file runs with (${process.env.TZ ?? 'unset'})`, () => {
    expect(answers()).toEqual(expected);
  });

  it('when process.env.TZ changes while the process runs', () => {
    const saved = process.env.TZ;
    try {
      const hostOffsets = new Set<number>();
      for (const tz of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Lord_Howe', 'America/Santiago']) {
        process.env.TZ = tz;
        hostOffsets.add(new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset());
        expect(answers(), `TZ=${tz}`).toEqual(expected);
      }
      // The host zone really changed under the trigger (Node applies TZ assignments at once).
      expect(hostOffsets.size).toBe(5);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
