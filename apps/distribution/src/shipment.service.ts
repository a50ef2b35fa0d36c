import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PickingOrderCreated, STREAMS, type OrderApproved, type StockLine } from '@app/contracts';
import { AtomicStep, emit, EVENTBUS_REDIS, EventPublisher, type EventCause } from '@app/eventbus';
import type { RedisClient } from '@app/eventbus';

/** The picking (separation) order the warehouse works from. */
export interface Shipment {
  orderId: string;
  pickingOrderId: string;
  customerId: string;
  items: StockLine[];
  status: 'picking';
  createdAt: string;
}

/** The picking order is its own dedupe record: stored once, returned as first stored after. */
const storeOnce = new AtomicStep('return args[1]');

@Injectable()
export class ShipmentService {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * Same hash tag as the shipments partition the order's `picking.created` goes to (by order id):
   * the picking order and that entry are written by one script, on one cluster slot.
   */
  private shipmentKey(orderId: string): string {
    return `distribution:{${this.publisher.partitionTag(STREAMS.shipments, orderId)}}:order:${orderId}`;
  }

  /**
   * Creates the order's picking order once, with its `picking.created` event in the same atomic
   * step (the id is drawn here, so the event is known before the script); a redelivery gets the
   * first one back and writes nothing.
   */
  async createPickingOrder(order: OrderApproved, cause: EventCause): Promise<Shipment> {
    const shipment: Shipment = {
      orderId: order.orderId,
      pickingOrderId: `PICK-${randomUUID()}`,
      customerId: order.customerId,
      items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
      status: 'picking',
      createdAt: new Date().toISOString(),
    };
    const { result } = await this.publisher.runAtomic(storeOnce, {
      dedupeKey: this.shipmentKey(order.orderId),
      args: [JSON.stringify(shipment)],
      events: [
        emit(PickingOrderCreated, { orderId: shipment.orderId, pickingOrderId: shipment.pickingOrderId, items: shipment.items }),
      ],
      causedBy: cause,
    });
    return JSON.parse(result) as Shipment;
  }

  async find(orderId: string): Promise<Shipment | undefined> {
    const json = await this.redis.get(this.shipmentKey(orderId));
    return json === null ? undefined : (JSON.parse(json) as Shipment);
  }
}
