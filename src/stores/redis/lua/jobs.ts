/**
 * The scripts that write and read jobs outside the leases: add, update, remove, remove all, read
 * records, and the next run time. The writes publish the store's change message in the same
 * step, so another scheduler hears of a change only once it is there to be read.
 *
 * @internal
 * @module
 */
import { luaScript } from './script.js';

/**
 * Writes the schema version into `{p}meta` unless one is there; returns the stored one.
 * KEYS: meta. ARGV: version.
 */
export const INIT = luaScript(
  'init',
  'writes',
  `
local found = redis.call('HGET', KEYS[1], 'schema')
if found then return found end
redis.call('HSET', KEYS[1], 'schema', ARGV[1])
return ARGV[1]
`,
);

/**
 * Adds a job unless its key exists. Returns 1, or 0 for a conflicting id.
 * KEYS: jobs, due, job prefix. ARGV: id, data, next ('' paused), ms, version, trigger, channel, token.
 */
export const ADD = luaScript(
  'add',
  'writes',
  `
expectType(KEYS[1], 'set')
expectType(KEYS[2], 'zset')
local id = ARGV[1]
local key = KEYS[3] .. id
if redis.call('EXISTS', key) == 1 then return 0 end
writeJob(key, ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[2], ARGV[4], id) end
redis.call('SADD', KEYS[1], id)
redis.call('PUBLISH', ARGV[7], ARGV[8])
return 1
`,
);

/**
 * Replaces a job whose stored version is the given previous one; a leased job keeps its lease.
 * Returns 1, 0 when the job is missing, -1 for another version, -2 when its key is not a hash.
 * KEYS: due, wake, job prefix. ARGV: id, data, next ('' paused), ms, version, previous version,
 * trigger, channel, token.
 */
export const UPDATE = luaScript(
  'update',
  'writes',
  `
expectType(KEYS[1], 'zset')
expectType(KEYS[2], 'zset')
local id = ARGV[1]
local key = KEYS[3] .. id
local kind = typeOf(key)
if kind == 'none' then return 0 end
if kind ~= 'hash' then return -2 end
local stored = redis.call('HMGET', key, 'version', 'owner', 'until')
if stored[1] ~= ARGV[6] then return -1 end
writeJob(key, ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[7])
if not stored[2] then
  if ARGV[3] == '' then redis.call('ZREM', KEYS[1], id) else redis.call('ZADD', KEYS[1], ARGV[4], id) end
elseif ARGV[3] == '' or not isNumber(stored[3]) then
  redis.call('ZREM', KEYS[2], id)
else
  redis.call('ZADD', KEYS[2], later(ARGV[4], stored[3]), id)
end
redis.call('PUBLISH', ARGV[8], ARGV[9])
return 1
`,
);

/**
 * Removes a job with its lease. Returns 1, or 0 when it was missing.
 * KEYS: jobs, due, leases, wake, job prefix. ARGV: id, channel, token.
 */
export const REMOVE = luaScript(
  'remove',
  'allow-oom',
  `
expectType(KEYS[1], 'set')
for i = 2, 4 do expectType(KEYS[i], 'zset') end
local id = ARGV[1]
local removed = redis.call('DEL', KEYS[5] .. id)
redis.call('SREM', KEYS[1], id)
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('ZREM', KEYS[4], id)
if removed == 0 then return 0 end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`,
);

/**
 * Removes up to ARGV[1] jobs; once none is left, empties the job indexes and publishes. Returns
 * how many it removed, or -1 when it found the last ones (the caller stops).
 * KEYS: jobs, due, leases, wake, job prefix. ARGV: batch size, channel, token.
 */
export const CLEAR = luaScript(
  'clear',
  'allow-oom',
  `
expectType(KEYS[1], 'set')
for i = 2, 4 do expectType(KEYS[i], 'zset') end
local size = tonumber(ARGV[1])
local ids = redis.call('SPOP', KEYS[1], size)
for _, id in ipairs(ids) do
  redis.call('DEL', KEYS[5] .. id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZREM', KEYS[4], id)
end
if #ids < size then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return -1
end
return #ids
`,
);

/**
 * Reads jobs: for each id of ARGV, four values: its state ('none', 'hash' or the key's other
 * type), then its `data`, `next`, `version` and `ms` (nil where missing).
 * KEYS: job prefix. ARGV: ids.
 */
export const READ = luaScript(
  'read',
  'no-writes',
  `
local out = {}
for _, id in ipairs(ARGV) do
  local key = KEYS[1] .. id
  local kind = typeOf(key)
  local fields = {false, false, false, false}
  if kind == 'hash' then fields = redis.call('HMGET', key, 'data', 'next', 'version', 'ms') end
  out[#out + 1] = kind
  for i = 1, 4 do out[#out + 1] = fields[i] end
end
return out
`,
);

/**
 * The earliest free job's `next` and score, and the earliest leased job's wake score (each nil
 * when there is none).
 * KEYS: due, wake, job prefix.
 */
export const NEXT = luaScript(
  'next',
  'no-writes',
  `
local free = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wake = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
local written = false
if free[1] and typeOf(KEYS[3] .. free[1]) == 'hash' then written = redis.call('HGET', KEYS[3] .. free[1], 'next') end
return {written, free[2] or false, wake[2] or false}
`,
);
