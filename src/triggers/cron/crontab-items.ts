/**
 * The plain numeric crontab list items (`*`, `5`, `1-5`, `*\/15`, `10-50/20`, `5/20`) read without
 * cron-parser. A cron-parser call builds a whole expression and costs hundreds of microseconds;
 * the common items need only their numbers, so a trigger built per job (the README's
 * `CronTrigger.fromCrontab(...)`) costs microseconds. Anything else (names, `L`, `#`, `?`, `H`,
 * a value out of range, a step of 0, a range that runs backwards) is left to cron-parser, which
 * also words the errors: both readings agree on every item this one takes (a property test
 * compares them).
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

/**
 * Whether a normalized crontab string (single spaces) is made only of plain numeric items and
 * surely fires: its day of month is `*`, or its day of week and month are `*` (every day number
 * exists in some month). Such a string compiles without error and matches some date, so a
 * trigger may check it this cheaply and compile it on first use. `false` means "not sure".
 */
export function isPlainCrontab(normalized: string): boolean {
  const atoms = normalized.split(' ');
  if (atoms.length === 5) atoms.unshift('0');
  else if (atoms.length !== 6) return false;
  const [, , , dayOfMonth, month, dayOfWeek] = atoms as [string, string, string, string, string, string];
  if (dayOfMonth !== '*' && (dayOfWeek !== '*' || month !== '*')) return false;
  return atoms.every((atom, i) => atom.split(',').every((item) => plainItemRange(SIX[i] as ItemField, item) !== null));
}
