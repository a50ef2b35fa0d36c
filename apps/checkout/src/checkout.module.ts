import { Module } from '@nestjs/common';
import { serviceModules } from '@app/service-kit';
import { CheckoutController } from './checkout.controller.js';
import { OrderProgressHandler } from './order-progress.handler.js';
import { OrderKeys } from './order.keys.js';
import { OrderService } from './order.service.js';

@Module({
  imports: serviceModules('checkout'),
  controllers: [CheckoutController],
  providers: [OrderKeys, OrderService, OrderProgressHandler],
})
export class CheckoutModule {}
