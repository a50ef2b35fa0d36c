import { LuaScript } from '../redis/lua.script.js';

// Leases are checked and changed by their owner only, each in one script on the stream's slot:
// a GET then a separate SET could overwrite a lease another instance took in between.

/**
 * KEYS: lease, token counter. ARGV: consumer, lease ms. Takes the lease only when it is free, with
 * a new token; 0 when anyone holds it, even under this consumer's name: two live processes given
 * one name (a restart overlapping the old process) must not take it from each other in turn.
 */
export const acquireLeaseScript = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. token, 'PX', ARGV[2])
return token
`);

/** KEYS: lease. ARGV: `<consumer> <token>`, lease ms. 1 when still held (and extended), else 0. */
export const renewLeaseScript = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** KEYS: lease. ARGV: `<consumer> <token>`. Frees the lease only if it is still this holder's. */
export const releaseLeaseScript = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`);

/**
 * KEYS: stream, lease. ARGV: group, `<consumer> <token>`, ids... Acknowledges only while the lease
 * is still this holder's: -1 when it is not (nothing acknowledged), else what XACK returns.
 */
export const fencedAckScript = new LuaScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return -1 end
return redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 3))
`);

/**
 * KEYS: stream, lease, dead-letter stream. ARGV: group, `<consumer> <token>`, entry id, then the
 * dead letter's fields. Copies the entry to the dead letters and acknowledges it, only while the
 * lease is still this holder's: -1 when it is not (nothing written).
 */
export const fencedDeadLetterScript = new LuaScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return -1 end
redis.call('XADD', KEYS[3], '*', unpack(ARGV, 4))
return redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
`);

/**
 * KEYS: members. ARGV: consumer, ttl ms, '1' to join or '0' to leave. Refreshes this instance's
 * membership (scored by Redis' clock, so instances' clocks need not agree), drops the expired, and
 * returns the live members, sorted by name.
 */
export const heartbeatScript = new LuaScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if ARGV[3] == '1' then redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) else redis.call('ZREM', KEYS[1], ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 10)
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
table.sort(members)
return members
`);
