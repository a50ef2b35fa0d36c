import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { type Shipment, ShipmentService } from './shipment.service.js';

@Controller('shipments')
export class ShipmentController {
  constructor(private readonly shipments: ShipmentService) {}

  @Get(':orderId')
  async get(@Param('orderId') orderId: string): Promise<Shipment> {
    const shipment = await this.shipments.find(orderId);
    if (!shipment) throw new NotFoundException(`No picking order for order ${orderId}`);
    return shipment;
  }
}
