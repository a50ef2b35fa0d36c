import { IsInt, IsString, Length, Min } from 'class-validator';

export class StockLine {
  @IsString()
  @Length(1, 64)
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

export class StockShortage {
  @IsString()
  @Length(1, 64)
  sku: string;

  @IsInt()
  @Min(1)
  requested: number;

  @IsInt()
  @Min(0)
  available: number;
}
