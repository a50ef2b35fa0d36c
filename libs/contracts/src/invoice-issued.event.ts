import { DomainEvent } from '@app/eventbus';
import { IsNumber, IsString, Length, Min } from 'class-validator';
import { STREAMS } from './streams.js';

@DomainEvent({ type: 'invoice.issued', stream: STREAMS.invoices, version: 1, key: 'orderId' })
export class InvoiceIssued {
  @IsString()
  @Length(1, 64)
  orderId: string;

  /** Sequential invoice number, e.g. `INV-000042`. */
  @IsString()
  @Length(1, 32)
  number: string;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  total: number;
}
