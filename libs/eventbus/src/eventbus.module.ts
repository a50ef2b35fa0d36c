import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { RedisClient } from './redis/redis.client.js';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from './eventbus.constants.js';
import { DeadLetterService } from './dead-letter/dead-letter.service.js';
import { ConsumerGroupAdmin } from './groups/consumer-group.admin.js';
import { HandlerExplorer } from './discovery/handler.explorer.js';
import { ConsumerRegistry } from './runtime/consumer.registry.js';
import { TopologyInitializer } from './runtime/topology.initializer.js';
import { ConfigurableEventBusModule, EVENTBUS_MODULE_OPTIONS } from './eventbus.module-definition.js';
import { resolveEventBusConfig, type EventBusConfig } from './eventbus.options.js';
import { LagSampler } from './lag/lag.sampler.js';
import { StreamLagService } from './lag/stream-lag.service.js';
import { EventBusMetrics } from './metrics/eventbus.metrics.js';
import { EventPublisher } from './publisher/event.publisher.js';
import { createCommandConnection } from './redis/redis.factory.js';
import { StreamTrimmer } from './retention/stream.trimmer.js';
import { StreamTopologyRegistry } from './redis/stream-topology.registry.js';

@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: EVENTBUS_CONFIG, useFactory: resolveEventBusConfig, inject: [EVENTBUS_MODULE_OPTIONS] },
    {
      provide: EVENTBUS_REDIS,
      useFactory: (config: EventBusConfig) => createCommandConnection(config),
      inject: [EVENTBUS_CONFIG],
    },
    StreamTopologyRegistry,
    EventPublisher,
    StreamLagService,
    LagSampler,
    EventBusMetrics,
    HandlerExplorer,
    TopologyInitializer,
    ConsumerRegistry,
    DeadLetterService,
    ConsumerGroupAdmin,
    StreamTrimmer,
  ],
  exports: [
    EVENTBUS_CONFIG,
    EVENTBUS_REDIS,
    EventPublisher,
    StreamLagService,
    EventBusMetrics,
    ConsumerRegistry,
    DeadLetterService,
    ConsumerGroupAdmin,
  ],
})
export class EventBusModule extends ConfigurableEventBusModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
  ) {
    super();
  }

  /** Runs after every consumer stopped (`beforeApplicationShutdown`), so acknowledgements got out. */
  async onApplicationShutdown(): Promise<void> {
    if (this.config.connection) return; // the user's connection: the user closes it
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
