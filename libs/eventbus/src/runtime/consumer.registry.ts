import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { createConsumer, type ConsumerDependencies, type ConsumerLease } from '../consumer/consumer.factory.js';
import type { ConsumerLoop } from '../consumer/consumer.loop.js';
import type { RegisteredHandler } from '../discovery/registered-handler.js';
import { HandlerExplorer } from '../discovery/handler.explorer.js';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { EventBusConfigError } from '../errors/eventbus-config.error.js';
import { PartitionCoordinator } from '../leases/partition.coordinator.js';
import { EventBusMetrics } from '../metrics/eventbus.metrics.js';
import { checkPartitionCounts } from '../partitions/partition-count.check.js';
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
 * Runs one consumer per stream this app's handlers read (each partition stream of a partitioned
 * topic): under leases, only the partitions assigned to this instance, one instance of the group
 * per partition at a time; started once the app is bootstrapped, stopped (handlers in flight
 * finish, acknowledgements go out) before its connections close.
 */
@Injectable()
export class ConsumerRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventBus');
  /** Without leases: a consumer per stream, for good. */
  private readonly consumers = new Map<string, ConsumerLoop>();
  /** With leases: the partitions this instance holds now. */
  private coordinator?: PartitionCoordinator;
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
    for (const topic of handlers.keys()) this.topology.add(topic, this.config.service);
    await whenReady(this.redis, this.config.commandTimeoutMs);
    await this.checkPartitionCounts();
    await this.initializer.initialize();
    const byStream = new Map<string, ReadonlyMap<string, RegisteredHandler>>();
    for (const [topic, byType] of handlers) for (const stream of this.topology.streamsOf(topic)) byStream.set(stream, byType);
    if (this.config.leases && byStream.size > 0) {
      this.coordinator = new PartitionCoordinator(this.redis, {
        group: this.config.service,
        consumer: this.config.consumer,
        leaseMs: this.config.leaseMs,
        shutdownTimeoutMs: this.config.shutdownTimeoutMs,
        streams: [...byStream.keys()],
        consume: (stream, lease) => {
          const consumer = this.consumer(stream, byStream.get(stream) ?? new Map(), lease);
          consumer.start();
          return consumer;
        },
        logger: this.logger,
      });
      this.coordinator.start();
    } else {
      for (const [stream, byType] of byStream) {
        const consumer = this.consumer(stream, byType);
        this.consumers.set(stream, consumer);
        consumer.start();
      }
    }
    for (const [topic, byType] of handlers) {
      const partitions = this.topology.streamsOf(topic).length;
      this.logger.log(
        `Consuming ${topic}${partitions > 1 ? ` (${partitions} partitions)` : ''} as ${this.config.service}/${this.config.consumer}` +
          `${this.coordinator ? ' under leases' : ''}: ${[...byType.keys()].join(', ')}`,
      );
    }
    this.started();
  }

  private consumer(stream: string, byType: ReadonlyMap<string, RegisteredHandler>, lease?: ConsumerLease): ConsumerLoop {
    const deps: ConsumerDependencies = {
      config: this.config,
      redis: this.redis,
      readerConnection: createReaderConnection(this.config, this.redis, stream),
      recorder: this.metrics,
      publishCaused: (events, cause) => this.publisher.publishCaused(events, cause),
      restoreTopology: () => this.initializer.restore(),
    };
    return createConsumer(stream, byType, deps, lease);
  }

  /** A mismatch stops start-up; Redis away does not (the check is for misconfiguration, not outages). */
  private async checkPartitionCounts(): Promise<void> {
    try {
      await checkPartitionCounts(this.redis, this.topology.partitionCounts());
    } catch (error) {
      if (error instanceof EventBusConfigError) throw error;
      this.logger.warn(`Could not check the partition counts (${(error as Error).message})`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.stop()));
    await this.coordinator?.stop();
  }

  /** Resolves once every consumer of this app has started (under leases: once it takes part in the assignment). */
  whenReady(): Promise<void> {
    return this.startedPromise;
  }

  /** Healthy when every declared group exists and every consumer reads (under leases: and the membership heartbeat works). */
  status(): { topologyReady: boolean; consumers: ConsumerStatus[] } {
    const group = this.config.service;
    const consumers = [...this.consumers].map(([stream, consumer]) => ({ stream, group, healthy: consumer.isHealthy }));
    const coordinator = this.coordinator;
    if (coordinator)
      for (const stream of coordinator.streams()) consumers.push({ stream, group, healthy: coordinator.isHealthy });
    return { topologyReady: this.initializer.isReady && (coordinator?.isHealthy ?? true), consumers };
  }

  /** The partition streams this instance consumes now (all of its streams without leases). */
  heldStreams(): string[] {
    return this.coordinator ? this.coordinator.streams() : [...this.consumers.keys()];
  }
}
