import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { EVENTBUS_REDIS } from '../eventbus.constants.js';
import { reconnectDelay } from '../redis/reconnect.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import { ensureGroup } from '../redis/stream.topology.js';

/**
 * Creates every consumer group of the declared topology, so events published before a service's
 * first start wait for it. Retried in the background while Redis is unreachable; run again by the
 * lag sampler whenever a declared stream or group has vanished.
 */
@Injectable()
export class TopologyInitializer {
  private readonly logger = new Logger('EventBus');
  private ready = false;

  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    private readonly topology: StreamTopologyRegistry,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** Resolves after the first attempt; on failure, keeps trying in the background. */
  async initialize(attempt = 1): Promise<void> {
    try {
      await this.restore();
      this.ready = true;
    } catch (error) {
      const delay = reconnectDelay(attempt);
      this.logger.warn(`Could not create the consumer groups (${(error as Error).message}); retrying in ${delay} ms`);
      setTimeout(() => void this.initialize(attempt + 1), delay).unref();
    }
  }

  /**
   * Creates whatever group of the whole declared topology is missing, its own app running or not
   * (each at `0`: the entries appended meanwhile wait for it). Throws when Redis is away.
   */
  async restore(): Promise<void> {
    await Promise.all(
      this.topology.entries().flatMap(([stream, groups]) =>
        groups.map(async (group) => {
          if (await ensureGroup(this.redis, stream, group)) this.logger.log(`Created group ${group} on ${stream}`);
        }),
      ),
    );
  }
}
