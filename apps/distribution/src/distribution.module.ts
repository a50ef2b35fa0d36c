import { Module } from '@nestjs/common';
import { serviceModules } from '@app/service-kit';
import { OrderApprovedHandler } from './order-approved.handler.js';
import { ShipmentController } from './shipment.controller.js';
import { ShipmentService } from './shipment.service.js';

@Module({
  imports: serviceModules('distribution'),
  controllers: [ShipmentController],
  providers: [ShipmentService, OrderApprovedHandler],
})
export class DistributionModule {}
