import { AtomicStep } from '@app/eventbus';

/**
 * keys: the order hash. args: the idempotency record ("<orderId> <body fingerprint>"), then the
 * order's hash fields. The event (`order.approved`) is the step's own, so its id is `eventIds[1]`.
 * Writes the order, its idempotency record and its event together; guarded by the
 * Idempotency-Key, a repeat gets the first request's record back and writes nothing.
 */
export const placeOrder = new AtomicStep(`
redis.call('HSET', keys[1], 'eventId', eventIds[1], unpack(args, 2))
return args[1]`);
