import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { getDomainEvent } from '../envelope/domain-event.registry.js';
import { DuplicateHandlerError } from '../errors/duplicate-handler.error.js';
import { EVENT_HANDLER_METADATA } from '../eventbus.constants.js';
import type { DomainEventClass } from '../interfaces/domain-event.interface.js';
import type { EventContext } from '../interfaces/event-context.interface.js';
import type { HandlerResult } from '../publisher/caused-event.js';
import { eventChecker } from '../validation/event-checker.compiler.js';
import type { RegisteredHandler } from './registered-handler.js';

/** Handlers by stream, then by event type. */
export type HandlersByStream = Map<string, Map<string, RegisteredHandler>>;

/** Finds the `@HandleEvent` methods of the app's singleton providers. */
@Injectable()
export class HandlerExplorer {
  private readonly logger = new Logger('EventBus');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  explore(): HandlersByStream {
    const byStream: HandlersByStream = new Map();
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
        // Compiled now, at start-up: a rule the checker cannot compile stops the app here.
        const checker = eventChecker(eventClass, type);
        const fn = (instance as Record<string, (event: object, context: EventContext) => HandlerResult | Promise<HandlerResult>>)[
          method
        ];
        byType.set(type, {
          eventClass,
          type,
          name,
          read: (payload) => checker.read(payload),
          invoke: (event, context) => fn.call(instance, event, context),
        });
        byStream.set(stream, byType);
      }
    }
    return byStream;
  }
}
