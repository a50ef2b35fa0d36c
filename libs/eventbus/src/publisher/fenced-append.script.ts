import { LuaScript } from '../redis/lua.script.js';
import type { RedisClient } from '../redis/redis.client.js';
import { fenceKey, type StepFence } from './atomic-step.js';

// `#!lua`: refused up front when Redis cannot write, never half-run. The fence record is the one
// an atomic step of the same source partition and group keeps in this slot (`fenceKey`): the
// highest lease token seen; a lower one is a stale holder, whose event is not appended.
const fencedAppend = new LuaScript(`#!lua
local token = tonumber(ARGV[1])
local seen = tonumber(redis.call('GET', KEYS[2]) or '0')
if token < seen then return false end
if token > seen then redis.call('SET', KEYS[2], token) end
return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))`);

/**
 * Appends an event a leased delivery caused, unless a later holder of the cause's partition has
 * written to the target stream's slot: then resolves null and appends nothing. The check and the
 * append are one script in the target's slot, so it holds on a cluster too.
 */
export async function appendFenced(
  redis: RedisClient,
  stream: string,
  fields: readonly string[],
  fence: StepFence,
): Promise<string | null> {
  const entryId = await fencedAppend.run(redis, [stream, fenceKey(stream, fence)], [fence.token, ...fields]);
  return typeof entryId === 'string' ? entryId : null;
}
