import { DomainEvent } from '@app/eventbus';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsString, Length, Min, ValidateNested } from 'class-validator';
import { OrderLine } from './order-line.js';
import { STREAMS } from './streams.js';

/** Checkout approved a purchase: stock, invoice and distribution each act on it. */
@DomainEvent({ type: 'order.approved', stream: STREAMS.orders, version: 1 })
export class OrderApproved {
  @IsString()
  @Length(1, 64)
  orderId: string;

  @IsString()
  @Length(1, 64)
  customerId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLine)
  items: OrderLine[];

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  total: number;
}
