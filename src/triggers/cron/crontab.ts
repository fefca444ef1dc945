/**
 * Compiles crontab strings (`'*\/15 9-17 * * 1-5'`, `'0 0 0 L * *'`, `'@daily'`) into
 * {@link CronFields}. cron-parser validates and expands every list item; this module adds what
 * it leaves out or gets differently from Vixie cron: the day-of-month / day-of-week rule decided
 * from the field text, Sunday as 7, repeated values, and the DST mode.
 *
 * Accepted: 5 fields (`minute hour day-of-month month day-of-week`), or 6 with seconds first;
 * `*`, `?`, values, ranges, steps, lists, `jan`-`dec`, `sun`-`sat`; `L` in day of month; `nL`
 * (last weekday n) and `n#k` (k-th weekday n) in day of week; `@yearly @annually @monthly
 * @weekly @daily @hourly`. Rejected: other field counts (no year field), `@reboot`, cron-parser's
 * `@minutely @secondly @weekdays @weekends` (not crontab nicknames), `H` (cron-parser picks a
 * random value on every parse, so a stored job would move on reload), spaces inside a list,
 * and strings longer than `MAX_EXPRESSION_LENGTH` (1,024 characters).
 *
 * Steps follow crontab, not APScheduler: a step larger than the span of its range (`*\/31` in
 * day of month, `4-6/3`) is accepted and fires on the range start only, as in Vixie cron and
 * cron-parser; the field form refuses it.
 *
 * @internal
 * @module
 */
import { CronExpressionParser } from 'cron-parser';
import { InvalidTriggerError } from '../../errors.js';
import { dstModeOf } from './fields.js';
import { plainItemValues } from './crontab-items.js';
import { checkLength } from './limits.js';
import type { DstMode } from './next.js';
import type { CronFields, DayTerm } from './schedule.js';

/** The nicknames accepted, as the 5-field expressions they stand for (Vixie cron's meaning). */
const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** cron-parser's field names, in the order of a 6-field expression. */
const FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;
type Field = (typeof FIELDS)[number];
const LABELS: Record<Field, string> = {
  second: 'second', minute: 'minute', hour: 'hour', dayOfMonth: 'day-of-month', month: 'month', dayOfWeek: 'day-of-week',
};
/** The other fields when one list item is parsed on its own: valid, and never restricting. */
const TEMPLATE = ['0', '0', '0', '*', '*', '*'];

/** A compiled crontab string. */
export interface CompiledCrontab {
  /** The compiled fields, for `CronSchedule`. */
  readonly fields: CronFields;
  /** `'elapsed'` when the hour field is `*` or a single step, else `'fixed'` (SPEC §3.3). */
  readonly mode: DstMode;
  /** The expression trimmed, whitespace runs collapsed to one space; compiles to the same fields. */
  readonly normalized: string;
}

type Fail = (reason: string) => InvalidTriggerError;
type Six<T> = [T, T, T, T, T, T];

/** cron-parser's reading of one list item: its values and the `#` occurrence (0 if none). */
interface ParsedItem {
  values: readonly unknown[];
  nth: number;
}


/** The values of one field: plain numbers (weekdays 0-6), and the `L` / `#` terms of the day fields. */
interface ParsedField {
  numbers: number[];
  terms: DayTerm[];
}

/**
 * Compiles a crontab string.
 *
 * @param expression - e.g. `'0 9 * * 1-5'`, `'*\/10 * * * * *'`, `'@daily'`, `'0 0 L * *'`
 * @throws InvalidTriggerError naming `cron.expression`, with cron-parser's message when it
 *   refused a list item, or the limit for a string longer than 1,024 characters. A
 *   never-matching expression (`0 0 31 2 *`) compiles; rejecting it is the trigger's job.
 */
export function compileCrontab(expression: string): CompiledCrontab {
  const fail: Fail = (reason) => new InvalidTriggerError('cron.expression', expression, reason);
  if (typeof expression !== 'string') throw fail(`a crontab string, not ${expression === null ? 'null' : typeof expression}`);
  checkLength('cron.expression', expression, 'a crontab string');
  const normalized = expression.trim().replace(/\s+/g, ' ');
  if (normalized === '') throw fail('an empty expression; expected 5 or 6 fields or a nickname such as @daily');
  // Whitespace separates crontab fields, so `1-2, 4-7` would silently become two fields.
  if (/ ,|, /.test(normalized)) {
    throw fail(`a list cannot contain spaces in a crontab string (fields are separated by whitespace); write ${JSON.stringify(normalized.replace(/ ?, ?/g, ','))}`);
  }
  let text = normalized;
  if (normalized.startsWith('@')) {
    const expansion = Object.hasOwn(NICKNAMES, normalized) ? NICKNAMES[normalized] : undefined;
    if (expansion === undefined) throw fail(`unknown nickname; use one of ${Object.keys(NICKNAMES).join(' ')}`);
    text = expansion;
  }
  const atoms = text.split(' ');
  if (atoms.length === 5) atoms.unshift('0');
  else if (atoms.length !== 6) {
    throw fail(
      atoms.length === 7
        ? '7 fields: crontab strings have no year field (use the field form with `year`)'
        : `${atoms.length} field(s); expected 5 (minute hour day-of-month month day-of-week) or 6 with seconds first`,
    );
  }
  const [, , hourText, domText, , dowText] = atoms as Six<string>;
  // A day field that is `*` or `?` adds no terms (see below): nothing to read in it.
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = FIELDS.map((field, i) =>
    (i === 3 && isAny(domText)) || (i === 5 && isAny(dowText)) ? NO_VALUES : parseField(field, atoms[i] as string, fail),
  ) as Six<ParsedField>;
  const dayTerms = isAny(domText) ? null : withNumbers('days', dayOfMonth);
  const weekdayTerms = isAny(dowText) ? null : withNumbers('weekdays', dayOfWeek);
  // Vixie cron (entry.c) decides from the field's first character, before expanding it: a day
  // field starting with `*` counts as unrestricted, and then a day must match BOTH sides; only
  // when neither starts with `*` may EITHER side match. For a plain `*` (null here) AND and OR
  // agree, but `0 0 */2 * 1` is odd-numbered Mondays while `0 0 1-31/2 * 1` is odd days OR
  // Mondays. `?` (cron-parser's alias of `*`) counts as `*`.
  const starred = (dayTerms !== null && /^[*?]/.test(domText)) || (weekdayTerms !== null && /^[*?]/.test(dowText));
  return {
    fields: {
      years: null,
      months: month.numbers,
      dayTerms,
      weekdayTerms,
      weeks: null,
      dayCombine: starred ? 'and' : 'or',
      hours: hour.numbers,
      minutes: minute.numbers,
      seconds: second.numbers,
    },
    mode: dstModeOf(hourText.replace(/^\?/, '*')), // `?` is cron-parser's alias of `*`
    normalized,
  };
}

/** What a day field of `*` or `?` reads as: nothing (its terms are `null`). */
const NO_VALUES: ParsedField = { numbers: [], terms: [] };

/** A day field that is exactly `*` or `?`: every day, so no terms at all. */
function isAny(text: string): boolean {
  return text === '*' || text === '?';
}

function withNumbers(kind: 'days' | 'weekdays', parsed: ParsedField): DayTerm[] {
  if (parsed.numbers.length === 0) return parsed.terms;
  const first: DayTerm = kind === 'days' ? { kind, days: parsed.numbers } : { kind, weekdays: parsed.numbers };
  return [first, ...parsed.terms];
}

/**
 * Parses one field, one list item at a time: cron-parser rejects a list that repeats a value
 * (`0,7` in day of week, `1-5,3`), which Vixie cron accepts, and its whole-expression check
 * throws for a day the months never have (`31 2`), which the trigger reports better. Parsing
 * each item inside an otherwise unrestricted expression avoids both; the union is the field.
 */
function parseField(field: Field, text: string, fail: Fail): ParsedField {
  // The common case, one plain numeric item (`*`, `*\/5`, `9-17`): its values are already in
  // order; only Sunday as 7 needs folding.
  if (!text.includes(',')) {
    const plain = plainItemValues(field, text);
    if (plain !== null) {
      const numbers = field === 'dayOfWeek' && plain.at(-1) === 7 ? [...new Set(plain.map((v) => v % 7))].sort((a, b) => a - b) : plain;
      return { numbers, terms: [] };
    }
  }
  const label = LABELS[field];
  const numbers = new Set<number>();
  const terms = new Map<string, DayTerm>();
  const items = text.split(',').flatMap((item) => (field === 'dayOfWeek' ? unwrapWeekdays(item) : [item]));
  // Each distinct item once: a cron-parser call is the costly step (it builds a whole expression).
  for (const item of new Set(items)) {
    if (item === '') throw fail(`empty list item in the ${label} field ${JSON.stringify(text)}`);
    // Month and weekday names are 3 letters (cron-parser replaces them the same way); any `H`
    // left is cron-parser's hashed random value.
    const unnamed = field === 'month' || field === 'dayOfWeek' ? item.replace(/[a-z]{3}/gi, '') : item;
    if (unnamed.includes('H')) throw fail(`${label} ${JSON.stringify(item)}: H (a random value) is not supported; it would change on every load`);
    // cron-parser reads `*#2` as "the 2nd of every weekday"; no cron defines that.
    if (field === 'dayOfWeek' && /^[*?]#/.test(item)) throw fail(`${label} ${JSON.stringify(item)}: # needs one weekday, e.g. 1#2`);
    const { values, nth } = parseItem(field, item, fail);
    for (const value of values) {
      if (typeof value === 'number') {
        // cron-parser reports Sunday as 7 as well as 0.
        const v = field === 'dayOfWeek' ? value % 7 : value;
        if (nth > 0) terms.set(`#${v}#${nth}`, { kind: 'nth-weekday', weekday: v, nth });
        else numbers.add(v);
      } else if (value === 'L' && field === 'dayOfMonth') terms.set('L', { kind: 'last-day', before: 0 });
      else if (typeof value === 'string' && field === 'dayOfWeek' && /^[0-7]L$/.test(value)) {
        const weekday = Number(value[0]) % 7;
        terms.set(`${weekday}L`, { kind: 'last-weekday', weekday });
      } else throw fail(`${label} ${JSON.stringify(item)}: unexpected value ${JSON.stringify(value)}`);
    }
  }
  return { numbers: [...numbers].sort((a, b) => a - b), terms: [...terms.values()] };
}

const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * A weekday range that wraps past Sunday (`fri-mon`, `5-1/2`), which SPEC §3.3 allows in both
 * forms but cron-parser refuses, as the explicit weekdays it means; any other item as is.
 */
function unwrapWeekdays(item: string): string[] {
  const match = /^([a-z]{3}|\d)-([a-z]{3}|\d)(?:\/(\d+))?$/i.exec(item);
  if (!match) return [item];
  const [, from = '', to = '', step = '1'] = match;
  const day = (text: string) => (/^\d$/.test(text) ? Number(text) : WEEKDAY_NAMES.indexOf(text.toLowerCase()));
  const [start, end, stride] = [day(from), day(to), Number(step)];
  if (start < 0 || end < 0 || start <= end || start > 7 || end > 7 || stride < 1) return [item];
  const days: string[] = [];
  for (let k = 0; k <= 7 + end - start; k += stride) days.push(String((start + k) % 7));
  return days;
}

/**
 * Reads one list item: a plain numeric one directly (see `crontab-items.ts`), any other with
 * cron-parser, inside an expression whose other fields never restrict.
 */
function parseItem(field: Field, item: string, fail: Fail): ParsedItem {
  const plain = plainItemValues(field, item);
  return plain === null ? cronParserItem(field, item, fail) : { values: plain, nth: 0 };
}

/** Reads one list item with cron-parser. Exported for the test that compares both readings. */
export function cronParserItem(field: Field, item: string, fail: Fail): ParsedItem {
  const atoms = [...TEMPLATE];
  atoms[FIELDS.indexOf(field)] = item;
  let parsed: ParsedItem;
  try {
    const fields = CronExpressionParser.parse(atoms.join(' ')).fields;
    parsed = { values: Object.freeze([...fields[field].values]), nth: field === 'dayOfWeek' ? fields.dayOfWeek.nthDay : 0 };
  } catch (error) {
    throw fail(`${LABELS[field]} ${JSON.stringify(item)}: ${inOwnWords(error instanceof Error ? error.message : String(error))}`);
  }
  return parsed;
}

/** cron-parser's reasons, said the way the library's other errors say them. */
const REASONS: readonly [RegExp, (...groups: string[]) => string][] = [
  [/got value (\S+) expected range (\d+)-(\d+)/, (value, min, max) => `${value} is outside ${min}-${max}`],
  [/got range (\d+)-(\d+) expected range (\d+)-(\d+)/, (from, to, min, max) => `the range ${from}-${to} is outside ${min}-${max}`],
  [/Invalid range: (\d+)-(\d+), outside the (\d+)-(\d+) range/, (from, to, min, max) => `the range ${from}-${to} is outside ${min}-${max}`],
  [/Invalid range: (\d+)-(\d+), min/, (from, to) => `the range ${from}-${to} runs backwards`],
  [/Invalid range: (\S+), no usable value/, (range) => `the range ${range} has no value this field allows`],
  [/cannot repeat at every (\S+) time|Invalid step: (\S+), must be positive/, (a, b) => `a step of ${a ?? b} never repeats`],
  [/Invalid step: (\S+), wider than the (\S+) range/, (step, range) => `the step ${step} is wider than the range ${range}`],
  [/duplicate values found: (.*)/, (values) => `${values} appears more than once`],
  [/cannot resolve alias "(.*)"/, (name) => `${JSON.stringify(name)} is not a month or weekday name`],
  [/too many values/, () => 'it lists too many values'],
  [/occurrence number/, () => 'the number after # must be 1 to 5'],
  [/special characters are incompatible/, () => '# cannot be combined with other forms in one item'],
  [/standalone L/, () => 'L needs a weekday before it here (5L: the last Friday)'],
];

/** A reason from cron-parser in the library's words; one it does not know, in general terms. */
function inOwnWords(message: string): string {
  for (const [pattern, say] of REASONS) {
    const match = pattern.exec(message);
    if (match) return say(...(match.slice(1) as string[]));
  }
  return 'not a value this field takes (a number, a name, *, a range a-b, a step */n, or a list of them)';
}
