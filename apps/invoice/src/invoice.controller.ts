import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { type Invoice, InvoiceService } from './invoice.service.js';

@Controller('invoices')
export class InvoiceController {
  constructor(private readonly invoices: InvoiceService) {}

  @Get(':orderId')
  async get(@Param('orderId') orderId: string): Promise<Invoice> {
    const invoice = await this.invoices.find(orderId);
    if (!invoice) throw new NotFoundException(`No invoice for order ${orderId}`);
    return invoice;
  }
}
