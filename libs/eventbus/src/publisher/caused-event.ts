import type { DomainEventClass } from '../interfaces/domain-event.interface.js';

/** An event a handler causes: returned from the handler, published before the cause is acknowledged. */
export interface CausedEvent<T extends object = object> {
  readonly eventClass: DomainEventClass<T>;
  readonly payload: T;
}

/** What a `@HandleEvent` method may return: nothing, or the events it causes. */
export type HandlerResult = void | CausedEvent | readonly CausedEvent[];

/**
 * The event a handler causes, typed by its class.
 * @example return emit(InvoiceIssued, { orderId, number, total });
 */
export function emit<T extends object>(eventClass: DomainEventClass<T>, payload: T): CausedEvent<T> {
  return { eventClass, payload };
}
