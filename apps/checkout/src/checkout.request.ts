import { CUSTOMER_ID_PATTERN, OrderLine } from '@app/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, ValidateNested } from 'class-validator';

/** Body of `POST /checkout`; unknown fields are refused by the global ValidationPipe. */
export class CheckoutRequest {
  @IsString()
  @Matches(CUSTOMER_ID_PATTERN, { message: 'customerId must be 1-64 visible ASCII characters, no spaces' })
  customerId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLine)
  items: OrderLine[];
}
