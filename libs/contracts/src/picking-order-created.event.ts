import { DomainEvent } from '@app/eventbus';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsString, Length, ValidateNested } from 'class-validator';
import { StockLine } from './stock-line.js';
import { STREAMS } from './streams.js';

/** Distribution created the picking (separation) order for the warehouse. */
@DomainEvent({ type: 'picking.created', stream: STREAMS.shipments, version: 1, key: 'orderId' })
export class PickingOrderCreated {
  @IsString()
  @Length(1, 64)
  orderId: string;

  @IsString()
  @Length(1, 64)
  pickingOrderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLine)
  items: StockLine[];
}
