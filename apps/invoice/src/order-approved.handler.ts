import { Injectable } from '@nestjs/common';
import { InvoiceIssued, OrderApproved } from '@app/contracts';
import { emit, HandleEvent, type EventContext, type HandlerResult } from '@app/eventbus';
import { InvoiceService } from './invoice.service.js';

@Injectable()
export class OrderApprovedHandler {
  constructor(private readonly invoices: InvoiceService) {}

  /**
   * The invoice number is drawn inside the atomic step (INCR, so numbers stay gapless), and
   * `invoice.issued` carries it: the event cannot be prepared before the script runs, so it is not
   * part of the step. Instead the handler returns it and the bus publishes it before acknowledging
   * the order, with an id derived from the order's event and this group. A redelivery finds the
   * recorded invoice, re-derives the same event and the same id, and downstream sees a repeat.
   */
  @HandleEvent(OrderApproved)
  async issue(order: OrderApproved, context: EventContext): Promise<HandlerResult> {
    const invoice = await this.invoices.issue(order, context);
    return emit(InvoiceIssued, { orderId: invoice.orderId, number: invoice.number, total: invoice.total });
  }
}
