import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { DateTrigger } from '../../src/triggers/date.js';
import { InvalidTriggerError } from '../../src/errors.js';
import { hostTimezone } from '../../src/triggers/dates.js';
import { triggerContract } from '../contracts/trigger.contract.js';
import { thrown } from '../helpers/thrown.js';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago', 'Asia/Kolkata'];
const RUN = Date.UTC(2026, 11, 24, 17);

describe('DateTrigger', () => {
  it('fires once at runDate, then never', () => {
    const trigger = new DateTrigger(new Date(RUN));
    expect(trigger.getNextFireTime(null, new Date(RUN - 1000))?.getTime()).toBe(RUN);
    expect(trigger.getNextFireTime(new Date(RUN), new Date(RUN))).toBeNull();
    expect(trigger.getNextFireTime(new Date(RUN - 5000), new Date(RUN - 6000))).toBeNull();
  });

  it('returns a past runDate as the first fire time (misfire rules decide)', () => {
    const trigger = new DateTrigger(RUN);
    expect(trigger.getNextFireTime(null, new Date(RUN + 86_400_000))?.getTime()).toBe(RUN);
  });

  it('accepts every date form', () => {
    const forms = [
      new Date(RUN),
      RUN,
      '2026-12-24T17:00:00.000Z',
      '2026-12-24T18:00:00+01:00',
      DateTime.fromMillis(RUN, { zone: 'Asia/Tokyo' }),
    ];
    for (const form of forms) expect(new DateTrigger(form).runDate.getTime()).toBe(RUN);
  });

  it('reads a string without an offset in its timezone', () => {
    const trigger = new DateTrigger('2026-12-24T18:00', { timezone: 'Europe/Berlin' }); // CET +1
    expect(trigger.runDate.getTime()).toBe(RUN);
    expect(trigger.timezone).toBe('Europe/Berlin');
    expect(new DateTrigger('2026-12-24', { timezone: 'America/Santiago' }).runDate.getTime()).toBe(
      Date.UTC(2026, 11, 24, 3), // midnight at -03 (Chilean summer time)
    );
  });

  it('reads a string without an offset in the host zone when it has no timezone', () => {
    const trigger = new DateTrigger('2026-12-24T18:00');
    expect(trigger.timezone).toBeUndefined();
    expect(trigger.runDate.getTime()).toBe(new Date(2026, 11, 24, 18, 0).getTime());
  });

  it('hands out copies of runDate', () => {
    const trigger = new DateTrigger(RUN);
    trigger.runDate.setTime(0);
    const fired = trigger.getNextFireTime(null, new Date(0));
    fired?.setTime(0);
    expect(trigger.runDate.getTime()).toBe(RUN);
    expect(trigger.getNextFireTime(null, new Date(0))?.getTime()).toBe(RUN);
  });

  it('serializes to { type, runDate (UTC ISO), timezone? }', () => {
    expect(new DateTrigger(RUN).toJSON()).toStrictEqual({ type: 'date', runDate: '2026-12-24T17:00:00.000Z' });
    expect(new DateTrigger('2026-12-24T18:00', { timezone: 'Europe/Berlin' }).toJSON()).toStrictEqual({
      type: 'date',
      runDate: '2026-12-24T17:00:00.000Z',
      timezone: 'Europe/Berlin',
    });
  });

  it('describes itself in its zone', () => {
    expect(String(new DateTrigger(RUN))).toBe('date[2026-12-24T17:00:00.000Z]');
    expect(String(new DateTrigger(RUN, { timezone: 'Europe/Berlin' }))).toBe(
      'date[2026-12-24T18:00:00.000+01:00 Europe/Berlin]',
    );
  });

  it('rebuilds from JSON, with the default zone when the spec names none', () => {
    const plain = DateTrigger.fromJSON({ type: 'date', runDate: '2026-12-24T18:00' }, { timezone: 'Europe/Berlin' });
    expect(plain.runDate.getTime()).toBe(RUN);
    expect(plain.toJSON().timezone).toBe('Europe/Berlin');
    const own = DateTrigger.fromJSON(
      { type: 'date', runDate: '2026-12-24T12:00', timezone: 'America/New_York' },
      { timezone: 'Europe/Berlin' },
    );
    expect(own.runDate.getTime()).toBe(RUN);
    expect(own.timezone).toBe('America/New_York');
  });

  describe('rejects bad input with InvalidTriggerError naming the field', () => {
    const cases: [string, () => unknown, string][] = [
      ['impossible date', () => new DateTrigger('2024-02-30'), 'date.runDate'],
      ['garbage string', () => new DateTrigger('next tuesday'), 'date.runDate'],
      ['missing runDate', () => new DateTrigger(undefined as never), 'date.runDate'],
      ['null runDate', () => new DateTrigger(null as never), 'date.runDate'],
      ['NaN', () => new DateTrigger(Number.NaN), 'date.runDate'],
      ['Infinity', () => new DateTrigger(Number.POSITIVE_INFINITY), 'date.runDate'],
      ['invalid Date', () => new DateTrigger(new Date('nope')), 'date.runDate'],
      ['object', () => new DateTrigger({} as never), 'date.runDate'],
      ['boolean', () => new DateTrigger(true as never), 'date.runDate'],
      ['bad zone', () => new DateTrigger(RUN, { timezone: 'Mars/Base' }), 'date.timezone'],
      ['zone of the wrong type', () => new DateTrigger(RUN, { timezone: 1 as never }), 'date.timezone'],
      ['unknown option', () => new DateTrigger(RUN, { tz: 'UTC' } as never), 'date.tz'],
      ['options not an object', () => new DateTrigger(RUN, 'UTC' as never), 'date'],
      ['spec without runDate', () => DateTrigger.fromJSON({ type: 'date' }), 'date.runDate'],
      ['spec with unknown key', () => DateTrigger.fromJSON({ type: 'date', runDate: RUN, at: 1 }), 'date.at'],
      ['spec of another type', () => DateTrigger.fromJSON({ type: 'interval', runDate: RUN }), 'type'],
      ['spec not an object', () => DateTrigger.fromJSON('date'), 'trigger'],
      ['spec with null zone', () => DateTrigger.fromJSON({ type: 'date', runDate: RUN, timezone: null }), 'date.timezone'],
    ];
    for (const [name, build, field] of cases) {
      it(name, () => {
        const error = thrown(build);
        expect(error.error).toBeInstanceOf(InvalidTriggerError);
        expect(error.code).toBe('ERR_INVALID_TRIGGER');
        expect(error.field).toBe(field);
      });
    }
  });
});

const runDateArb = fc.date({
  min: new Date('1995-01-01T00:00:00.000Z'),
  max: new Date('2095-01-01T00:00:00.000Z'),
  noInvalidDate: true,
});

triggerContract(
  'DateTrigger',
  fc
    .tuple(runDateArb, fc.option(fc.constantFrom(...ZONES), { nil: undefined }), fc.constantFrom('date', 'ms', 'iso', 'local'))
    .map(([date, timezone, form]) => {
      const zone = timezone ?? hostTimezone(); // where strings without offset are read
      const input =
        form === 'date'
          ? date
          : form === 'ms'
            ? date.getTime()
            : form === 'iso'
              ? date.toISOString()
              : DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
      const trigger = timezone === undefined ? new DateTrigger(input) : new DateTrigger(input, { timezone });
      return { trigger };
    }),
  { firstMayBePast: true },
);
