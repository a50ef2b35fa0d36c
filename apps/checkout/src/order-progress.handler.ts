import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvoiceIssued, PickingOrderCreated, StockRejected, StockReserved } from '@app/contracts';
import { EVENTBUS_REDIS, HandleEvent, LuaScript } from '@app/eventbus';
import type { RedisClient } from '@app/eventbus';
import { OrderKeys } from './order.keys.js';

/** Sets progress fields only on an order that exists, so a stray event cannot create a husk. */
const updateExisting = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`);

/** Records what stock, invoice and distribution report back. Setting a state is idempotent. */
@Injectable()
export class OrderProgressHandler {
  private readonly logger = new Logger(OrderProgressHandler.name);

  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
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
    const updated = await updateExisting.run(this.redis, [this.keys.order(orderId)], fields);
    if (updated === 0) this.logger.warn(`Progress for unknown order ${orderId} ignored`);
  }
}
