import { randomUUID } from 'node:crypto';
import { IsIn, IsInt, IsNumber, IsString, IsUUID, Length, MaxLength, Min } from 'class-validator';
import { DomainEvent } from './eventbus.js';
import { envelopeFields } from './wire-format.js';

export const BENCH_STREAM = 'bench:{s}';
export const BENCH_TYPE = 'bench.event';
export const BENCH_PRODUCER = 'benchpub';

/** The benchmark's event: a typical order-line contract with class-validator rules on every field. */
@DomainEvent({ type: BENCH_TYPE, stream: BENCH_STREAM, version: 1 })
export class BenchEvent {
  @IsUUID('4')
  orderId: string;

  @IsString()
  @Length(1, 40)
  customerId: string;

  @IsString()
  @Length(1, 40)
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;

  @IsInt()
  @Min(0)
  priceCents: number;

  @IsIn(['EUR', 'USD', 'GBP'])
  currency: string;

  @IsString()
  @MaxLength(200)
  note: string;

  @IsInt()
  @Min(0)
  seq: number;

  /** `performance.now()` when published, for the latency phase (same process). */
  @IsNumber()
  sentAt: number;
}

/** The plain payload a caller hands to `publish` (no prototype). */
export type BenchPayload = { [K in keyof BenchEvent]: BenchEvent[K] };

const ORDER_IDS = Array.from({ length: 1024 }, () => randomUUID());
const NOTE = 'Leave at the back door, ring twice; fragile glassware inside, keep upright. Gift wrap: no, thank you.';

/** ~300 bytes as JSON; cheap to build, so the payload itself costs every variant the same. */
export function benchPayload(seq: number, sentAt = 0): BenchPayload {
  return {
    orderId: ORDER_IDS[seq & 1023],
    customerId: `customer-${100_000 + (seq % 900_000)}`,
    sku: `SKU-${10_000 + (seq % 90_000)}-BLUE-XL`,
    quantity: 1 + (seq % 5),
    priceCents: 1_999 + (seq % 1_000),
    currency: 'EUR',
    note: NOTE,
    seq,
    sentAt,
  };
}

export const PAYLOAD_BYTES = Buffer.byteLength(JSON.stringify(benchPayload(12_345, 123_456.789)));

/** Entry fields as the library's publisher writes payload `i` (see wire-format.ts). */
export function benchEnvelope(i: number): string[] {
  return envelopeFields(BENCH_TYPE, 1, JSON.stringify(benchPayload(i)), BENCH_PRODUCER);
}
