import { IdempotentScript } from '@app/eventbus';

/**
 * keys: order hash, orders stream. args: idempotency record ("<orderId> <body fingerprint>"),
 * order field count, order fields..., event fields...
 * Writes the order and its `order.approved` entry together and returns the record; guarded by the
 * Idempotency-Key, a repeat returns the first request's record and writes nothing.
 */
export const placeOrderScript = new IdempotentScript(`
local orderFields = tonumber(args[2])
local order, event = {}, {}
for i = 3, 2 + orderFields do order[#order + 1] = args[i] end
for i = 3 + orderFields, #args do event[#event + 1] = args[i] end
redis.call('HSET', keys[1], unpack(order))
redis.call('XADD', keys[2], '*', unpack(event))
return args[1]`);
