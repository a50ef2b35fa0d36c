import type { RedisClient } from '../redis/redis.client.js';
import { LuaScript } from '../redis/lua.script.js';
import { retentionStatsKey } from './retention.keys.js';
import { STREAM_ID_LUA } from '../redis/stream-id.lua.js';

/** The bounds one stream is trimmed to, and the groups that hold it back. */
export interface TrimBounds {
  maxLength: number;
  /** Past this length the stream is trimmed even past what a group has not acknowledged. */
  hardMaxLength: number;
  maxAgeMs: number;
  /** At most this many entries are removed per call: RedisClient must not stall; the rest goes next run. */
  maxRemoved: number;
  /** Declared groups: each holds back what it has not acknowledged; a missing one holds all. */
  groups: readonly string[];
}

export interface TrimResult {
  stream: string;
  trimmed: number;
  /** Per group, entries removed past the hard cap that it had not acknowledged; only groups that lost any. */
  lost: Record<string, number>;
}

// A legacy script on purpose (no `#!lua` flags): RedisClient then checks out-of-memory per command, and
// XTRIM, which frees memory, still runs when Redis is full; the counters are best effort (pcall).
// Computing the floor and trimming in one script means no read or acknowledgement can slip in
// between: an entry a group still needs is never cut.
//
// Entries are removed from the head, and every rule selects a prefix of the stream, so one scan
// from the head decides: an entry goes if (it is past maxLength from the tail, or older than
// maxAgeMs) and every declared group acknowledged it, or if it is past hardMaxLength. The scan
// stops at the first entry that stays, or after maxRemoved.
const source = `
local stream, stats = KEYS[1], KEYS[2]
local maxLength, hardMax = tonumber(ARGV[1]), tonumber(ARGV[2])
local maxAgeMs, maxRemoved = tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('EXISTS', stream) == 0 then return { 0 } end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
${STREAM_ID_LUA}
local function stamp() redis.pcall('HSET', stats, 'lastRunAt', now) end

local length = redis.call('XLEN', stream)
local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
local ageCut = now - maxAgeMs
local byLength, byHard = length - maxLength, length - hardMax
if #first == 0 or (byLength <= 0 and byHard <= 0 and parse(first[1][1]) >= ageCut) then
  stamp()
  return { 0 }
end

-- Each declared group's floor: its oldest pending entry, or the first entry after its
-- last-delivered-id, whichever comes first; false when it needs nothing in the stream.
local existing = {}
for _, flat in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
  local record = {}
  for i = 1, #flat, 2 do record[flat[i]] = flat[i + 1] end
  existing[record['name']] = record
end
local names, floors = {}, {}
for i = 5, #ARGV do
  local name = ARGV[i]
  names[#names + 1] = name
  local group = existing[name]
  if not group then
    floors[name] = '0-0' -- declared but missing (being restored): it holds everything
  else
    local need = false
    local pending = redis.call('XPENDING', stream, name)
    if pending[1] > 0 then need = pending[2] end
    local nextEntry = redis.call('XRANGE', stream, '(' .. group['last-delivered-id'], '+', 'COUNT', 1)
    if #nextEntry > 0 and (not need or before(nextEntry[1][1], need)) then need = nextEntry[1][1] end
    floors[name] = need
  end
end
local function acknowledgedByAll(id)
  for _, name in ipairs(names) do
    local floor = floors[name]
    if floor and not before(id, floor) then return false end
  end
  return true
end

local removed, lost, cursor, page = 0, {}, '-', 1000
while removed < maxRemoved do
  local entries = redis.call('XRANGE', stream, cursor, '+', 'COUNT', math.min(page, maxRemoved - removed))
  if #entries == 0 then break end
  local stop = false
  for _, entry in ipairs(entries) do
    local id, index = entry[1], removed + 1
    local due = index <= byLength or parse(id) < ageCut
    local forced = index <= byHard
    local free = acknowledgedByAll(id)
    if not ((due and free) or forced) then stop = true break end
    if not free then
      for _, name in ipairs(names) do
        local floor = floors[name]
        if floor and not before(id, floor) then lost[name] = (lost[name] or 0) + 1 end
      end
    end
    removed = index
    cursor = '(' .. id
  end
  if stop then break end
end

local reply = { removed }
if removed > 0 then
  redis.call('XTRIM', stream, 'MAXLEN', '=', length - removed)
  redis.pcall('HINCRBY', stats, 'trimmed', removed)
  for _, name in ipairs(names) do
    if lost[name] then
      redis.pcall('HINCRBY', stats, 'lost:' .. name, lost[name])
      reply[#reply + 1] = name
      reply[#reply + 1] = lost[name]
    end
  end
end
stamp()
return reply
`;

const trimStream = new LuaScript(source);

/** Trims `stream` within `bounds` in one script call; a missing stream is left alone. */
export async function trimStreamOnce(redis: RedisClient, stream: string, bounds: TrimBounds): Promise<TrimResult> {
  const reply = (await trimStream.run(
    redis,
    [stream, retentionStatsKey(stream)],
    [bounds.maxLength, bounds.hardMaxLength, bounds.maxAgeMs, bounds.maxRemoved, ...bounds.groups],
  )) as (number | string)[];
  const lost: Record<string, number> = {};
  for (let i = 1; i + 1 < reply.length; i += 2) lost[String(reply[i])] = Number(reply[i + 1]);
  return { stream, trimmed: Number(reply[0]), lost };
}
