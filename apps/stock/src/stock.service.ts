import { Inject, Injectable } from '@nestjs/common';
import type { OrderLine, StockLine, StockShortage } from '@app/contracts';
import { EVENTBUS_REDIS } from '@app/eventbus';
import type { Redis } from 'ioredis';
import { reserveStockScript } from './reserve-stock.script.js';
import { orderOutcomeKey, skuKey } from './stock.keys.js';

export type Reservation =
  | { status: 'reserved'; lines: StockLine[] }
  | { status: 'rejected'; lines: StockLine[]; shortages: StockShortage[] };

interface ScriptOutcome {
  status: 'reserved' | 'rejected';
  shortages?: { index: number; requested: number; available: number }[];
}

@Injectable()
export class StockService {
  constructor(@Inject(EVENTBUS_REDIS) private readonly redis: Redis) {}

  async set(sku: string, available: number): Promise<void> {
    await this.redis.set(skuKey(sku), available);
  }

  async available(sku: string): Promise<number | undefined> {
    const value = await this.redis.get(skuKey(sku));
    return value === null ? undefined : Number(value);
  }

  /** Lowers stock for all lines of the order exactly once, or for none when any SKU is short. */
  async reserve(orderId: string, items: OrderLine[]): Promise<Reservation> {
    const lines = mergeLines(items);
    const { result } = await reserveStockScript.run(this.redis, {
      dedupeKey: orderOutcomeKey(orderId),
      keys: lines.map((line) => skuKey(line.sku)),
      args: lines.map((line) => line.quantity),
    });
    const outcome = JSON.parse(result) as ScriptOutcome;
    if (outcome.status === 'reserved') return { status: 'reserved', lines };
    const shortages = (outcome.shortages ?? []).map(({ index, requested, available }) => ({
      sku: lines[index - 1].sku,
      requested,
      available,
    }));
    return { status: 'rejected', lines, shortages };
  }
}

/** One line per SKU: an order may list a SKU twice, and the check must see the sum. */
export function mergeLines(items: Pick<OrderLine, 'sku' | 'quantity'>[]): StockLine[] {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of items) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
}
