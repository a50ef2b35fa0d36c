import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { EVENTBUS_REDIS } from '../eventbus.constants.js';
import { ConsumerRegistry } from '../runtime/consumer.registry.js';

/** Up when Redis answers, every declared group exists and every consumer loop reads. */
@Injectable()
export class EventBusHealthIndicator {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: Redis,
    private readonly consumers: ConsumerRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'eventbus') {
    const indicator = this.health.check(key);
    try {
      await this.redis.ping();
    } catch (error) {
      return indicator.down({ redis: 'unreachable', message: (error as Error).message });
    }
    const { topologyReady, consumers } = this.consumers.status();
    const up = topologyReady && consumers.every((consumer) => consumer.healthy);
    return up ? indicator.up({ redis: 'up', consumers }) : indicator.down({ redis: 'up', topologyReady, consumers });
  }
}
