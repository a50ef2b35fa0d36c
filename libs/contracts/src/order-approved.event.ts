import { DomainEvent } from '@app/eventbus';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsString, Length, Matches, Min, ValidateNested } from 'class-validator';
import { CUSTOMER_ID_PATTERN, OrderLine } from './order-line.js';
import { STREAMS } from './streams.js';

/** Checkout approved a purchase: stock, invoice and distribution each act on it. */
@DomainEvent({ type: 'order.approved', stream: STREAMS.orders, version: 1, key: 'orderId' })
export class OrderApproved {
  @IsString()
  @Length(1, 64)
  orderId: string;

  @IsString()
  @Matches(CUSTOMER_ID_PATTERN, { message: 'customerId must be 1-64 visible ASCII characters, no spaces' })
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
