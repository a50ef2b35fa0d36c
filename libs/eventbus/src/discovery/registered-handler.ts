import type { DomainEventClass } from '../interfaces/domain-event.interface.js';
import type { EventContext } from '../interfaces/event-context.interface.js';
import type { HandlerResult } from '../publisher/caused-event.js';

/** A discovered `@HandleEvent` method, bound to its provider instance. */
export interface RegisteredHandler {
  eventClass: DomainEventClass;
  type: string;
  /** `Provider.method`, for logs. */
  name: string;
  /** Checks a received payload (tolerant of unknown fields) and builds the event instance. */
  read(payload: unknown): object;
  invoke(event: object, context: EventContext): HandlerResult | Promise<HandlerResult>;
}
