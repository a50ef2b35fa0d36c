import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OrderApproved } from '@app/contracts';
import { emit, EVENTBUS_REDIS, EventPublisher, RedisUnavailableError, type AtomicResult } from '@app/eventbus';
import type { RedisClient } from '@app/eventbus';
import type { CheckoutRequest } from './checkout.request.js';
import { IdempotencyKeyReusedError } from './idempotency-key-reused.error.js';
import { OrderOutcomeUnknownError } from './order-outcome-unknown.error.js';
import { IDEMPOTENCY_TTL_SECONDS, OrderKeys } from './order.keys.js';
import { OrderIdUnavailableError } from './order-id-unavailable.error.js';
import { toOrderHash, toOrderView, type OrderRecord, type OrderView } from './order.view.js';
import { placeOrder } from './place-order.step.js';

export interface PlacedOrder {
  orderId: string;
  /** Id of the order's `order.approved` event. */
  eventId: string;
  /** False when an earlier request with the same idempotency key already placed it. */
  created: boolean;
}

/** With 256 partitions, the chance that this many draws all miss is below 1e-8. */
const MAX_ORDER_ID_DRAWS = 5_000;

@Injectable()
export class OrderService {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    private readonly publisher: EventPublisher,
    private readonly keys: OrderKeys,
  ) {}

  /** Writes the order, its idempotency record and its `order.approved` event in one atomic step, or nothing. */
  async place(request: CheckoutRequest, key?: string): Promise<PlacedOrder> {
    const orderId = this.newOrderId(key);
    const total = Math.round(request.items.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) * 100) / 100;
    const order: OrderRecord = {
      orderId,
      customerId: request.customerId,
      items: request.items,
      total,
      createdAt: new Date().toISOString(),
    };
    const fingerprint = requestFingerprint(request);
    let placed: AtomicResult;
    try {
      placed = await this.publisher.runAtomic(placeOrder, {
        dedupeKey: this.keys.idempotency(key ?? orderId),
        guarded: key !== undefined,
        ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
        keys: [this.keys.order(orderId)],
        args: [`${orderId} ${fingerprint}`, ...toOrderHash(order)],
        events: [emit(OrderApproved, { orderId, customerId: order.customerId, items: order.items, total })],
      });
    } catch (error) {
      // The script may have run: name the order, so the client can look it up when Redis is back.
      if (error instanceof RedisUnavailableError && error.maybeApplied) throw new OrderOutcomeUnknownError(orderId, error);
      throw error;
    }
    if (placed.firstTime) return { orderId, eventId: placed.eventIds[0], created: true };
    const [placedId, placedFingerprint] = placed.result.split(' ');
    if (placedFingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key ?? '', placedId);
    // A replay only reads: losing Redis now is a plain 503, not an order of unknown outcome.
    const eventId = await this.redis.hget(this.keys.order(placedId), 'eventId').catch((error: unknown) => {
      throw new RedisUnavailableError('reading a replayed order', error);
    });
    return { orderId: placedId, eventId: eventId ?? '', created: false };
  }

  async find(orderId: string): Promise<OrderView | undefined> {
    const hash = await this.redis.hgetall(this.keys.order(orderId));
    return hash.orderId ? toOrderView(hash) : undefined;
  }

  /**
   * A new order id; with an idempotency key, one in the same orders partition as the key, so the
   * order, the key's record and the event share one slot (random ids: n tries on average).
   */
  private newOrderId(key: string | undefined): string {
    if (key === undefined) return randomUUID();
    const partition = this.keys.partitionOf(key);
    for (let attempt = 0; attempt < MAX_ORDER_ID_DRAWS; attempt++) {
      const orderId = randomUUID();
      if (this.keys.partitionOf(orderId) === partition) return orderId;
    }
    throw new OrderIdUnavailableError(partition);
  }
}

/** What makes two requests "the same" for an Idempotency-Key: the validated body, fields in a fixed order. */
function requestFingerprint({ customerId, items }: CheckoutRequest): string {
  const canonical = JSON.stringify([customerId, items.map(({ sku, quantity, unitPrice }) => [sku, quantity, unitPrice])]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}
