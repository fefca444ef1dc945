/**
 * Plain numeric crontab items are read without cron-parser: on every item that reader takes, its
 * values are cron-parser's (Sunday folded to 0 in day of week, as the compiler folds it), and the
 * items it leaves are exactly the ones it must leave.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTriggerError } from '../../src/errors.js';
import { cronParserItem } from '../../src/triggers/cron/crontab.js';
import { ITEM_RANGES, isPlainCrontab, plainItemValues, type ItemField } from '../../src/triggers/cron/crontab-items.js';
import { compileCrontab } from '../../src/triggers/cron/crontab.js';
import { CronTrigger } from '../../src/triggers/cron/cron-trigger.js';
import { surelyMatches } from '../../src/triggers/cron/sure-match.js';
import { TriggerCache } from '../../src/triggers/trigger-cache.js';

const FIELDS = Object.keys(ITEM_RANGES) as ItemField[];
const fail = (reason: string) => new InvalidTriggerError('cron.expression', 'test', reason);

/** Sorted distinct values, Sunday as 0. */
function normal(field: ItemField, values: readonly unknown[]): number[] {
  const folded = values.map((v) => (field === 'dayOfWeek' && typeof v === 'number' ? v % 7 : v));
  return [...new Set(folded as number[])].sort((a, b) => a - b);
}

function viaCronParser(field: ItemField, item: string): number[] | 'error' {
  try {
    return normal(field, cronParserItem(field, item, fail).values);
  } catch {
    return 'error';
  }
}

/** Numbers around a field's range, with leading zeros sometimes. */
const number = (field: ItemField) => {
  const [min, max] = ITEM_RANGES[field];
  return fc.tuple(fc.integer({ min: Math.max(0, min - 2), max: max + 3 }), fc.boolean()).map(([n, zero]) => (zero && n < 10 ? `0${n}` : String(n)));
};
const item = (field: ItemField) =>
  fc.oneof(
    fc.constant('*'),
    number(field),
    fc.tuple(number(field), number(field)).map(([a, b]) => `${a}-${b}`),
    fc.tuple(fc.oneof(fc.constant('*'), number(field), fc.tuple(number(field), number(field)).map(([a, b]) => `${a}-${b}`)), fc.integer({ min: 0, max: 70 })).map(([base, step]) => `${base}/${step}`),
  );

describe('plain crontab items read without cron-parser', () => {
  for (const field of FIELDS) {
    it(`${field}: the same values as cron-parser on every item taken; refused items are left to it`, () => {
      fc.assert(
        fc.property(item(field), (text) => {
          const plain = plainItemValues(field, text);
          const reference = viaCronParser(field, text);
          if (plain === null) return; // left to cron-parser, which reads or refuses it as before
          expect(reference).not.toBe('error');
          expect(normal(field, plain)).toEqual(reference);
        }),
        { numRuns: 600 },
      );
    });
  }

  it('leaves names, L, #, ?, H, out-of-range values, steps of 0 and backward ranges to cron-parser', () => {
    const left: [ItemField, string][] = [
      ['month', 'jan'], ['dayOfWeek', 'mon-fri'], ['dayOfMonth', 'L'], ['dayOfWeek', '5L'], ['dayOfWeek', '1#2'],
      ['dayOfMonth', '?'], ['minute', 'H'], ['minute', '60'], ['hour', '24'], ['dayOfMonth', '0'], ['second', '*/0'],
      ['hour', '5-3'], ['minute', '1,2'], ['minute', ''], ['minute', '-1'], ['minute', '1-'], ['minute', '*-5'],
    ];
    for (const [field, text] of left) expect([field, text, plainItemValues(field, text)]).toEqual([field, text, null]);
  });

  it('compiles whole expressions to the same fields either way', () => {
    // Every item of these is plain: the compiled fields must be what cron-parser's reading gives.
    for (const expression of ['*/5 * * * * *', '0 0 9-17 * * 1-5', '0 30 2 * * *', '0 0 0 29 2 *', '15 10 1-31/2 * 0-7/2', '5/20 * * * *']) {
      const compiled = compileCrontab(expression);
      const atoms = expression.split(' ');
      if (atoms.length === 5) atoms.unshift('0');
      const [second, minute, hour] = atoms.map((atom, i) => viaCronParser(FIELDS[i] as ItemField, atom as string));
      expect([compiled.fields.seconds, compiled.fields.minutes, compiled.fields.hours]).toEqual([second, minute, hour]);
    }
  });

  /** 5 or 6 fields of plain items (lists included), with a day of month, month or weekday of `*` often. */
  const crontab = fc
    .tuple(
      fc.boolean(),
      ...FIELDS.map((field) => fc.oneof(fc.constant('*'), fc.array(item(field), { minLength: 1, maxLength: 3 }).map((items) => items.join(',')))),
    )
    .map(([six, ...atoms]) => (six ? atoms : atoms.slice(1)).join(' '));

  /** What isPlainCrontab must answer, from the item reader: every item plain, and surely firing. */
  function plainByItems(expression: string): boolean {
    const atoms = expression.split(' ');
    if (atoms.length === 5) atoms.unshift('0');
    else if (atoms.length !== 6) return false;
    const [, , , dayOfMonth, month, dayOfWeek] = atoms;
    if (dayOfMonth !== '*' && (dayOfWeek !== '*' || month !== '*')) return false;
    return atoms.every((atom, i) => atom.split(',').every((text) => plainItemValues(FIELDS[i] as ItemField, text) !== null));
  }

  it('the in-place check of a whole string takes exactly what the item reader takes', () => {
    const junk = fc
      .array(fc.constantFrom(...'0123456789*-/, '.split('')), { maxLength: 24 })
      .map((chars) => chars.join('').trim().replace(/ +/g, ' '));
    fc.assert(
      fc.property(fc.oneof(crontab, junk), (expression) => {
        expect([expression, isPlainCrontab(expression)]).toEqual([expression, plainByItems(expression)]);
      }),
      { numRuns: 3000 },
    );
  });

  it('a trigger checks a plain crontab string without compiling it only when it surely compiles and fires, and then fires as a compiled one', () => {
    const cache = new TriggerCache();
    const from = new Date('2026-03-01T00:00:00Z');
    fc.assert(
      fc.property(crontab, (expression) => {
        if (!isPlainCrontab(expression)) return;
        const compiled = compileCrontab(expression); // never throws for a string taken as plain
        expect(surelyMatches(compiled.fields)).toBe(true);
        const lazy = CronTrigger.fromCrontab(expression, { timezone: 'America/New_York' });
        const eager = CronTrigger.fromJSON({ type: 'cron', expression, timezone: 'America/New_York' }, {}, cache);
        expect([lazy.dstMode, lazy.toJSON()]).toEqual([compiled.mode, eager.toJSON()]);
        expect(lazy.nextFireTimes(3, from)).toEqual(eager.nextFireTimes(3, from));
      }),
      { numRuns: 400 },
    );
  });

  it('takes the common crontab strings as plain, and leaves the rest to the full compile', () => {
    for (const expression of ['*/5 * * * * *', '0 9 * * 1-5', '*/15 9-17 * * 1-5', '0 0 1,15 * *', '0 0 31 * *']) {
      expect([expression, isPlainCrontab(expression)]).toEqual([expression, true]);
    }
    // Names, nicknames, L, a restricted month beside a restricted day, both day fields restricted,
    // a bad value or a wrong number of fields: compiled (and checked) when the trigger is built.
    for (const expression of ['0 9 * * mon-fri', '@daily', '0 0 L * *', '0 0 30 2 *', '0 0 1 * 1', '0 60 * * *', '* * * *', '0 0 1 * * * *']) {
      expect([expression, isPlainCrontab(expression)]).toEqual([expression, false]);
    }
    expect(() => CronTrigger.fromCrontab('0 0 30 2 *')).toThrow(/matches at least one date/);
    expect(() => CronTrigger.fromCrontab('0 60 * * *')).toThrow(InvalidTriggerError);
  });
});
