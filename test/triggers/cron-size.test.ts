/**
 * The size limit on cron expressions: 1,024 characters for a field-form field and for a crontab
 * string, counted as given and checked before anything is parsed. Below it, the work is counted
 * (calls to cron-parser's entry point), never timed: plain numeric items are read without it, and
 * any other item costs one call per distinct item, so a repeated item costs one.
 */
import { afterEach, describe, it, expect, vi } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import { CronTrigger, type CronTriggerOptions } from '../../src/triggers/cron/cron-trigger.js';
import { compileCrontab } from '../../src/triggers/cron/crontab.js';
import { compileFields, withDefaults, FIELD_NAMES, type FieldName } from '../../src/triggers/cron/fields.js';
import { triggerFromJSON } from '../../src/triggers/registry.js';
import { InvalidTriggerError } from '../../src/errors.js';
import { thrown } from '../helpers/thrown.js';

const LIMIT = 1024;

/** `value` repeated in a comma list, padded with spaces before the first comma to exactly `length`. */
function listOfLength(value: string, length: number): string {
  const count = Math.floor((length + 1) / (value.length + 1));
  const list = Array.from({ length: count }, () => value).join(',');
  return `${value}${' '.repeat(length - list.length)}${list.slice(value.length)}`;
}

/** A crontab string of exactly `length` characters: a list of zeros, spaces, then `* * * *`. */
function crontabOfLength(length: number): string {
  const tail = ' * * * *';
  const list = Array.from({ length: Math.floor((length - tail.length + 1) / 2) }, () => '0').join(',');
  return `${list}${' '.repeat(length - tail.length - list.length)}${tail}`;
}

/** A value every field accepts on its own. */
const SMALLEST: Record<FieldName, string> = {
  year: '2030', month: '1', day: '1', week: '1', dayOfWeek: '0', hour: '0', minute: '0', second: '0',
};

/** Counts calls to cron-parser's entry point; the real parser still runs. */
const parserCalls = () => vi.spyOn(CronExpressionParser, 'parse');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('field form: at most 1,024 characters a field', () => {
  it.each(FIELD_NAMES)('%s: 1,024 characters are accepted, 1,025 refused naming the field and the limit', (name) => {
    const atLimit = listOfLength(SMALLEST[name], LIMIT);
    expect(atLimit).toHaveLength(LIMIT);
    expect(() => new CronTrigger({ [name]: atLimit, timezone: 'UTC' })).not.toThrow();

    const over = listOfLength(SMALLEST[name], LIMIT + 1);
    expect(over).toHaveLength(LIMIT + 1);
    for (const build of [() => new CronTrigger({ [name]: over, timezone: 'UTC' }), () => triggerFromJSON({ type: 'cron', [name]: over })]) {
      const e = thrown(build);
      expect(e.error).toBeInstanceOf(InvalidTriggerError);
      expect(e.code).toBe('ERR_INVALID_TRIGGER');
      expect(e.field).toBe(`cron.${name}`);
      expect(e.value).toBe(over);
      expect(e.message).toContain(`(1025 characters, more than the 1024 a field expression may have; use ranges and steps rather than long lists)`);
    }
  });

  it('the length is checked before any field is parsed', () => {
    // The hour is invalid too, and parsed first; the long minute field is reported.
    const e = thrown(() => new CronTrigger({ hour: 'bogus', minute: '0,'.repeat(600) + '0' }));
    expect(e.field).toBe('cron.minute');
    expect(e.message).toContain('1201 characters');
    expect(thrown(() => new CronTrigger({ second: 'x'.repeat(1_000_000) })).message).toContain('1000000 characters, more than the 1024');
  });

  it('the longest real fields fit well inside the limit', () => {
    // Every value of the day field, one by one: days, `last`, and every n-th and last weekday.
    const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const day = [
      ...Array.from({ length: 31 }, (_, i) => String(i + 1)),
      'last',
      ...['1st', '2nd', '3rd', '4th', '5th', 'last'].flatMap((which) => weekdays.map((wd) => `${which} ${wd}`)),
    ].join(', ');
    expect(day.length).toBeLessThan(LIMIT / 1.5);
    expect(compileFields(withDefaults({ day })).dayTerms).toHaveLength(1 + 1 + 42);
    expect(() => new CronTrigger({ day, timezone: 'UTC' })).not.toThrow();
    const minute = Array.from({ length: 60 }, (_, i) => String(i)).join(', ');
    expect(minute.length).toBeLessThan(LIMIT / 4);
    expect(compileFields(withDefaults({ minute })).minutes).toHaveLength(60);
  });
});

describe('crontab strings: at most 1,024 characters', () => {
  const options = { timezone: 'UTC' };

  it('1,024 characters are accepted, 1,025 refused in every entry point, naming cron.expression and the limit', () => {
    const atLimit = crontabOfLength(LIMIT);
    expect(atLimit).toHaveLength(LIMIT);
    expect(compileCrontab(atLimit).fields.minutes).toEqual([0]);
    expect(() => CronTrigger.fromCrontab(atLimit, options)).not.toThrow();

    const over = crontabOfLength(LIMIT + 1);
    expect(over).toHaveLength(LIMIT + 1);
    const entries: Array<() => unknown> = [
      () => compileCrontab(over),
      () => CronTrigger.fromCrontab(over, options),
      () => new CronTrigger({ expression: over } as CronTriggerOptions),
      () => triggerFromJSON({ type: 'cron', expression: over }),
    ];
    for (const entry of entries) {
      const e = thrown(entry);
      expect(e.error).toBeInstanceOf(InvalidTriggerError);
      expect(e.field).toBe('cron.expression');
      expect(e.value).toBe(over);
      expect(e.message).toContain('(1025 characters, more than the 1024 a crontab string may have; use ranges and steps rather than long lists)');
    }
  });

  it('the length is the string as given, whitespace included', () => {
    const padded = `0 0 * * *${' '.repeat(LIMIT)}`;
    expect(thrown(() => CronTrigger.fromCrontab(padded, options)).field).toBe('cron.expression');
    expect(compileCrontab(padded.slice(0, LIMIT)).normalized).toBe('0 0 * * *');
  });

  it('a 1 MB string is refused before cron-parser is called at all', () => {
    const calls = parserCalls();
    const huge = `${'0,'.repeat(500_000)}0 * * * *`;
    for (const entry of [() => compileCrontab(huge), () => CronTrigger.fromCrontab(huge, options), () => triggerFromJSON({ type: 'cron', expression: huge })]) {
      const e = thrown(entry);
      expect(e.field).toBe('cron.expression');
      expect(e.message).toContain(`${huge.length} characters, more than the 1024`);
    }
    expect(calls).not.toHaveBeenCalled();
  });
});

describe('crontab strings: no cron-parser call for plain items, one per other distinct item', () => {
  /** `n` distinct minute items (`a-b` ranges), and the minutes they stand for. */
  function distinctItems(n: number): { list: string; minutes: number[] } {
    const items: string[] = [];
    const minutes = new Set<number>();
    for (let i = 0; i < n; i++) {
      const [a, b] = [i % 30, 30 + Math.floor(i / 30)];
      items.push(`${a}-${b}`);
      for (let m = a; m <= b; m++) minutes.add(m);
    }
    return { list: items.join(','), minutes: [...minutes].sort((x, y) => x - y) };
  }

  it('n and 2n distinct plain items: no cron-parser call at all, and the right minutes', () => {
    for (const n of [60, 120]) {
      const { list, minutes } = distinctItems(n);
      const calls = parserCalls();
      const compiled = compileCrontab(`${list} * * * *`);
      expect(calls).not.toHaveBeenCalled();
      expect(compiled.fields.minutes).toEqual(minutes);
      calls.mockRestore();
    }
  });

  it('a repeated item is parsed once', () => {
    const calls = parserCalls();
    const compiled = compileCrontab(`${'5,'.repeat(400)}5 */2,*/2,*/2 * jan,jan,feb mon,mon,1`);
    expect(calls).toHaveBeenCalledTimes(2 + 1); // jan, feb | mon (the plain items need none)
    expect(compiled.fields.minutes).toEqual([5]);
    expect(compiled.fields.hours).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]);
    expect(compiled.fields.weekdayTerms).toEqual([{ kind: 'weekdays', weekdays: [1] }]);
    expect(compiled.fields.months).toEqual([1, 2]);
  });

  it('a string at the limit with the most items it can hold costs no cron-parser call when they are plain', () => {
    // One-character items and commas: 508 items, 10 distinct.
    const atLimit = `${Array.from({ length: 508 }, (_, i) => String(i % 10)).join(',')} * * * *`;
    expect(atLimit.length).toBeLessThanOrEqual(LIMIT);
    const calls = parserCalls();
    expect(compileCrontab(atLimit).fields.minutes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calls).not.toHaveBeenCalled();
  });
});
