import { Injectable } from '@nestjs/common';
import { OrderApproved, PickingOrderCreated } from '@app/contracts';
import { EventPublisher, HandleEvent, type EventContext } from '@app/eventbus';
import { ShipmentService } from './shipment.service.js';

@Injectable()
export class OrderApprovedHandler {
  constructor(
    private readonly shipments: ShipmentService,
    private readonly publisher: EventPublisher,
  ) {}

  /** A redelivery finds the picking order and re-announces it under the same event id. */
  @HandleEvent(OrderApproved)
  async createPickingOrder(order: OrderApproved, context: EventContext): Promise<void> {
    const shipment = await this.shipments.createPickingOrder(order);
    await this.publisher.publish(
      PickingOrderCreated,
      { orderId: shipment.orderId, pickingOrderId: shipment.pickingOrderId, items: shipment.items },
      { id: `distribution:${order.orderId}`, causedBy: context },
    );
  }
}
