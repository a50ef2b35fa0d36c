import { Injectable } from '@nestjs/common';
import { OrderApproved, StockRejected, StockReserved } from '@app/contracts';
import { EventPublisher, HandleEvent, type EventContext } from '@app/eventbus';
import { StockService } from './stock.service.js';

@Injectable()
export class OrderApprovedHandler {
  constructor(
    private readonly stock: StockService,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * The reservation is recorded once per order; a redelivery finds the record and re-announces
   * the same outcome under the same event id, so a crash between the two steps loses nothing.
   */
  @HandleEvent(OrderApproved)
  async reserve(order: OrderApproved, context: EventContext): Promise<void> {
    const reservation = await this.stock.reserve(order.orderId, order.items);
    const options = { id: `stock:${order.orderId}`, causedBy: context };
    if (reservation.status === 'reserved') {
      await this.publisher.publish(StockReserved, { orderId: order.orderId, items: reservation.lines }, options);
    } else {
      const reason = reservation.shortages.map((s) => `${s.sku}: requested ${s.requested}, available ${s.available}`).join('; ');
      await this.publisher.publish(
        StockRejected,
        { orderId: order.orderId, reason: `insufficient stock (${reason})`, shortages: reservation.shortages },
        options,
      );
    }
  }
}
