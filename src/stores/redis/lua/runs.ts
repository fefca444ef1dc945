/**
 * The scripts behind `extendRuns`, `finishRuns` and `reapRuns`. A run counts as in flight while
 * its lease end is after now; once now reaches it, the run is abandoned (its node stopped
 * extending it) and the next `reapRuns` removes and returns it, to exactly one caller.
 *
 * A run's JSON is decoded in Lua (cjson) only for its `jobId` and `node`; one that does not
 * decode (edited by hand) is still removed, from the indexes it can be found in.
 *
 * @internal
 * @module
 */
import { luaScript } from './script.js';

/** Decodes a run's JSON, or `nil`. */
const DECODE = `
local function decode(text)
  if not text then return nil end
  local ok, run = pcall(cjson.decode, text)
  if ok and type(run) == 'table' and type(run.jobId) == 'string' then return run end
  return nil
end
`;

/**
 * Moves the lease of the runs of ARGV[4..] that node ARGV[1] has in flight to ARGV[3]; a run
 * whose lease already ended is left to the reaper.
 * KEYS: runs, run-leases, job-runs prefix. ARGV: node, now (ms), lease end (ms), run ids.
 */
export const EXTEND = luaScript(
  'extend',
  'writes',
  `${DECODE}
expectType(KEYS[1], 'hash')
expectType(KEYS[2], 'zset')
local now = tonumber(ARGV[2])
local extended = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local leaseEnd = redis.call('ZSCORE', KEYS[2], id)
  if leaseEnd and tonumber(leaseEnd) > now then
    local run = decode(redis.call('HGET', KEYS[1], id))
    if run and run.node == ARGV[1] then
      expectType(KEYS[3] .. run.jobId, 'zset')
      extended[#extended + 1] = {id, run.jobId}
    end
  end
end
for _, run in ipairs(extended) do
  redis.call('ZADD', KEYS[2], ARGV[3], run[1])
  redis.call('ZADD', KEYS[3] .. run[2], ARGV[3], run[1])
end
return #extended
`,
);

/**
 * Forgets runs; unknown ids are ignored.
 * KEYS: runs, run-leases, job-runs prefix. ARGV: run ids.
 */
export const FINISH = luaScript(
  'finish',
  'allow-oom',
  `${DECODE}
expectType(KEYS[1], 'hash')
expectType(KEYS[2], 'zset')
local runs = {}
for _, id in ipairs(ARGV) do
  local run = decode(redis.call('HGET', KEYS[1], id))
  if run then expectType(KEYS[3] .. run.jobId, 'zset') end
  runs[#runs + 1] = {id, run}
end
for _, entry in ipairs(runs) do
  local id, run = entry[1], entry[2]
  if run then redis.call('ZREM', KEYS[3] .. run.jobId, id) end
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
return #runs
`,
);

/**
 * Removes up to ARGV[2] runs whose lease ended at or before ARGV[1] and returns them, three
 * values each: run id, its JSON, its lease end (ms).
 * KEYS: runs, run-leases, job-runs prefix. ARGV: now (ms), most runs.
 */
export const REAP = luaScript(
  'reap',
  'allow-oom',
  `${DECODE}
expectType(KEYS[1], 'hash')
expectType(KEYS[2], 'zset')
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', '0', ARGV[2])
local runs = {}
for i = 1, #expired, 2 do
  local text = redis.call('HGET', KEYS[1], expired[i])
  local run = decode(text)
  if run then expectType(KEYS[3] .. run.jobId, 'zset') end
  runs[#runs + 1] = {expired[i], text, run, expired[i + 1]}
end
local out = {}
for _, entry in ipairs(runs) do
  local id, text, run = entry[1], entry[2], entry[3]
  if run then redis.call('ZREM', KEYS[3] .. run.jobId, id) end
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  if text then
    out[#out + 1] = id
    out[#out + 1] = text
    out[#out + 1] = entry[4]
  end
end
return out
`,
);
