/**
 * The scripts behind `acquireDueJobs`, `releaseJobs` and `commitJobs`: leasing due jobs, and
 * handing them back together with the runs they start, each in one atomic step (as the SQL
 * stores do in one transaction with row locks).
 *
 * @internal
 * @module
 */
import { luaScript } from './script.js';

/**
 * Takes back the expired leases of owners other than ARGV[2], then leases up to ARGV[4] due jobs
 * to it, earliest first (ties by id, byte order). Returns four values per job leased: id,
 * `data`, `next`, `version`.
 *
 * A due id whose key is gone (deleted by hand) is dropped from the indexes; one whose key is not
 * a hash cannot hold a lease and is dropped from `due` only (the key itself is left alone).
 *
 * KEYS: due, leases, wake, jobs, job prefix. ARGV: now (ms), owner, lease end (ms), limit.
 */
export const ACQUIRE = luaScript(
  'acquire',
  'writes',
  `
local due, leases, wake, jobs, prefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now, owner, leaseEnd, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
for i = 1, 3 do expectType(KEYS[i], 'zset') end
expectType(jobs, 'set')
for _, id in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', now)) do
  local key = prefix .. id
  if typeOf(key) ~= 'hash' then
    redis.call('ZREM', leases, id)
    redis.call('ZREM', wake, id)
  else
    local held = redis.call('HMGET', key, 'owner', 'ms')
    if held[1] ~= owner then
      redis.call('HDEL', key, 'owner', 'until', 'leased')
      redis.call('ZREM', leases, id)
      redis.call('ZREM', wake, id)
      if isNumber(held[2]) then redis.call('ZADD', due, held[2], id) end
    end
  end
end
local out = {}
if limit <= 0 then return out end
local picked = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'WITHSCORES', 'LIMIT', '0', ARGV[4])
for i = 1, #picked, 2 do
  local id, score = picked[i], picked[i + 1]
  local key = prefix .. id
  local kind = typeOf(key)
  redis.call('ZREM', due, id)
  if kind == 'hash' then
    local f = redis.call('HMGET', key, 'data', 'next', 'version', 'trigger')
    redis.call('HSET', key, 'owner', owner, 'until', leaseEnd, 'leased', f[4] or '')
    redis.call('ZADD', leases, leaseEnd, id)
    redis.call('ZADD', wake, later(score, leaseEnd), id)
    out[#out + 1] = id
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    out[#out + 1] = f[3]
  elseif kind == 'none' then
    redis.call('SREM', jobs, id)
  end
end
return out
`,
);

/**
 * Ends the leases ARGV[1] holds as `releaseJobs` does (with ARGV[2] = '1', a release of kind
 * `hold` keeps the job leased until ARGV[4]), then records the runs allowed to start: those of
 * jobs whose release was applied or that have no release here, while fewer than their
 * `maxInstances` runs are in flight (lease end after now). Returns { removed ids, started run
 * ids, run ids at their limit }.
 *
 * A release is applied only if the job's lease is still the owner's and its `next` and trigger
 * are those it was acquired with; otherwise only the lease is dropped (a change made meanwhile
 * wins). A second release of one job in the same call finds no lease.
 *
 * KEYS: due, leases, wake, jobs, runs, run-leases, job prefix, job-runs prefix.
 * ARGV: owner, holding ('1'/'0'), now (ms), lease end (ms), release count, then per release:
 * id, acquired run time, next ('' for none), its ms, kind ('move', 'pause', 'remove', 'hold');
 * then run count, and per run: run id, job id, maxInstances, the run's JSON.
 */
export const COMMIT = luaScript(
  'commit',
  'writes',
  `
local due, leases, wake, jobs, runs, runLeases, prefix, jobRuns = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local owner, holding, now, leaseEnd = ARGV[1], ARGV[2] == '1', ARGV[3], ARGV[4]
local removed, started, atLimit = {}, {}, {}
local seen, applied, released = {}, {}, {}
for i = 1, 3 do expectType(KEYS[i], 'zset') end
expectType(jobs, 'set')
expectType(runs, 'hash')
expectType(runLeases, 'zset')
local r = 7 + 5 * tonumber(ARGV[5])
for _ = 1, tonumber(ARGV[r - 1]) do
  expectType(jobRuns .. ARGV[r + 1], 'zset')
  r = r + 4
end

local function unlease(id, key, ms)
  redis.call('HDEL', key, 'owner', 'until', 'leased')
  redis.call('ZREM', leases, id)
  redis.call('ZREM', wake, id)
  if isNumber(ms) then redis.call('ZADD', due, ms, id) end
end

local a = 6
for _ = 1, tonumber(ARGV[5]) do
  local id, acquired, nextTime, nextMs, kind = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  a = a + 5
  released[id] = true
  local key = prefix .. id
  if not seen[id] and typeOf(key) == 'hash' then
    seen[id] = true
    local f = redis.call('HMGET', key, 'owner', 'next', 'trigger', 'leased', 'ms', 'version')
    local version = f[6]
    local countable = version and string.match(version, '^%d+$') ~= nil and #version <= 15
    if f[1] ~= owner then
      -- not this owner's lease (never acquired, taken over, or the job was replaced): ignored
    elseif f[2] ~= acquired or f[3] ~= f[4] or not countable then
      unlease(id, key, f[5])
    else
      applied[id] = true
      if holding and kind == 'hold' and nextTime == f[2] then
        redis.call('HSET', key, 'until', leaseEnd)
        redis.call('ZADD', leases, leaseEnd, id)
        redis.call('ZADD', wake, isNumber(f[5]) and later(f[5], leaseEnd) or leaseEnd, id)
      elseif holding and kind == 'hold' then
        redis.call('HSET', key, 'next', nextTime, 'ms', nextMs, 'until', leaseEnd)
        redis.call('HINCRBY', key, 'version', 1)
        redis.call('ZADD', leases, leaseEnd, id)
        redis.call('ZADD', wake, later(nextMs, leaseEnd), id)
      elseif kind == 'remove' then
        redis.call('DEL', key)
        redis.call('SREM', jobs, id)
        redis.call('ZREM', due, id)
        redis.call('ZREM', leases, id)
        redis.call('ZREM', wake, id)
        removed[#removed + 1] = id
      else
        redis.call('HINCRBY', key, 'version', 1)
        if kind == 'pause' then
          redis.call('HDEL', key, 'next', 'ms')
          unlease(id, key, false)
        else
          redis.call('HSET', key, 'next', nextTime, 'ms', nextMs)
          unlease(id, key, nextMs)
        end
      end
    end
  end
end

for _ = 1, tonumber(ARGV[a]) do
  local runId, jobId, most, run = ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3]), ARGV[a + 4]
  a = a + 4
  if not released[jobId] or applied[jobId] then
    local counted = jobRuns .. jobId
    -- Runs whose lease ended no longer count (the reaper removes them from here too).
    if redis.call('ZCOUNT', counted, '(' .. now, '+inf') >= most then
      atLimit[#atLimit + 1] = runId
    else
      redis.call('HSET', runs, runId, run)
      redis.call('ZADD', runLeases, leaseEnd, runId)
      redis.call('ZADD', counted, leaseEnd, runId)
      started[#started + 1] = runId
    end
  end
end
return {removed, started, atLimit}
`,
);
