import { Injectable } from '@nestjs/common';
import { OrderApproved } from '@app/contracts';
import { HandleEvent, type EventContext, type HandlerResult } from '@app/eventbus';
import { StockService } from './stock.service.js';

@Injectable()
export class OrderApprovedHandler {
  constructor(private readonly stock: StockService) {}

  /** The reservation and its `stock.reserved` / `stock.rejected` event are one atomic step. */
  @HandleEvent(OrderApproved)
  async reserve(order: OrderApproved, context: EventContext): Promise<HandlerResult> {
    await this.stock.reserve(order.orderId, order.items, context);
  }
}
