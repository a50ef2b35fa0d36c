import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { CheckoutRequest } from './checkout.request.js';
import { OrderService } from './order.service.js';
import type { OrderView } from './order.view.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

@Controller()
export class CheckoutController {
  constructor(private readonly orders: OrderService) {}

  /** 202: the order and its event are durably in Redis; the services act on it asynchronously. */
  @Post('checkout')
  @HttpCode(HttpStatus.ACCEPTED)
  async checkout(@Body() request: CheckoutRequest, @Headers('idempotency-key') key?: string) {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new BadRequestException('Idempotency-Key must be 1-128 characters of [A-Za-z0-9._:-]');
    }
    const { orderId, eventId, created } = await this.orders.place(request, key);
    return { orderId, eventId, status: 'accepted', replayed: !created };
  }

  @Get('orders/:orderId')
  async order(@Param('orderId') orderId: string): Promise<OrderView> {
    const order = await this.orders.find(orderId);
    if (!order) throw new NotFoundException(`Order ${orderId} not found`);
    return order;
  }
}
