import { Injectable, Logger } from '@nestjs/common';
import { InvoiceIssued, PickingOrderCreated, StockRejected, StockReserved } from '@app/contracts';
import { AtomicStep, EventPublisher, HandleEvent } from '@app/eventbus';
import { OrderKeys } from './order.keys.js';

/**
 * Sets progress fields only on an order that exists, so a stray event cannot create a husk. A step
 * (unguarded: setting a state is idempotent) rather than a plain script, so the write is confirmed
 * on the replicas before the event is acknowledged: under Sentinel, a write left on a master that
 * fails over while its acknowledgement reaches the new one would be lost for good.
 */
const updateExisting = new AtomicStep(`
if redis.call('EXISTS', keys[1]) == 0 then return '0' end
redis.call('HSET', keys[1], unpack(args))
return '1'`);

/** Records what stock, invoice and distribution report back. Setting a state is idempotent. */
@Injectable()
export class OrderProgressHandler {
  private readonly logger = new Logger(OrderProgressHandler.name);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly keys: OrderKeys,
  ) {}

  @HandleEvent(StockReserved)
  async stockReserved(event: StockReserved): Promise<void> {
    await this.update(event.orderId, ['stock', 'reserved']);
  }

  @HandleEvent(StockRejected)
  async stockRejected(event: StockRejected): Promise<void> {
    await this.update(event.orderId, ['stock', 'rejected', 'stockRejection', event.reason]);
  }

  @HandleEvent(InvoiceIssued)
  async invoiceIssued(event: InvoiceIssued): Promise<void> {
    await this.update(event.orderId, ['invoice', 'issued', 'invoiceNumber', event.number]);
  }

  @HandleEvent(PickingOrderCreated)
  async pickingCreated(event: PickingOrderCreated): Promise<void> {
    await this.update(event.orderId, ['distribution', 'picking', 'pickingOrderId', event.pickingOrderId]);
  }

  private async update(orderId: string, fields: string[]): Promise<void> {
    const key = this.keys.order(orderId);
    const { result } = await this.publisher.runAtomic(updateExisting, {
      dedupeKey: key,
      guarded: false,
      keys: [key],
      args: fields,
    });
    if (result === '0') this.logger.warn(`Progress for unknown order ${orderId} ignored`);
  }
}
