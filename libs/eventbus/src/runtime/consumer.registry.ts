import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { createConsumer } from '../consumer/consumer.factory.js';
import type { ConsumerLoop } from '../consumer/consumer.loop.js';
import { HandlerExplorer } from '../discovery/handler.explorer.js';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { EventBusMetrics } from '../metrics/eventbus.metrics.js';
import { EventPublisher } from '../publisher/event.publisher.js';
import { createReaderConnection, whenReady } from '../redis/redis.factory.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import { TopologyInitializer } from './topology.initializer.js';

export interface ConsumerStatus {
  stream: string;
  group: string;
  healthy: boolean;
}

/**
 * Runs one consumer per stream this app's handlers read: started once the app is bootstrapped,
 * stopped (handlers in flight finish, acknowledgements go out) before its connections close.
 */
@Injectable()
export class ConsumerRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventBus');
  private readonly consumers = new Map<string, ConsumerLoop>();
  private started!: () => void;
  private readonly startedPromise = new Promise<void>((resolve) => (this.started = resolve));

  constructor(
    private readonly explorer: HandlerExplorer,
    private readonly topology: StreamTopologyRegistry,
    private readonly initializer: TopologyInitializer,
    private readonly metrics: EventBusMetrics,
    private readonly publisher: EventPublisher,
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.explorer.explore();
    for (const stream of handlers.keys()) this.topology.add(stream, this.config.service);
    await whenReady(this.redis, this.config.commandTimeoutMs);
    await this.initializer.initialize();
    for (const [stream, byType] of handlers) {
      // A reader of its own (a Cluster client on a cluster) must be ready before its first read,
      // or that read fails at once (no offline queue).
      const readerConnection = createReaderConnection(this.config, this.redis, stream);
      await whenReady(readerConnection, this.config.commandTimeoutMs);
      const consumer = createConsumer(stream, byType, {
        config: this.config,
        redis: this.redis,
        readerConnection,
        recorder: this.metrics,
        publishCaused: (events, cause) => this.publisher.publishCaused(events, cause),
        restoreTopology: () => this.initializer.restore(),
      });
      this.consumers.set(stream, consumer);
      consumer.start();
      this.logger.log(`Consuming ${stream} as ${this.config.service}/${this.config.consumer}: ${[...byType.keys()].join(', ')}`);
    }
    this.started();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.stop()));
  }

  /** Resolves once every consumer of this app has started. */
  whenReady(): Promise<void> {
    return this.startedPromise;
  }

  /** Healthy when every declared group exists and every consumer reads. */
  status(): { topologyReady: boolean; consumers: ConsumerStatus[] } {
    const consumers = [...this.consumers].map(([stream, consumer]) => ({
      stream,
      group: this.config.service,
      healthy: consumer.isHealthy,
    }));
    return { topologyReady: this.initializer.isReady, consumers };
  }
}
