import { describe, it, expect, afterEach } from 'vitest';
import { runInNewContext } from 'node:vm';
import { DateTime, Settings } from 'luxon';
import {
  checkTimezone,
  hostTimezone,
  toEpochMs,
  toIso,
  toLocalIso,
  triggerFail,
} from '../../src/triggers/dates.js';
import { InvalidArgumentError, InvalidTriggerError } from '../../src/errors.js';
import { thrown } from '../helpers/thrown.js';

const H = 3_600_000;

describe('toEpochMs', () => {
  it('takes a Date, epoch milliseconds and a luxon DateTime as the instant they hold', () => {
    expect(toEpochMs(new Date(Date.UTC(2026, 2, 1, 9)), 'f', 'UTC')).toBe(Date.UTC(2026, 2, 1, 9));
    expect(toEpochMs(1_772_355_600_000, 'f', 'Asia/Tokyo')).toBe(1_772_355_600_000);
    expect(toEpochMs(-5, 'f', 'UTC')).toBe(-5);
    expect(toEpochMs(1.9, 'f', 'UTC')).toBe(1); // like new Date(1.9)
    const dt = DateTime.fromObject({ year: 2026, month: 7, day: 1, hour: 12 }, { zone: 'Europe/Berlin' });
    expect(toEpochMs(dt, 'f', 'UTC')).toBe(Date.UTC(2026, 6, 1, 10));
  });

  it('accepts a Date from another realm', () => {
    expect(toEpochMs(runInNewContext('new Date(123456)'), 'f', 'UTC')).toBe(123456);
  });

  it('reads a string with Z or an offset as that instant, whatever the zone', () => {
    const cases: [string, number][] = [
      ['2026-03-01T09:30:00Z', Date.UTC(2026, 2, 1, 9, 30)],
      ['2026-03-01T09:30:00.250Z', Date.UTC(2026, 2, 1, 9, 30, 0, 250)],
      ['2026-03-01T09:30:00+01:00', Date.UTC(2026, 2, 1, 8, 30)],
      ['2026-03-01T09:30+0530', Date.UTC(2026, 2, 1, 4, 0)],
      ['2026-03-01T09:30-05', Date.UTC(2026, 2, 1, 14, 30)],
      ['2026-03-01 09:30:00Z', Date.UTC(2026, 2, 1, 9, 30)],
      ['+010000-01-01T00:00:00.000Z', Date.UTC(10000, 0, 1)],
    ];
    for (const [text, expected] of cases) {
      expect(toEpochMs(text, 'f', 'America/New_York')).toBe(expected);
      expect(toEpochMs(text, 'f', 'Asia/Tokyo')).toBe(expected);
    }
  });

  it('reads a string without an offset as wall time in the zone', () => {
    expect(toEpochMs('2026-07-01T12:00', 'f', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 10)); // CEST +2
    expect(toEpochMs('2026-01-15T12:00:30.5', 'f', 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 15, 11, 0, 30, 500));
    expect(toEpochMs('2026-07-01 12:00', 'f', 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 16)); // EDT -4
    expect(toEpochMs('2026-03-01T09:00', 'f', 'Asia/Kolkata')).toBe(Date.UTC(2026, 2, 1, 3, 30)); // +5:30
    expect(toEpochMs('2026-03-01T09:00', 'f', 'UTC')).toBe(Date.UTC(2026, 2, 1, 9));
  });

  it('reads a date-only string as local midnight', () => {
    expect(toEpochMs('2026-03-01', 'f', 'America/New_York')).toBe(Date.UTC(2026, 2, 1, 5));
    expect(toEpochMs('2026-03-01', 'f', 'Australia/Sydney')).toBe(Date.UTC(2026, 1, 28, 13)); // AEDT +11
    expect(toEpochMs('2024-02-29', 'f', 'UTC')).toBe(Date.UTC(2024, 1, 29));
  });

  it('reads a time inside a spring-forward gap as the first instant after the gap', () => {
    // New York 2026-03-08: 02:00 EST -> 03:00 EDT at 07:00Z; 02:30 does not exist.
    expect(toEpochMs('2026-03-08T02:30', 'f', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 0));
    expect(toEpochMs('2026-03-08T02:00', 'f', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 0));
    expect(toEpochMs('2026-03-08T02:59:59.999', 'f', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 0));
    expect(toEpochMs('2026-03-08T03:00', 'f', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 0));
    // Berlin 2026-03-29: 02:00 CET -> 03:00 CEST at 01:00Z.
    expect(toEpochMs('2026-03-29T02:30', 'f', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 0));
    // Santiago 2026-09-06: midnight -04 -> 01:00 -03, so that day starts at 01:00 -03 = 04:00Z.
    expect(toEpochMs('2026-09-06', 'f', 'America/Santiago')).toBe(Date.UTC(2026, 8, 6, 4));
    expect(toEpochMs('2026-09-06T00:45', 'f', 'America/Santiago')).toBe(Date.UTC(2026, 8, 6, 4));
    // Sydney 2026-10-04: 02:00 AEST -> 03:00 AEDT at 16:00Z the day before.
    expect(toEpochMs('2026-10-04T02:15', 'f', 'Australia/Sydney')).toBe(Date.UTC(2026, 9, 3, 16, 0));
    // Lord Howe 2026-10-04: 02:00 +10:30 -> 02:30 +11 (a 30-minute gap) at 15:30Z the day before.
    expect(toEpochMs('2026-10-04T02:10', 'f', 'Australia/Lord_Howe')).toBe(Date.UTC(2026, 9, 3, 15, 30));
  });

  it('reads a repeated time in a fall-back overlap as its first occurrence', () => {
    // New York 2026-11-01: 01:30 EDT (05:30Z) comes before 01:30 EST (06:30Z).
    expect(toEpochMs('2026-11-01T01:30', 'f', 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5, 30));
    // Berlin 2026-10-25: 02:30 CEST (00:30Z) before 02:30 CET (01:30Z).
    expect(toEpochMs('2026-10-25T02:30', 'f', 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    // Sydney 2026-04-05: 02:30 AEDT +11 (15:30Z on the 4th) before 02:30 AEST +10.
    expect(toEpochMs('2026-04-05T02:30', 'f', 'Australia/Sydney')).toBe(Date.UTC(2026, 3, 4, 15, 30));
    // Santiago 2026-04-05 at 00:00 -03 back to 23:00 -04: 23:30 on the 4th first at -03.
    expect(toEpochMs('2026-04-04T23:30', 'f', 'America/Santiago')).toBe(Date.UTC(2026, 3, 5, 2, 30));
  });

  describe('does not depend on the current time', () => {
    afterEach(() => {
      Settings.now = () => Date.now();
    });

    it('gives the same instant for ambiguous and skipped times in summer and in winter', () => {
      const inputs = ['2026-11-01T01:30', '2026-03-08T02:30', '2026-07-01T12:00'];
      const results = [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)].map((now) => {
        Settings.now = () => now;
        return inputs.map((text) => toEpochMs(text, 'f', 'America/New_York'));
      });
      expect(results[0]).toEqual(results[1]);
      expect(results[0]).toEqual([Date.UTC(2026, 10, 1, 5, 30), Date.UTC(2026, 2, 8, 7, 0), Date.UTC(2026, 6, 1, 16)]);
    });
  });

  it('rejects impossible dates and garbage, naming field and value', () => {
    const bad = [
      '2024-02-30',
      '2026-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-03-01T25:00',
      '2026-03-01T10:61',
      '2026-03-01T10:00+25:00',
      'garbage',
      '',
      '10:00',
      '2026-060',
      '2026-W10-1',
      '2026-03',
      '2026',
      '1772355600000',
      '2026-03-01Tnoon',
    ];
    for (const text of bad) {
      const error = thrown(() => toEpochMs(text, 'options.startDate', 'UTC'));
      expect(error.error, text).toBeInstanceOf(InvalidArgumentError);
      expect(error.code).toBe('ERR_INVALID_ARGUMENT');
      expect(error.field).toBe('options.startDate');
      expect(error.message).toContain('options.startDate');
    }
    expect(thrown(() => toEpochMs('2024-02-30', 'f', 'UTC')).message).toContain('"2024-02-30"');
  });

  it('rejects values of the wrong type, invalid dates and out-of-range numbers', () => {
    const bad: unknown[] = [
      undefined,
      null,
      true,
      {},
      [],
      [2026, 3, 1],
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      8.64e15 + 1,
      -8.64e15 - 1,
      new Date(Number.NaN),
      DateTime.invalid('test'),
      10n,
      Symbol('x'),
      () => 1,
      { [Symbol.toStringTag]: 'Date' },
    ];
    for (const value of bad) {
      const error = thrown(() => toEpochMs(value, 'when', 'UTC'));
      expect(error.code, String(value)).toBe('ERR_INVALID_ARGUMENT');
      expect(error.field).toBe('when');
    }
    expect(toEpochMs(8.64e15, 'f', 'UTC')).toBe(8.64e15);
  });

  it('throws InvalidTriggerError with the trigger fail', () => {
    const error = thrown(() => toEpochMs('2024-02-30', 'interval.startDate', 'UTC', triggerFail));
    expect(error.error).toBeInstanceOf(InvalidTriggerError);
    expect(error.code).toBe('ERR_INVALID_TRIGGER');
    expect(error.field).toBe('interval.startDate');
    expect(error.value).toBe('2024-02-30');
  });
});

describe('checkTimezone', () => {
  it('returns IANA zone names as given', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Santiago', 'Asia/Kolkata', 'Etc/GMT+5']) {
      expect(checkTimezone(zone, 'tz')).toBe(zone);
    }
  });

  it('rejects anything else, naming the field', () => {
    for (const value of ['', 'Mars/Olympus_Mons', 'local', 'UTC+3', 5, null, undefined, {}]) {
      const error = thrown(() => checkTimezone(value, 'options.timezone'));
      expect(error.code).toBe('ERR_INVALID_ARGUMENT');
      expect(error.field).toBe('options.timezone');
    }
    const error = thrown(() => checkTimezone('Nowhere/City', 'cron.timezone', triggerFail));
    expect(error.code).toBe('ERR_INVALID_TRIGGER');
    expect(error.field).toBe('cron.timezone');
  });
});

describe('hostTimezone / toIso / toLocalIso', () => {
  it('hostTimezone is the runtime zone (a valid IANA zone)', () => {
    const zone = hostTimezone();
    expect(zone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
    expect(checkTimezone(zone, 'tz')).toBe(zone);
  });

  it('formats instants as ISO-8601, UTC or local with offset', () => {
    const ms = Date.UTC(2026, 11, 24, 17);
    expect(toIso(ms)).toBe('2026-12-24T17:00:00.000Z');
    expect(toLocalIso(ms, undefined)).toBe('2026-12-24T17:00:00.000Z');
    expect(toLocalIso(ms, 'Europe/Berlin')).toBe('2026-12-24T18:00:00.000+01:00');
    expect(toLocalIso(ms + 6 * H, 'America/New_York')).toBe('2026-12-24T18:00:00.000-05:00');
  });
});
