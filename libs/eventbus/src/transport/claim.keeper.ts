import type { Logger } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import type { Delivery } from '../pipeline/delivery.js';
import { keepScript } from './stream.scripts.js';

const IDS_PER_CALL = 500;

/**
 * A slow but live handler must not lose its entry to another consumer's claim. One timer (as
 * BullMQ's lock manager does for its jobs) resets the idle time of every entry this consumer holds
 * (running, waiting in a lane, waiting for a retry) a few times per claim period. An entry found
 * in another consumer's hands is marked lost, so this one will not retry it.
 */
export class ClaimKeeper {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: RedisClient,
    private readonly stream: string,
    private readonly group: string,
    private readonly consumer: string,
    private readonly claimIdleMs: number,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  start(held: () => ReadonlyMap<string, Delivery>): void {
    this.timer = setInterval(() => void this.keep(held()), Math.max(1, Math.floor(this.claimIdleMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async keep(held: ReadonlyMap<string, Delivery>): Promise<void> {
    const ids = [...held.keys()];
    for (let from = 0; from < ids.length; from += IDS_PER_CALL) {
      try {
        const lost = (await keepScript.run(
          this.redis,
          [this.stream],
          [this.group, this.consumer, ...ids.slice(from, from + IDS_PER_CALL)],
        )) as string[];
        for (const id of lost) {
          const delivery = held.get(id);
          if (delivery) delivery.lost = true;
        }
        if (lost.length > 0)
          this.logger.warn(`${lost.length} entries of ${this.stream} in flight here were taken over by another consumer`);
      } catch (error) {
        this.logger.warn(`Could not extend the claim on in-flight entries: ${(error as Error).message}`);
      }
    }
  }
}
