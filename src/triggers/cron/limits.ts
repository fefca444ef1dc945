/**
 * The size limit on cron expressions, checked before any parsing: a field expression of the
 * field form, or a whole crontab string, longer than this is refused.
 *
 * @internal
 * @module
 */
import { InvalidTriggerError } from '../../errors.js';

/**
 * The most characters a field-form field expression or a crontab string may have.
 *
 * Listing every value a field can take, one by one, needs about half of it (the longest: day,
 * with every day, `last` and every `last fri` / `2nd mon` term, about 500 characters); only a
 * year list could go further, and years have ranges and steps. cron-parser applies the same
 * number to a whole expression, but we hand it one list item at a time, so its own check never
 * sees the whole string. Parsing a crontab string costs about one cron-parser call per distinct
 * list item, so the limit also bounds the work done before an expression is accepted.
 */
export const MAX_EXPRESSION_LENGTH = 1024;

/**
 * Refuses an expression longer than {@link MAX_EXPRESSION_LENGTH}, in constant time.
 *
 * @param field - the option at fault: `cron.expression`, `cron.hour`, ...
 * @param expression - the text as given, before any trimming
 * @param what - how the reason names it: `'a crontab string'`, `'a field expression'`
 * @throws InvalidTriggerError naming `field`, with the length and the limit
 */
export function checkLength(field: string, expression: string, what: string): void {
  if (expression.length <= MAX_EXPRESSION_LENGTH) return;
  throw new InvalidTriggerError(
    field,
    expression,
    `${expression.length} characters, more than the ${MAX_EXPRESSION_LENGTH} ${what} may have; use ranges and steps rather than long lists`,
  );
}
