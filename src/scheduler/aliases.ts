/**
 * Adding a store or executor under an alias: claim the alias first (so two concurrent calls
 * cannot both take it), start the part if the scheduler runs, and give the alias back if that
 * fails.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/** Registers `part` under `alias` in `parts`, running `start` (if given) before it counts as added. */
export async function claimAlias<T>(
  parts: Map<string, T>,
  alias: string,
  part: T,
  start: (() => Promise<void> | void) | null,
): Promise<void> {
  if (parts.has(alias)) throw new InvalidArgumentError('alias', alias, 'an alias not in use');
  parts.set(alias, part);
  try {
    await start?.();
  } catch (error) {
    parts.delete(alias);
    throw error;
  }
}
