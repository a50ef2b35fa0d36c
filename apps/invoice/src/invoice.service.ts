import { Inject, Injectable } from '@nestjs/common';
import type { OrderApproved, OrderLine } from '@app/contracts';
import { EVENTBUS_REDIS } from '@app/eventbus';
import type { Redis } from 'ioredis';
import { invoiceKey, invoiceSequenceKey } from './invoice.keys.js';
import { issueInvoiceScript } from './issue-invoice.script.js';

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
  constructor(@Inject(EVENTBUS_REDIS) private readonly redis: Redis) {}

  /** Issues the order's invoice once; every redelivery gets the same invoice back. */
  async issue(order: OrderApproved): Promise<Invoice> {
    const draft = {
      orderId: order.orderId,
      customerId: order.customerId,
      items: order.items,
      total: order.total,
      issuedAt: new Date().toISOString(),
    };
    const { result } = await issueInvoiceScript.run(this.redis, {
      dedupeKey: invoiceKey(order.orderId),
      keys: [invoiceSequenceKey],
      args: [JSON.stringify(draft)],
    });
    return JSON.parse(result) as Invoice;
  }

  async find(orderId: string): Promise<Invoice | undefined> {
    const json = await this.redis.get(invoiceKey(orderId));
    return json === null ? undefined : (JSON.parse(json) as Invoice);
  }
}
