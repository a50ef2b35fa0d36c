import type { RedisClient } from '../redis/redis.client.js';
import { LuaScript } from '../redis/lua.script.js';
import type { GroupPosition } from './group-position.js';
import { STREAM_ID_LUA } from '../redis/stream-id.lua.js';

export type MoveReply =
  | { outcome: 'moved'; lastDeliveredId: string }
  | { outcome: 'missing' }
  | { outcome: 'too-old'; entryId: string; oldestAllowedMs: number };

/** Entries counted at most to set the group's entries-read exactly; past that, Redis counts the lag itself. */
const COUNT_LIMIT = 10_000;

// One script: the refusal check, the entries-read count and the move see the same stream, with no
// append or read in between. Legacy (no `#!lua` flags), so a full Redis still lets a group move.
//
// The group's new last-delivered-id is the entry just before the one to read next (so that entry
// is delivered next even if it does not exist: the first entry after it is). Entries-read is set
// so that Redis' lag stays exact: entries added minus the entries after the new position.
const source = `
local stream, group, nextId = KEYS[1], ARGV[1], ARGV[2]
local windowMs, countLimit = tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('EXISTS', stream) == 0 then return { 'missing' } end
local function record(flat)
  local r = {}
  for i = 1, #flat, 2 do r[flat[i]] = flat[i + 1] end
  return r
end
${STREAM_ID_LUA}
local current
for _, flat in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
  local g = record(flat)
  if g['name'] == group then current = g end
end
if not current then return { 'missing' } end
local info = record(redis.call('XINFO', 'STREAM', stream))
local length, added, lastId = info['length'], info['entries-added'], info['last-generated-id']

local target = '0-0'
if nextId == '$' then
  target = lastId
elseif nextId ~= '0-0' then
  local previous = redis.call('XREVRANGE', stream, '(' .. nextId, '-', 'COUNT', 1)
  if #previous > 0 then target = previous[1][1] end
end

if windowMs > 0 then
  local replayed = redis.call('XRANGE', stream, '(' .. target, '+', 'COUNT', 1)
  if #replayed > 0 and not before(current['last-delivered-id'], replayed[1][1]) then
    local time = redis.call('TIME')
    local oldest = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - windowMs
    if parse(replayed[1][1]) < oldest then return { 'too-old', replayed[1][1], tostring(oldest) } end
  end
end

local read
if target == lastId then
  read = added
elseif target == '0-0' then
  read = added - length
else
  local after = redis.call('XRANGE', stream, '(' .. target, '+', 'COUNT', countLimit + 1)
  if #after <= countLimit then
    read = added - #after
  else
    local upTo = redis.call('XRANGE', stream, '-', target, 'COUNT', countLimit + 1)
    if #upTo <= countLimit then read = added - (length - #upTo) end
  end
end
if read then
  redis.call('XGROUP', 'SETID', stream, group, target, 'ENTRIESREAD', read)
else
  redis.call('XGROUP', 'SETID', stream, group, target)
end
return { 'moved', target }
`;

const moveGroup = new LuaScript(source);

/**
 * Moves `group` so that `position` is read next. `replayWindowMs` > 0 refuses a move that would
 * deliver again an entry older than that (its dedupe record may have expired).
 */
export async function moveGroupOnce(
  redis: RedisClient,
  stream: string,
  group: string,
  position: GroupPosition,
  replayWindowMs: number,
): Promise<MoveReply> {
  const next = 'end' in position ? '$' : position.next;
  const reply = (await moveGroup.run(redis, [stream], [group, next, replayWindowMs, COUNT_LIMIT])) as string[];
  if (reply[0] === 'moved') return { outcome: 'moved', lastDeliveredId: reply[1] };
  if (reply[0] === 'too-old') return { outcome: 'too-old', entryId: reply[1], oldestAllowedMs: Number(reply[2]) };
  return { outcome: 'missing' };
}
