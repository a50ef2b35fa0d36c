import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { StreamConsumer } from './consumer/stream.consumer.js';
import type { RegisteredHandler } from './consumer/registered-handler.js';
import { getDomainEvent } from './envelope/domain-event.registry.js';
import { DuplicateHandlerError } from './errors/duplicate-handler.error.js';
import { EVENT_HANDLER_METADATA, EVENTBUS_CONFIG, EVENTBUS_REDIS } from './eventbus.constants.js';
import type { EventBusConfig } from './eventbus.options.js';
import type { DomainEventClass } from './interfaces/domain-event.interface.js';
import type { EventContext } from './interfaces/event-context.interface.js';
import { EventBusMetrics } from './metrics/eventbus.metrics.js';
import { createReaderConnection, reconnectDelay, whenReady } from './redis/redis.factory.js';
import { StreamTopologyRegistry } from './redis/stream-topology.registry.js';
import { ensureGroup } from './redis/stream.topology.js';

export interface ConsumerStatus {
  stream: string;
  group: string;
  healthy: boolean;
}

/**
 * Finds `@HandleEvent` methods, creates every declared consumer group, and runs one consumer
 * loop per stream the handlers read; stops them all before the app's connections close.
 */
@Injectable()
export class EventBusExplorer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventBus');
  private readonly consumers = new Map<string, StreamConsumer>();
  private topologyReady = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly topology: StreamTopologyRegistry,
    private readonly metrics: EventBusMetrics,
    @Inject(EVENTBUS_REDIS) private readonly redis: Redis,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.discoverHandlers();
    for (const stream of handlers.keys()) this.topology.add(stream, this.config.service);
    await whenReady(this.redis, this.config.commandTimeoutMs);
    await this.ensureTopology();
    for (const [stream, byType] of handlers) {
      const consumer = new StreamConsumer(
        stream,
        byType,
        this.redis,
        createReaderConnection(this.config, stream),
        this.config,
        this.metrics,
      );
      this.consumers.set(stream, consumer);
      consumer.start();
      this.logger.log(`Consuming ${stream} as ${this.config.service}/${this.config.consumer}: ${[...byType.keys()].join(', ')}`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.stop()));
  }

  /** Healthy when every declared group exists and every consumer loop reads. */
  status(): { topologyReady: boolean; consumers: ConsumerStatus[] } {
    const consumers = [...this.consumers].map(([stream, consumer]) => ({
      stream,
      group: this.config.service,
      healthy: consumer.isHealthy,
    }));
    return { topologyReady: this.topologyReady, consumers };
  }

  /**
   * Creates every group of the declared topology, so events published before a service's first
   * start wait for it. Retried in the background while Redis is unreachable.
   */
  private async ensureTopology(attempt = 1): Promise<void> {
    try {
      for (const [stream, groups] of this.topology.entries()) {
        for (const group of groups) {
          if (await ensureGroup(this.redis, stream, group)) this.logger.log(`Created group ${group} on ${stream}`);
        }
      }
      this.topologyReady = true;
    } catch (error) {
      const delay = reconnectDelay(attempt);
      this.logger.warn(`Could not create the consumer groups (${(error as Error).message}); retrying in ${delay} ms`);
      setTimeout(() => void this.ensureTopology(attempt + 1), delay).unref();
    }
  }

  private discoverHandlers(): Map<string, Map<string, RegisteredHandler>> {
    const byStream = new Map<string, Map<string, RegisteredHandler>>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const eventClass = this.reflector.get<DomainEventClass | undefined>(
          EVENT_HANDLER_METADATA,
          prototype[method] as () => unknown,
        );
        if (!eventClass) continue;
        const name = `${wrapper.name}.${method}`;
        if (!wrapper.isDependencyTreeStatic()) {
          this.logger.warn(`${name} is request-scoped; event handlers must be singletons, skipped`);
          continue;
        }
        const { type, stream } = getDomainEvent(eventClass);
        const byType = byStream.get(stream) ?? new Map<string, RegisteredHandler>();
        const existing = byType.get(type);
        if (existing) throw new DuplicateHandlerError(type, existing.name, name);
        const fn = (instance as Record<string, (event: object, context: EventContext) => unknown>)[method];
        byType.set(type, {
          eventClass,
          type,
          name,
          invoke: async (event, context) => fn.call(instance, event, context),
        });
        byStream.set(stream, byType);
      }
    }
    return byStream;
  }
}
