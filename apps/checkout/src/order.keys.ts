import { Injectable } from '@nestjs/common';
import { STREAMS } from '@app/contracts';
import { EventPublisher } from '@app/eventbus';

/** How long a client may repeat a request with the same `Idempotency-Key`. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * Checkout's keys carry the hash tag of the orders partition their order's events go to (by
 * order id; `{orders}` with one partition): the order, its idempotency record and its
 * `order.approved` entry are written by one script, on one cluster slot.
 */
@Injectable()
export class OrderKeys {
  constructor(private readonly publisher: EventPublisher) {}

  order(orderId: string): string {
    return `checkout:{${this.publisher.partitionTag(STREAMS.orders, orderId)}}:order:${orderId}`;
  }

  /** Under the partition of the key itself: a repeat finds the record before it knows the order id. */
  idempotency(key: string): string {
    return `checkout:{${this.publisher.partitionTag(STREAMS.orders, key)}}:idempotency:${key}`;
  }

  /** The orders partition of an ordering key (an order id, an idempotency key). */
  partitionOf(key: string): number {
    return this.publisher.partitionOf(STREAMS.orders, key);
  }
}
