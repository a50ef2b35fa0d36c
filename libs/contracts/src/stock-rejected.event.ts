import { DomainEvent } from '@app/eventbus';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsString, Length, ValidateNested } from 'class-validator';
import { StockShortage } from './stock-line.js';
import { STREAMS } from './streams.js';

/** The order cannot be served; no stock level changed. */
@DomainEvent({ type: 'stock.rejected', stream: STREAMS.stock, version: 1, key: 'orderId' })
export class StockRejected {
  @IsString()
  @Length(1, 64)
  orderId: string;

  @IsString()
  reason: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockShortage)
  shortages: StockShortage[];
}
