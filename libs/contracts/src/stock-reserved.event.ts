import { DomainEvent } from '@app/eventbus';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsString, Length, ValidateNested } from 'class-validator';
import { StockLine } from './stock-line.js';
import { STREAMS } from './streams.js';

/** Stock lowered `available` for every line of the order. */
@DomainEvent({ type: 'stock.reserved', stream: STREAMS.stock, version: 1, key: 'orderId' })
export class StockReserved {
  @IsString()
  @Length(1, 64)
  orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLine)
  items: StockLine[];
}
