import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OrderApproved, StockLine } from '@app/contracts';
import { EVENTBUS_REDIS } from '@app/eventbus';
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

@Injectable()
export class ShipmentService {
  constructor(@Inject(EVENTBUS_REDIS) private readonly redis: Redis) {}

  /**
   * Creates the order's picking order once: `SET NX GET` is one atomic step that either stores
   * this one or returns the one stored by an earlier delivery.
   */
  async createPickingOrder(order: OrderApproved): Promise<Shipment> {
    const shipment: Shipment = {
      orderId: order.orderId,
      pickingOrderId: `PICK-${randomUUID()}`,
      customerId: order.customerId,
      items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
      status: 'picking',
      createdAt: new Date().toISOString(),
    };
    const existing = await this.redis.set(shipmentKey(order.orderId), JSON.stringify(shipment), 'NX', 'GET');
    return existing === null ? shipment : (JSON.parse(existing) as Shipment);
  }

  async find(orderId: string): Promise<Shipment | undefined> {
    const json = await this.redis.get(shipmentKey(orderId));
    return json === null ? undefined : (JSON.parse(json) as Shipment);
  }
}
