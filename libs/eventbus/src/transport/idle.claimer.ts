import type { Logger } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { removeDeadConsumers } from './consumer.janitor.js';
import type { CountedEntry } from './stream-entry.js';
import { claimIdleScript, ownPendingScript } from './stream.scripts.js';

export interface ClaimerOptions {
  claimIdleMs: number;
  deadConsumerIdleMs: number;
}

/**
 * The two other sources of deliveries besides new entries: entries left idle by consumers that
 * died (`XAUTOCLAIM`, a pass every half claim period, then the gone consumers holding nothing are
 * removed), and this consumer's own pending entries (after a restart under the same name, or
 * whatever a cut read delivered).
 */
export class IdleClaimer {
  private cursor = '0-0';
  private nextPassAt = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly stream: string,
    private readonly group: string,
    private readonly consumer: string,
    private readonly options: ClaimerOptions,
    private readonly logger: Pick<Logger, 'log' | 'warn'>,
  ) {}

  /** Up to `count` entries idle on other consumers, now ours (a delivery counted), when a pass is due. */
  async claimIdle(count: number): Promise<CountedEntry[]> {
    if (Date.now() < this.nextPassAt || count <= 0) return [];
    const [cursor, entries] = (await claimIdleScript.run(
      this.redis,
      [this.stream],
      [this.group, this.consumer, this.options.claimIdleMs, this.cursor, count],
    )) as [string, CountedEntry[]];
    this.cursor = cursor;
    if (cursor === '0-0') {
      this.nextPassAt = Date.now() + this.options.claimIdleMs / 2;
      const removed = await removeDeadConsumers(
        this.redis,
        this.stream,
        this.group,
        this.consumer,
        this.options.deadConsumerIdleMs,
      );
      if (removed.length > 0)
        this.logger.log(`Removed consumers gone for over ${this.options.deadConsumerIdleMs} ms: ${removed.join(', ')}`);
    }
    if (entries.length > 0) this.logger.warn(`Claimed ${entries.length} entries idle for over ${this.options.claimIdleMs} ms`);
    return entries.map(([id, fields, deliveries]) => [id, fields, Number(deliveries)]);
  }

  /** One page of this consumer's pending entries after `after` (exclusive); see `ownPendingScript`. */
  async ownPending(after: string, count: number, countDelivery: boolean): Promise<CountedEntry[]> {
    const start = after === '-' ? '-' : `(${after}`;
    const args = [this.group, this.consumer, start, count, countDelivery ? '1' : '0'];
    const entries = (await ownPendingScript.run(this.redis, [this.stream], args)) as CountedEntry[];
    return entries.map(([id, fields, deliveries]) => [id, fields || null, Number(deliveries)]);
  }
}
