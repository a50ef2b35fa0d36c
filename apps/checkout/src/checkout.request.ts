import { OrderLine } from '@app/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, ValidateNested } from 'class-validator';

/** Body of `POST /checkout`; unknown fields are refused by the global ValidationPipe. */
export class CheckoutRequest {
  @IsString()
  @Length(1, 64)
  customerId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLine)
  items: OrderLine[];
}
