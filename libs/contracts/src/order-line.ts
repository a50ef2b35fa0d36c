import { MaxDecimalPlaces } from '@app/eventbus';
import { IsInt, IsNumber, IsString, Matches, Max, Min } from 'class-validator';

/** SKUs are part of Redis keys and URLs: a conservative alphabet. */
export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Customer ids come from other systems: any visible ASCII, no spaces. */
export const CUSTOMER_ID_PATTERN = /^[\x21-\x7E]{1,64}$/;

export class OrderLine {
  @IsString()
  @Matches(SKU_PATTERN, { message: 'sku must be 1-64 characters of [A-Za-z0-9._-]' })
  sku: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;

  // Not `@IsNumber({ maxDecimalPlaces })`: it throws on exponent notation (`1e-7`).
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimalPlaces(2)
  @Min(0)
  @Max(1_000_000)
  unitPrice: number;
}
