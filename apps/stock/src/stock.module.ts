import { Module } from '@nestjs/common';
import { serviceModules } from '@app/service-kit';
import { OrderApprovedHandler } from './order-approved.handler.js';
import { StockController } from './stock.controller.js';
import { StockService } from './stock.service.js';

@Module({
  imports: serviceModules('stock'),
  controllers: [StockController],
  providers: [StockService, OrderApprovedHandler],
})
export class StockModule {}
