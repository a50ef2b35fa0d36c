import { Injectable } from '@nestjs/common';
import { InvoiceIssued, OrderApproved } from '@app/contracts';
import { EventPublisher, HandleEvent, type EventContext } from '@app/eventbus';
import { InvoiceService } from './invoice.service.js';

@Injectable()
export class OrderApprovedHandler {
  constructor(
    private readonly invoices: InvoiceService,
    private readonly publisher: EventPublisher,
  ) {}

  /** A redelivery finds the invoice and re-announces it under the same event id. */
  @HandleEvent(OrderApproved)
  async issue(order: OrderApproved, context: EventContext): Promise<void> {
    const { number } = await this.invoices.issue(order);
    await this.publisher.publish(
      InvoiceIssued,
      { orderId: order.orderId, number, total: order.total },
      { id: `invoice:${order.orderId}`, causedBy: context },
    );
  }
}
