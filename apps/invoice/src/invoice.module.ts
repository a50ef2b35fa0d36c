import { Module } from '@nestjs/common';
import { serviceModules } from '@app/service-kit';
import { InvoiceController } from './invoice.controller.js';
import { InvoiceService } from './invoice.service.js';
import { OrderApprovedHandler } from './order-approved.handler.js';

@Module({
  imports: serviceModules('invoice'),
  controllers: [InvoiceController],
  providers: [InvoiceService, OrderApprovedHandler],
})
export class InvoiceModule {}
