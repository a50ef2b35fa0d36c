import { Inject, Injectable } from '@nestjs/common';
import type { OrderApproved, OrderLine } from '@app/contracts';
import { EVENTBUS_REDIS, EventPublisher, type EventCause } from '@app/eventbus';
import type { RedisClient } from '@app/eventbus';
import { invoiceKey, invoiceSequenceKey } from './invoice.keys.js';
import { issueInvoice } from './issue-invoice.step.js';

export interface Invoice {
  orderId: string;
  number: string;
  customerId: string;
  items: OrderLine[];
  total: number;
  issuedAt: string;
}

@Injectable()
export class InvoiceService {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * Issues the order's invoice once; every redelivery gets the same invoice back. The cause fences
   * the step: an instance whose partition lease was taken over cannot issue it any more.
   */
  async issue(order: OrderApproved, cause: EventCause): Promise<Invoice> {
    const draft = {
      orderId: order.orderId,
      customerId: order.customerId,
      items: order.items,
      total: order.total,
      issuedAt: new Date().toISOString(),
    };
    const { result } = await this.publisher.runAtomic(issueInvoice, {
      dedupeKey: invoiceKey(order.orderId),
      keys: [invoiceSequenceKey],
      args: [JSON.stringify(draft)],
      causedBy: cause,
    });
    return JSON.parse(result) as Invoice;
  }

  async find(orderId: string): Promise<Invoice | undefined> {
    const json = await this.redis.get(invoiceKey(orderId));
    return json === null ? undefined : (JSON.parse(json) as Invoice);
  }
}
