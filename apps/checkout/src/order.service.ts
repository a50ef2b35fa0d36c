import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OrderApproved } from '@app/contracts';
import { EVENTBUS_REDIS, EventPublisher, isRedisReplyError, RedisUnavailableError, type IdempotentResult } from '@app/eventbus';
import type { Redis } from 'ioredis';
import type { CheckoutRequest } from './checkout.request.js';
import { IdempotencyKeyReusedError } from './idempotency-key-reused.error.js';
import { OrderOutcomeUnknownError } from './order-outcome-unknown.error.js';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyKey, orderKey } from './order.keys.js';
import { toOrderView, type OrderView } from './order.view.js';
import { placeOrderScript } from './place-order.script.js';

export interface PlacedOrder {
  orderId: string;
  /** Id of the order's `order.approved` event. */
  eventId: string;
  /** False when an earlier request with the same idempotency key already placed it. */
  created: boolean;
}

@Injectable()
export class OrderService {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: Redis,
    private readonly publisher: EventPublisher,
  ) {}

  /** Writes the order and its `order.approved` event in one atomic step, or nothing. */
  async place(request: CheckoutRequest, key?: string): Promise<PlacedOrder> {
    const orderId = randomUUID();
    const total = Math.round(request.items.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) * 100) / 100;
    const event = this.publisher.prepare(OrderApproved, { orderId, customerId: request.customerId, items: request.items, total });
    const order = [
      'orderId', orderId,
      'customerId', request.customerId,
      'items', JSON.stringify(request.items),
      'total', String(total),
      'createdAt', new Date().toISOString(),
      'eventId', event.id,
    ];
    const fingerprint = requestFingerprint(request);
    let placed: IdempotentResult;
    try {
      placed = await placeOrderScript.run(this.redis, {
        dedupeKey: idempotencyKey(key ?? orderId),
        guarded: key !== undefined,
        ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
        keys: [orderKey(orderId), event.stream],
        args: [`${orderId} ${fingerprint}`, order.length, ...order, ...event.fields],
      });
    } catch (error) {
      if (isRedisReplyError(error)) throw error;
      const unavailable = new RedisUnavailableError('placing an order', error);
      // The script may have run: name the order, so the client can look it up when Redis is back.
      if (unavailable.maybeApplied) throw new OrderOutcomeUnknownError(orderId, unavailable);
      throw unavailable;
    }
    if (placed.firstTime) return { orderId, eventId: event.id, created: true };
    const [placedId, placedFingerprint] = placed.result.split(' ');
    if (placedFingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key ?? '', placedId);
    // A replay only reads: losing Redis now is a plain 503, not an order of unknown outcome.
    const eventId = await this.redis.hget(orderKey(placedId), 'eventId').catch((error: unknown) => {
      throw new RedisUnavailableError('reading a replayed order', error);
    });
    return { orderId: placedId, eventId: eventId ?? '', created: false };
  }

  async find(orderId: string): Promise<OrderView | undefined> {
    const hash = await this.redis.hgetall(orderKey(orderId));
    return hash.orderId ? toOrderView(hash) : undefined;
  }
}

/** What makes two requests "the same" for an Idempotency-Key: the validated body, fields in a fixed order. */
function requestFingerprint({ customerId, items }: CheckoutRequest): string {
  const canonical = JSON.stringify([customerId, items.map(({ sku, quantity, unitPrice }) => [sku, quantity, unitPrice])]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}
