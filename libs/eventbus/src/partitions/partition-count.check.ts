import type { RedisClient } from '../redis/redis.client.js';
import { EventBusConfigError } from '../errors/eventbus-config.error.js';
import { partitionCountKey } from '../leases/lease.keys.js';

/**
 * Every app of a system must split each topic into the same partitions: one that counted
 * differently would publish to streams nobody reads and read streams nobody writes. The first
 * app records each topic's count in Redis; an app that declares another count refuses to start.
 * (Changing the count: README, "Changing the partition count".)
 */
export async function checkPartitionCounts(
  redis: RedisClient,
  counts: readonly [topic: string, partitions: number][],
): Promise<void> {
  for (const [topic, partitions] of counts) {
    const key = partitionCountKey(topic);
    await redis.set(key, partitions, 'NX');
    const recorded = Number(await redis.get(key));
    if (recorded !== partitions) {
      throw new EventBusConfigError(
        'topology.partitions',
        `${topic} is split into ${recorded} partitions by the other apps of this system (recorded in ${key}), ` +
          `this app declares ${partitions}: set EVENTBUS_PARTITIONS alike everywhere`,
      );
    }
  }
}
