/**
 * How the store's Lua scripts are written and named. Each atomic step of the store is one
 * script: Redis runs a script to its end before any other command, so what it reads and writes
 * is one step for every other client.
 *
 * Every script starts with a shebang (`#!lua`, Redis 7+), for two reasons: a script that may
 * write is refused as a whole when Redis is at its `maxmemory` (with the `noeviction` policy),
 * before its first command, never half-way; and flags say which scripts only read
 * (`no-writes`) or only delete (`allow-oom`, so that jobs and runs can still be removed to free
 * memory). A script never does arithmetic that produces a number it then writes (Lua prints
 * numbers with 14 digits): instants come from JavaScript as strings and are written as given.
 * Redis does not undo what a failing script already wrote, so a writing script first checks
 * the type of every key it will write (`expectType`: an index overwritten by hand fails the call
 * before anything is written) and the values it reads back before a command that could fail on
 * them.
 *
 * @internal
 * @module
 */
import { createHash } from 'node:crypto';

/** What a script may do, in its shebang. */
export type ScriptFlags = 'writes' | 'no-writes' | 'allow-oom';

/** A script of the store: its name (for messages), its source and the SHA-1 Redis caches it by. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

/** Helpers every script may use. */
const HELPERS = `
local function isNumber(value)
  local n = tonumber(value)
  return n ~= nil and n == n and n ~= math.huge and n ~= -math.huge
end
local function later(a, b)
  if tonumber(a) >= tonumber(b) then return a end
  return b
end
local function typeOf(key)
  return redis.call('TYPE', key).ok
end
local function expectType(key, kind)
  local found = typeOf(key)
  if found ~= 'none' and found ~= kind then
    error({err = 'WRONGTYPE the key ' .. key .. ' holds a ' .. found .. ' where the job store keeps a ' .. kind .. ' (overwritten by hand?); nothing was written'})
  end
end
local function writeJob(key, data, next, ms, version, trigger)
  if next == '' then
    redis.call('HSET', key, 'data', data, 'version', version, 'trigger', trigger)
    redis.call('HDEL', key, 'next', 'ms')
  else
    redis.call('HSET', key, 'data', data, 'next', next, 'ms', ms, 'version', version, 'trigger', trigger)
  end
end
`;

/** A script with its shebang and the shared helpers in front of `body`. */
export function luaScript(name: string, flags: ScriptFlags, body: string): LuaScript {
  const shebang = flags === 'writes' ? '#!lua' : `#!lua flags=${flags}`;
  const source = `${shebang}\n${HELPERS}\n${body.trim()}\n`;
  return { name, source, sha: createHash('sha1').update(source, 'utf8').digest('hex') };
}
