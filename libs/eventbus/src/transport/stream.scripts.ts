import { LuaScript } from '../redis/lua.script.js';

// Every script touches one stream key (KEYS[1]) and so one cluster slot. Ownership checks and the
// claim that follows them are one step: between two separate commands another consumer could take
// the entry, and a claim with min-idle 0 would take it back from under its handler.

/** ARGV: group, consumer, id, deliveries. 1 if the entry was still ours (its count set, idle reset). */
export const retakeScript = new LuaScript(`
local row = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)[1]
if not row or row[2] ~= ARGV[2] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID', 'RETRYCOUNT', ARGV[4])
return 1
`);

/** ARGV: group, consumer, ids... Resets the idle time of those still ours; returns the others. */
export const keepScript = new LuaScript(`
local lost = {}
for i = 3, #ARGV do
  local row = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)[1]
  if row and row[2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
`);

/**
 * ARGV: group, consumer, start, count, count a delivery ('1' or '0'). This consumer's pending
 * entries from `start`, each with its fields (false when deleted from the stream) and delivery
 * count. Counting is for a restart: an entry whose handler crashed the process must reach the
 * dead letters some day, not crash every incarnation; a read cut by a lost connection is not the
 * entry's fault and counts nothing.
 */
export const ownPendingScript = new LuaScript(`
local rows = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], '+', ARGV[4], ARGV[2])
local entries = {}
for i, row in ipairs(rows) do
  local found = redis.call('XRANGE', KEYS[1], row[1], row[1])[1]
  local deliveries = row[4]
  if ARGV[5] == '1' then
    deliveries = deliveries + 1
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, row[1], 'JUSTID', 'RETRYCOUNT', deliveries)
  end
  entries[i] = { row[1], found and found[2] or false, deliveries }
end
return entries
`);

/**
 * ARGV: group, consumer, min idle, cursor, count. XAUTOCLAIM (which counts a delivery), returning
 * the next cursor and each claimed entry with its delivery count.
 */
export const claimIdleScript = new LuaScript(`
local reply = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local entries = {}
for i, entry in ipairs(reply[2]) do
  local row = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)[1]
  entries[i] = { entry[1], entry[2], row and row[4] or 1 }
end
return { reply[1], entries }
`);
