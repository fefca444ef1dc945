/**
 * The shortcut that spares a new cron trigger its search tables: whenever it says an expression
 * surely matches, the search finds a match; and the expressions that never match are still
 * refused (by the search) in both forms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CronTrigger } from '../../src/index.js';
import { compileCrontab } from '../../src/triggers/cron/crontab.js';
import { compileFields, withDefaults, type FieldName } from '../../src/triggers/cron/fields.js';
import { CronSchedule, MAX_YEAR, MIN_YEAR } from '../../src/triggers/cron/schedule.js';
import { surelyMatches } from '../../src/triggers/cron/sure-match.js';
import type { CronFields } from '../../src/triggers/cron/schedule.js';

const matchesSomeDate = (fields: CronFields): boolean => new CronSchedule(fields).firstMatch(Date.UTC(MIN_YEAR, 0, 1), MAX_YEAR) !== null;

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
/** Crontab day fields, many of them rare or impossible in some months. */
const DOM = ['*', '?', '1', '15', '28', '29', '30', '31', '30,31', '29-31', 'L', '1-31/10', '31/2'];
const MONTH = ['*', '2', '4', '2,4', '4,6,9,11', '2,4,6,9,11', '1-12/3', 'feb', 'apr-jun'];
const DOW = ['*', '?', '1', 'mon-fri', '5L', '1#2', '5#5', '0#4', '6#5', 'sat,sun'];

describe('surelyMatches never says yes to an expression that cannot match', () => {
  it('crontab strings', () => {
    fc.assert(
      fc.property(pick(DOM), pick(MONTH), pick(DOW), (dom, month, dow) => {
        const fields = compileCrontab(`0 0 ${dom} ${month} ${dow}`).fields;
        if (surelyMatches(fields)) expect(matchesSomeDate(fields)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('the field form (AND of day and weekday), with years and weeks', () => {
    const field = (name: FieldName, values: readonly string[]) => fc.option(pick(values), { nil: undefined }).map((v) => [name, v] as const);
    fc.assert(
      fc.property(
        field('year', ['2024', '2100', '2025-2027']),
        field('month', ['2', '4', '2,4', '*/5', 'feb']),
        field('week', ['1', '53', '10-12']),
        field('day', ['29', '30', '31', 'last', 'last fri', '5th fri', '1-7']),
        field('dayOfWeek', ['mon', 'fri', 'sat-sun']),
        (...given) => {
          const fields = compileFields(withDefaults(Object.fromEntries(given.filter(([, v]) => v !== undefined))));
          if (surelyMatches(fields)) expect(matchesSomeDate(fields)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('says yes to the common shapes, so that building them searches nothing', () => {
    for (const expression of ['*/5 * * * * *', '0 0 9-17 * * 1-5', '0 30 2 * * *', '0 0 1 * *', '0 0 L * *', '0 9 * * 1#2', '0 0 1,15 * 1']) {
      expect([expression, surelyMatches(compileCrontab(expression).fields)]).toEqual([expression, true]);
    }
    // Not sure, so searched: Feb 29 (exists), Feb 30 (never), the 5th Friday of February.
    for (const expression of ['0 0 0 30 2 *', '0 0 0 * 2 5#5']) {
      expect([expression, surelyMatches(compileCrontab(expression).fields)]).toEqual([expression, false]);
    }
  });

  it('still refuses an expression that never matches, in both forms', () => {
    expect(() => CronTrigger.fromCrontab('0 0 30 2 *')).toThrow(/matches at least one date/);
    expect(() => new CronTrigger({ month: 2, day: 30 })).toThrow(/matches at least one date/);
    expect(() => new CronTrigger({ year: 2025, month: 2, day: 29 })).toThrow(/matches at least one date/);
    expect(CronTrigger.fromCrontab('0 0 29 2 *', { timezone: 'UTC' }).getNextFireTime(null, new Date('2025-01-01T00:00:00Z'))?.toISOString().slice(0, 10)).toBe('2028-02-29');
  });
});
