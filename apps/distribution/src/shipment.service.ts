import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OrderApproved, StockLine } from '@app/contracts';
import { EVENTBUS_REDIS, IdempotentScript } from '@app/eventbus';
import type { Redis } from 'ioredis';

/** The picking (separation) order the warehouse works from. */
export interface Shipment {
  orderId: string;
  pickingOrderId: string;
  customerId: string;
  items: StockLine[];
  status: 'picking';
  createdAt: string;
}

const shipmentKey = (orderId: string) => `distribution:{shipments}:order:${orderId}`;

/** The picking order is its own dedupe record: stored once, returned as first stored after. */
const storeOnce = new IdempotentScript('return args[1]');

@Injectable()
export class ShipmentService {
  constructor(@Inject(EVENTBUS_REDIS) private readonly redis: Redis) {}

  /** Creates the order's picking order once; a redelivery gets the first one back. */
  async createPickingOrder(order: OrderApproved): Promise<Shipment> {
    const shipment: Shipment = {
      orderId: order.orderId,
      pickingOrderId: `PICK-${randomUUID()}`,
      customerId: order.customerId,
      items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
      status: 'picking',
      createdAt: new Date().toISOString(),
    };
    const { result } = await storeOnce.run(this.redis, {
      dedupeKey: shipmentKey(order.orderId),
      args: [JSON.stringify(shipment)],
    });
    return JSON.parse(result) as Shipment;
  }

  async find(orderId: string): Promise<Shipment | undefined> {
    const json = await this.redis.get(shipmentKey(orderId));
    return json === null ? undefined : (JSON.parse(json) as Shipment);
  }
}
