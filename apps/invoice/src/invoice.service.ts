import { Inject, Injectable } from '@nestjs/common';
import type { OrderApproved, OrderLine } from '@app/contracts';
import { EVENTBUS_REDIS } from '@app/eventbus';
import type { Redis } from 'ioredis';
import { invoiceKey, invoiceSequenceKey } from './invoice.keys.js';
import { issueInvoiceScript } from './issue-invoice.script.js';

export interface Invoice {
  orderId: string;
  number: string;
  items: OrderLine[];
  total: number;
  issuedAt: string;
}

@Injectable()
export class InvoiceService {
  constructor(@Inject(EVENTBUS_REDIS) private readonly redis: Redis) {}

  /** Issues the order's invoice once; returns its number, the same on every redelivery. */
  async issue(order: OrderApproved): Promise<string> {
    return (await issueInvoiceScript.run(
      this.redis,
      [invoiceKey(order.orderId), invoiceSequenceKey],
      [order.orderId, JSON.stringify(order.items), order.total, new Date().toISOString()],
    )) as string;
  }

  async find(orderId: string): Promise<Invoice | undefined> {
    const hash = await this.redis.hgetall(invoiceKey(orderId));
    if (!hash.number) return undefined;
    return {
      orderId: hash.orderId,
      number: hash.number,
      items: JSON.parse(hash.items) as OrderLine[],
      total: Number(hash.total),
      issuedAt: hash.issuedAt,
    };
  }
}
