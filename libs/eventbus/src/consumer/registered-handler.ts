import type { DomainEventClass } from '../interfaces/domain-event.interface.js';
import type { EventContext } from '../interfaces/event-context.interface.js';

/** A discovered `@HandleEvent` method, bound to its provider instance. */
export interface RegisteredHandler {
  eventClass: DomainEventClass;
  type: string;
  /** `Provider.method`, for logs. */
  name: string;
  invoke(event: object, context: EventContext): Promise<unknown>;
}
