import type { RedisClient } from '../redis/redis.client.js';
import { flatRecord } from '../redis/flat-record.js';
import { LuaScript } from '../redis/lua.script.js';

/**
 * Deleting a consumer discards its pending entries for good, so the check and the delete are one
 * script: a consumer that got an entry in between is kept.
 */
const deleteIfNothingPending = new LuaScript(`
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #pending > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

/**
 * Removes consumers of the group idle for over `idleMs` that hold no pending entry: instances that
 * are gone (a live one reads, and so is seen, every block period). Returns the names removed.
 */
export async function removeDeadConsumers(
  redis: RedisClient,
  stream: string,
  group: string,
  self: string,
  idleMs: number,
): Promise<string[]> {
  const consumers = ((await redis.xinfo('CONSUMERS', stream, group)) as unknown[]).map((reply) => flatRecord(reply));
  const removed: string[] = [];
  for (const consumer of consumers) {
    const name = String(consumer['name']);
    if (name === self || Number(consumer['idle']) <= idleMs || Number(consumer['pending']) > 0) continue;
    if ((await deleteIfNothingPending.run(redis, [stream], [group, name])) === 1) removed.push(name);
  }
  return removed;
}
