/**
 * The plain numeric crontab list items (`*`, `5`, `1-5`, `*\/15`, `10-50/20`, `5/20`) read without
 * cron-parser. A cron-parser call builds a whole expression and costs hundreds of microseconds;
 * the common items need only their numbers, so a trigger built per job (the README's
 * `CronTrigger.fromCrontab(...)`) costs microseconds. Anything else (names, `L`, `#`, `?`, `H`,
 * a value out of range, a step of 0, a range that runs backwards) is left to cron-parser, which
 * also words the errors: both readings agree on every item this one takes (a property test
 * compares them). {@link isPlainCrontab} tells, without compiling, whether a whole string is made
 * of such items and surely fires, so a trigger built per job can leave compiling to its first use.
 *
 * @internal
 * @module
 */

/** The crontab fields, in the order of a 6-field expression, with cron-parser's ranges. */
export const ITEM_RANGES = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [0, 7],
} as const;

/** A crontab field name. */
export type ItemField = keyof typeof ITEM_RANGES;

/** `*`, `n` or `a-b`, then an optional `/step`; numbers are decimal digits (leading zeros allowed). */
const PLAIN = /^(?:(\*)|(\d{1,4})(?:-(\d{1,4}))?)(?:\/(\d{1,4}))?$/;

/** The `[from, to, step]` of a plain numeric item, or `null` when this reader does not take it. */
function plainItemRange(field: ItemField, item: string): [number, number, number] | null {
  const match = PLAIN.exec(item);
  if (match === null) return null;
  const [min, max] = ITEM_RANGES[field];
  const [, star, fromText, toText, stepText] = match;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (step < 1) return null;
  if (star !== undefined) return [min, max, step];
  const from = Number(fromText);
  // `a/step` runs from a to the field's end; `a` alone is one value.
  const to = toText !== undefined ? Number(toText) : stepText !== undefined ? max : from;
  return from < min || to > max || from > to ? null : [from, to, step];
}

/**
 * The values of a plain numeric item, or `null` when the item is not one this reader takes (then
 * cron-parser reads it). Day of week keeps 7 as 7: the caller folds Sunday to 0, as it does with
 * cron-parser's values.
 */
export function plainItemValues(field: ItemField, item: string): number[] | null {
  const range = plainItemRange(field, item);
  if (range === null) return null;
  const [from, to, step] = range;
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

/** The fields of a 6-field crontab string, in order. */
const SIX: readonly ItemField[] = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'];

const SPACE = 32;
const COMMA = 44;
const DASH = 45;
const SLASH = 47;
const STAR = 42;
const ZERO = 48;
const NINE = 57;

/**
 * Whether a normalized crontab string (single spaces) is made only of plain numeric items and
 * surely fires: its day of month is `*`, or its day of week and month are `*` (every day number
 * exists in some month). Such a string compiles without error and matches some date, so a
 * trigger may check it this cheaply and compile it on first use. `false` means "not sure".
 *
 * It reads the string in place, without splitting it or matching a pattern per item: it runs
 * for every trigger a user builds per job. It takes exactly the items {@link plainItemValues}
 * takes (a property test holds the two together).
 */
export function isPlainCrontab(text: string): boolean {
  let spaces = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === SPACE) spaces++;
  if (spaces !== 4 && spaces !== 5) return false;
  let field = spaces === 4 ? 1 : 0;
  let at = 0;
  let starred = 0; // bit i: field i is exactly `*`
  for (; field < 6; field++) {
    const space = text.indexOf(' ', at);
    const end = space === -1 ? text.length : space;
    if (end - at === 1 && text.charCodeAt(at) === STAR) starred |= 1 << field;
    else if (!isPlainList(SIX[field] as ItemField, text, at, end)) return false;
    at = end + 1;
  }
  const [dayOfMonth, month, dayOfWeek] = [1 << 3, 1 << 4, 1 << 5];
  return (starred & dayOfMonth) !== 0 || ((starred & month) !== 0 && (starred & dayOfWeek) !== 0);
}

/** Whether `text[from, to)` is a comma-separated list of plain items of `field`. */
function isPlainList(field: ItemField, text: string, from: number, to: number): boolean {
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i < to && text.charCodeAt(i) !== COMMA) continue;
    if (!isPlainItem(field, text, start, i)) return false;
    start = i + 1;
  }
  return true;
}

/** `*`, `n` or `a-b`, then an optional `/step`, in range: what {@link plainItemRange} takes. */
function isPlainItem(field: ItemField, text: string, from: number, to: number): boolean {
  const [min, max] = ITEM_RANGES[field];
  let i = from;
  let low: number = min;
  let high: number = max;
  if (i < to && text.charCodeAt(i) === STAR) i++;
  else {
    const a = readNumber(text, i, to);
    if (a < 0) return false;
    i += digitsOf(text, i, to);
    low = a;
    high = a;
    if (i < to && text.charCodeAt(i) === DASH) {
      const b = readNumber(text, i + 1, to);
      if (b < 0) return false;
      i += 1 + digitsOf(text, i + 1, to);
      high = b;
    } else if (i < to && text.charCodeAt(i) === SLASH) high = max; // `a/step` runs to the field's end
  }
  if (i < to && text.charCodeAt(i) === SLASH) {
    const step = readNumber(text, i + 1, to);
    if (step < 1) return false;
    i += 1 + digitsOf(text, i + 1, to);
  }
  return i === to && low >= min && high <= max && low <= high;
}

/** How many decimal digits start at `from` (before `to`). */
function digitsOf(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && text.charCodeAt(i) >= ZERO && text.charCodeAt(i) <= NINE) i++;
  return i - from;
}

/** The number of 1 to 4 digits at `from`, or -1 if there is none (or more than 4). */
function readNumber(text: string, from: number, to: number): number {
  const digits = digitsOf(text, from, to);
  if (digits === 0 || digits > 4) return -1;
  let value = 0;
  for (let i = from; i < from + digits; i++) value = value * 10 + (text.charCodeAt(i) - ZERO);
  return value;
}
