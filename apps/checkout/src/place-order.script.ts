import { LuaScript } from '@app/eventbus';

/**
 * KEYS: idempotency record ('' slot unused when no key), order hash, orders stream.
 * ARGV: has-key flag, ttl, order id, order fields count, order fields..., event fields...
 * Returns { orderId, created }: with a known idempotency key the first order's id, and nothing
 * written; otherwise the order and its event, together.
 */
export const placeOrderScript = new LuaScript(`
local hasKey = ARGV[1] == '1'
if hasKey then
  local existing = redis.call('GET', KEYS[1])
  if existing then return { existing, 0 } end
end
local orderFields = tonumber(ARGV[4])
local order = {}
for i = 5, 4 + orderFields do order[#order + 1] = ARGV[i] end
local event = {}
for i = 5 + orderFields, #ARGV do event[#event + 1] = ARGV[i] end
redis.call('HSET', KEYS[2], unpack(order))
redis.call('XADD', KEYS[3], '*', unpack(event))
if hasKey then redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2]) end
return { ARGV[3], 1 }
`);
