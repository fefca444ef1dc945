/**
 * Running the store's scripts: `EVALSHA` (Redis keeps scripts by their SHA-1, so a call sends
 * only the hash), and `EVAL` with the whole source when the server answers `NOSCRIPT` (it
 * restarted, flushed its script cache, or a Cluster shard has not seen the script yet); `EVAL`
 * also caches it for the next calls. Nothing is added to the client object (no
 * `defineCommand`), so an application's client is left exactly as it was given.
 *
 * @internal
 * @module
 */
import type { RedisValue } from 'ioredis';
import type { LuaScript } from './lua/script.js';
import type { RedisClient } from './options.js';

/** Whether `error` is Redis's answer to an `EVALSHA` of a script it does not have. */
function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Runs `script` with `keys` (ioredis adds the client's `keyPrefix` to each) and `args`.
 *
 * @returns the script's reply, as ioredis decodes it
 */
export async function runScript(client: RedisClient, script: LuaScript, keys: readonly string[], args: readonly RedisValue[]): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}
