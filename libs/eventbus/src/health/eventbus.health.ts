import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { RedisClient } from '../redis/redis.client.js';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { redisRefusal } from '../redis/redis.errors.js';
import { ConsumerRegistry } from '../runtime/consumer.registry.js';

/** How long the probe's key lives: it only has to be written, never read. */
const PROBE_TTL_MS = 1_000;

/**
 * Up when Redis takes a write, every declared group exists and every consumer loop reads. A
 * @nestjs/terminus indicator: compose it into the app's own `/health` with its other checks.
 *
 * The probe is a tiny write (`SET <stream>:health 1 PX 1000`), not a PING: a Redis at `maxmemory`,
 * a read-only replica or one failing to persist (`OOM`, `READONLY`, `MISCONF`) still answers PING
 * but refuses every write the app would make, and only a write tells so, definitively, in the same
 * round trip as PING would (no reading of INFO fields and guessing). The key shares the first
 * declared stream's name, so an ACL or a cluster slot that lets the app write its streams lets it
 * write the probe; it expires at once.
 */
@Injectable()
export class EventBusHealthIndicator {
  private readonly probeKey: string;

  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    @Inject(EVENTBUS_CONFIG) config: EventBusConfig,
    private readonly consumers: ConsumerRegistry,
    private readonly health: HealthIndicatorService,
  ) {
    this.probeKey = `${config.topology[0]?.stream ?? 'eventbus'}:health`;
  }

  async isHealthy(key = 'eventbus') {
    const indicator = this.health.check(key);
    try {
      await this.redis.set(this.probeKey, '1', 'PX', PROBE_TTL_MS);
    } catch (error) {
      const refusal = redisRefusal(error);
      const message = (error as Error).message;
      return refusal
        ? indicator.down({ redis: 'refuses-writes', reason: refusal, message })
        : indicator.down({ redis: 'unreachable', message });
    }
    const { topologyReady, consumers } = this.consumers.status();
    const up = topologyReady && consumers.every((consumer) => consumer.healthy);
    return up ? indicator.up({ redis: 'up', consumers }) : indicator.down({ redis: 'up', topologyReady, consumers });
  }
}
