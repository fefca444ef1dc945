/**
 * Parses the APScheduler-style cron fields (`{ hour: '9-17', dayOfWeek: 'mon-fri' }`) into a
 * compiled {@link CronFields}, applying the field-default rule and deciding the DST mode.
 *
 * @internal
 * @module
 */
import { InvalidTriggerError } from '../../errors.js';
import type { DstMode } from './next.js';
import { MAX_YEAR, MIN_YEAR, type CronFields, type DayTerm } from './schedule.js';

/** The cron fields, most significant first. */
export const FIELD_NAMES = ['year', 'month', 'day', 'week', 'dayOfWeek', 'hour', 'minute', 'second'] as const;
/** One of the cron field names. */
export type FieldName = (typeof FIELD_NAMES)[number];

/** Values taken by fields less significant than the least significant one given. */
const DEFAULTS: Record<FieldName, string> = {
  year: '*', month: '1', day: '1', week: '*', dayOfWeek: '*', hour: '0', minute: '0', second: '0',
};
const RANGES: Record<FieldName, readonly [number, number]> = {
  year: [MIN_YEAR, MAX_YEAR], month: [1, 12], day: [1, 31], week: [1, 53], dayOfWeek: [0, 7], hour: [0, 23],
  minute: [0, 59], second: [0, 59],
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th'];

/** Field expressions after the default rule, as strings. */
export type FieldExpressions = Record<FieldName, string>;

/**
 * Applies the field-default rule: fields more significant than the least significant field
 * given are `*`; less significant ones take their minimum, except `week` and `dayOfWeek`.
 */
export function withDefaults(given: Partial<Record<FieldName, string>>): FieldExpressions {
  const last = FIELD_NAMES.reduce((index, name, i) => (given[name] !== undefined ? i : index), -1);
  const result = {} as FieldExpressions;
  FIELD_NAMES.forEach((name, i) => {
    result[name] = given[name] ?? (last >= 0 && i > last ? DEFAULTS[name] : '*');
  });
  return result;
}

/** Hour `*` or a single step follows elapsed time; any other hour field is fixed-time. */
export function dstModeOf(hour: string): DstMode {
  return /^(\*|\d+(-\d+)?)(\/\d+)?$/.test(hour) && (hour === '*' || hour.includes('/')) ? 'elapsed' : 'fixed';
}

/** Compiles field expressions (after defaults). @throws InvalidTriggerError naming `cron.<field>` */
export function compileFields(exprs: FieldExpressions): CronFields {
  return {
    years: exprs.year === '*' ? null : values('year', exprs.year),
    months: values('month', exprs.month),
    dayTerms: exprs.day === '*' ? null : dayTerms(exprs.day),
    weekdayTerms: exprs.dayOfWeek === '*' ? null : [{ kind: 'weekdays', weekdays: values('dayOfWeek', exprs.dayOfWeek) }],
    weeks: exprs.week === '*' ? null : values('week', exprs.week),
    dayCombine: 'and',
    hours: values('hour', exprs.hour),
    minutes: values('minute', exprs.minute),
    seconds: values('second', exprs.second),
  };
}

function fail(field: FieldName, expr: string, reason: string): InvalidTriggerError {
  return new InvalidTriggerError(`cron.${field}`, expr, reason);
}

/** The sorted allowed values of a numeric field expression. */
function values(field: FieldName, expr: string): number[] {
  const found = new Set<number>();
  for (const raw of expr.split(',')) {
    const term = raw.trim().toLowerCase();
    if (term === '') throw fail(field, expr, 'empty list item');
    for (const value of termValues(field, term, expr)) found.add(field === 'dayOfWeek' && value === 7 ? 0 : value);
  }
  return [...found].sort((a, b) => a - b);
}

function termValues(field: FieldName, term: string, expr: string): number[] {
  const [min, max] = RANGES[field];
  const match = /^([^/]+?)(?:\/(\d+))?$/.exec(term);
  if (!match) throw fail(field, expr, `cannot read ${JSON.stringify(term)}`);
  const [, range = '', stepText] = match;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw fail(field, expr, `step must be a whole number >= 1`);
  if (step > max - min + 1) throw fail(field, expr, `step ${step} is larger than the range ${min}-${max}`);
  let from: number;
  let to: number;
  if (range === '*') [from, to] = [min, max];
  else {
    const bounds = range.split('-');
    if (bounds.length > 2) throw fail(field, expr, `cannot read ${JSON.stringify(term)}`);
    from = value(field, bounds[0] as string, expr);
    to = bounds.length === 2 ? value(field, bounds[1] as string, expr) : stepText === undefined ? from : max;
  }
  const result: number[] = [];
  if (to < from) {
    // Only weekday ranges wrap (fri-mon); a backwards hour range such as 22-2 is a mistake.
    if (field !== 'dayOfWeek') throw fail(field, expr, `range ${JSON.stringify(range)} goes backwards`);
    for (let k = 0, v = from; k <= 7 + to - from; k += step, v = from + k) result.push(v % 7);
    return result;
  }
  for (let v = from; v <= to; v += step) result.push(v);
  return result;
}

function value(field: FieldName, text: string, expr: string): number {
  const [min, max] = RANGES[field];
  let n: number;
  if (/^\d+$/.test(text)) n = Number(text);
  else if (field === 'month' && MONTHS.includes(text)) n = MONTHS.indexOf(text) + 1;
  else if (field === 'dayOfWeek' && WEEKDAYS.includes(text)) n = WEEKDAYS.indexOf(text);
  else throw fail(field, expr, `unknown value ${JSON.stringify(text)}`);
  if (n < min || n > max) throw fail(field, expr, `${n} is outside ${min}-${max}`);
  return n;
}

/** Day-field terms: numbers, ranges and steps, `last`, `last fri`, `1st`..`5th fri`. */
function dayTerms(expr: string): DayTerm[] {
  const terms: DayTerm[] = [];
  const days: string[] = [];
  for (const raw of expr.split(',')) {
    const term = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    const special = /^(last|1st|2nd|3rd|4th|5th)(?: (\w+))?$/.exec(term);
    if (!special) {
      days.push(term);
      continue;
    }
    const [, which = '', name] = special;
    if (name === undefined) {
      if (which !== 'last') throw fail('day', expr, `${which} needs a weekday, e.g. "${which} fri"`);
      terms.push({ kind: 'last-day', before: 0 });
      continue;
    }
    const wd = WEEKDAYS.indexOf(name);
    if (wd === -1) throw fail('day', expr, `unknown weekday ${JSON.stringify(name)}`);
    terms.push(which === 'last' ? { kind: 'last-weekday', weekday: wd } : { kind: 'nth-weekday', weekday: wd, nth: ORDINALS.indexOf(which) + 1 });
  }
  if (days.length > 0) terms.unshift({ kind: 'days', days: values('day', days.join(',')) });
  return terms;
}
