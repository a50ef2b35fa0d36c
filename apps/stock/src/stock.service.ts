import { Inject, Injectable } from '@nestjs/common';
import { StockRejected, StockReserved, type OrderLine, type StockLine, type StockShortage } from '@app/contracts';
import { AtomicStepConflictError, emit, EVENTBUS_REDIS, EventPublisher, type CausedEvent, type EventCause } from '@app/eventbus';
import type { RedisClient } from '@app/eventbus';
import { reserveStock } from './reserve-stock.step.js';
import { orderOutcomeKey, skuKey } from './stock.keys.js';

export type Reservation =
  { status: 'reserved'; lines: StockLine[] } | { status: 'rejected'; lines: StockLine[]; shortages: StockShortage[] };

/**
 * Reads before the step is given up on when levels keep changing under it (a busy SKU); the
 * handler then fails and the bus retries the order later, with backoff.
 */
const RESERVE_ATTEMPTS = 10;

@Injectable()
export class StockService {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    private readonly publisher: EventPublisher,
  ) {}

  async set(sku: string, available: number): Promise<void> {
    await this.redis.set(skuKey(sku), available);
  }

  async available(sku: string): Promise<number | undefined> {
    const value = await this.redis.get(skuKey(sku));
    return value === null ? undefined : Number(value);
  }

  /**
   * Lowers stock for all lines of the order exactly once, or for none when any SKU is short, and
   * announces which in the same atomic step (see `reserveStock` for the optimistic check). A
   * redelivery finds the outcome record and writes nothing: the event went out with the first run.
   */
  async reserve(orderId: string, items: OrderLine[], cause: EventCause): Promise<Reservation> {
    const lines = mergeLines(items);
    const keys = lines.map((line) => skuKey(line.sku));
    for (let attempt = 1; ; attempt++) {
      const levels = (await this.redis.mget(...keys)).map((level) => Number(level ?? 0));
      const reservation = decide(lines, levels);
      try {
        const { result } = await this.publisher.runAtomic(reserveStock, {
          dedupeKey: orderOutcomeKey(orderId),
          // Only a dedupe record (the stock levels are the business state): it expires once the
          // order.approved entry it guards can no longer be delivered or replayed.
          ttlSeconds: 'retention',
          keys,
          args: [reservation.status, JSON.stringify(reservation), ...levels, ...lines.map((line) => line.quantity)],
          events: [announcement(orderId, reservation)],
          causedBy: cause,
        });
        return JSON.parse(result) as Reservation;
      } catch (error) {
        if (!(error instanceof AtomicStepConflictError) || attempt >= RESERVE_ATTEMPTS) throw error;
      }
    }
  }
}

/** Reserve when every line is covered by its level, else reject the whole order naming each short SKU. */
export function decide(lines: StockLine[], levels: number[]): Reservation {
  const shortages = lines
    .map(({ sku, quantity }, i) => ({ sku, requested: quantity, available: levels[i] }))
    .filter((line) => line.available < line.requested);
  return shortages.length === 0 ? { status: 'reserved', lines } : { status: 'rejected', lines, shortages };
}

function announcement(orderId: string, reservation: Reservation): CausedEvent {
  if (reservation.status === 'reserved') return emit(StockReserved, { orderId, items: reservation.lines });
  const reason = reservation.shortages.map((s) => `${s.sku}: requested ${s.requested}, available ${s.available}`).join('; ');
  return emit(StockRejected, { orderId, reason: `insufficient stock (${reason})`, shortages: reservation.shortages });
}

/** One line per SKU: an order may list a SKU twice, and the check must see the sum. */
export function mergeLines(items: Pick<OrderLine, 'sku' | 'quantity'>[]): StockLine[] {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of items) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
}
