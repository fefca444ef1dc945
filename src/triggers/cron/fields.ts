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

/**
 * The sorted allowed values of a numeric field expression, or of some of its `items` (the day
 * field's numeric terms); errors show the whole expression.
 */
function values(field: FieldName, expr: string, items: readonly string[] = expr.split(',')): number[] {
  const [min, max] = RANGES[field];
  // One flag per value, and each distinct term expanded once: `'*,*,*'` in year costs one
  // expansion of 8,030 values, not one per copy, so the work grows with the input's length.
  const allowed = new Uint8Array(max + 1);
  const seen = new Set<string>();
  for (const raw of items) {
    const term = raw.trim().toLowerCase();
    if (term === '') throw fail(field, expr, 'empty list item');
    if (seen.has(term)) continue;
    seen.add(term);
    markTerm(field, term, expr, allowed);
  }
  const result: number[] = [];
  for (let v = min; v <= max; v++) if (allowed[v] === 1) result.push(v);
  return result;
}

/** Sets `allowed[v]` for every value `v` of one term (weekday 7 as 0). */
function markTerm(field: FieldName, term: string, expr: string, allowed: Uint8Array): void {
  const [min, max] = RANGES[field];
  const match = /^([^/]+?)(?:\/(\d+))?$/.exec(term);
  if (!match) throw fail(field, expr, `cannot read ${JSON.stringify(term)}`);
  const [, range = '', stepText] = match;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw fail(field, expr, `step must be a whole number >= 1`);
  let from: number;
  let to: number;
  let first = String(min); // the range start as written, for the step error
  if (range === '*') [from, to] = [min, max];
  else {
    const bounds = range.split('-');
    if (bounds.length > 2) throw fail(field, expr, `cannot read ${JSON.stringify(term)}`);
    first = bounds[0] as string;
    from = value(field, first, expr);
    to = bounds.length === 2 ? value(field, bounds[1] as string, expr) : stepText === undefined ? from : max;
  }
  // Only weekday ranges wrap (fri-mon); a backwards hour range such as 22-2 is a mistake.
  if (to < from && field !== 'dayOfWeek') throw fail(field, expr, `range ${JSON.stringify(range)} goes backwards`);
  const span = to < from ? 7 + to - from : to - from;
  if (stepText !== undefined && step > span) {
    const written = range === '*' ? `${min}-${max}` : range.includes('-') ? range : `${range}-${max}`;
    throw fail(field, expr, stepTooLarge(field, { term, expr, step, span, range: written, first }));
  }
  // A wrapping weekday range counts on past Saturday (fri-mon: 5, 6, 7, 8); % 7 also makes 7 Sunday.
  const wrap = field === 'dayOfWeek' ? 7 : Number.POSITIVE_INFINITY;
  for (let k = 0; k <= span; k += step) allowed[(from + k) % wrap] = 1;
}

/** Fields that crontab strings have too (day and dayOfWeek as day-of-month and day-of-week). */
const CRONTAB_FIELDS: ReadonlySet<FieldName> = new Set(['second', 'minute', 'hour', 'day', 'month', 'dayOfWeek']);

/** A step term and the span (last - first) of its range, `*` being the field's whole range. */
interface OversizedStep {
  term: string;
  expr: string;
  step: number;
  span: number;
  /** The range as `first-last`, e.g. `1-31` for `*` in day, `5-59` for `5/n` in minute. */
  range: string;
  /** The range start as written, e.g. `4`, `fri`, or the field's minimum for `*`. */
  first: string;
}

/**
 * APScheduler refuses a step larger than the span of its range ("the step value (31) is higher
 * than the total range of the expression (30)"), and so does the field form. Crontab strings
 * accept it and fire on the range start only, as cron-parser and Vixie cron do (Vixie cron has
 * no `a/n`); where a crontab string has the field, the reason says so, for someone moving a
 * schedule between the two forms.
 */
function stepTooLarge(field: FieldName, { term, expr, step, span, range, first }: OversizedStep): string {
  const where = term === expr.trim().toLowerCase() ? '' : `${JSON.stringify(term)}: `;
  const reason = `${where}step ${step} is larger than ${span}, the span of ${range}`;
  if (!CRONTAB_FIELDS.has(field)) return reason;
  // Weekday numbers are crontab's in both forms; the name spares an APScheduler 3 user (Monday = 0) a guess.
  const start = field === 'dayOfWeek' && /^\d$/.test(first) ? `${first} (${WEEKDAYS[Number(first) % 7]})` : first;
  return `${reason}; crontab strings accept it and fire on ${start} only`;
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
  // Keyed, so that a repeated term (`last fri, last fri`) is one term: the search tests every
  // term on every day it looks at.
  const special = new Map<string, DayTerm>();
  const days: string[] = [];
  for (const raw of expr.split(',')) {
    const term = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    const match = /^(last|1st|2nd|3rd|4th|5th)(?: (\w+))?$/.exec(term);
    if (!match) {
      days.push(term);
      continue;
    }
    const [, which = '', name] = match;
    if (name === undefined) {
      if (which !== 'last') throw fail('day', expr, `${which} needs a weekday, e.g. "${which} fri"`);
      special.set('last', { kind: 'last-day', before: 0 });
      continue;
    }
    const wd = WEEKDAYS.indexOf(name);
    if (wd === -1) throw fail('day', expr, `unknown weekday ${JSON.stringify(name)}`);
    const nth = which === 'last' ? 0 : ORDINALS.indexOf(which) + 1;
    special.set(`${nth} ${wd}`, nth === 0 ? { kind: 'last-weekday', weekday: wd } : { kind: 'nth-weekday', weekday: wd, nth });
  }
  const terms = [...special.values()];
  if (days.length > 0) terms.unshift({ kind: 'days', days: values('day', expr, days) });
  return terms;
}
