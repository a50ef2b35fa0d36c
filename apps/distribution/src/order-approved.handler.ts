import { Injectable } from '@nestjs/common';
import { OrderApproved } from '@app/contracts';
import { HandleEvent, type EventContext, type HandlerResult } from '@app/eventbus';
import { ShipmentService } from './shipment.service.js';

@Injectable()
export class OrderApprovedHandler {
  constructor(private readonly shipments: ShipmentService) {}

  /** The picking order and its `picking.created` event are one atomic step. */
  @HandleEvent(OrderApproved)
  async createPickingOrder(order: OrderApproved, context: EventContext): Promise<HandlerResult> {
    await this.shipments.createPickingOrder(order, context);
  }
}
