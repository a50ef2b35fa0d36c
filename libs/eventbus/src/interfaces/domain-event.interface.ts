export interface DomainEventDefinition {
  /** Wire name, e.g. `order.approved`. */
  type: string;
  /** Stream key the event is published to. */
  stream: string;
  /** Schema version of the payload. */
  version: number;
  /**
   * The payload property that orders this event: entries with the same value (e.g. one order's
   * events) are handled one at a time, in stream order, by each consumer; others run concurrently.
   * Without it, entries of this type are not ordered among themselves.
   * @example 'orderId'
   */
  key?: string;
}

/** A class decorated with `@DomainEvent`. */
export type DomainEventClass<T extends object = object> = new (...args: never[]) => T;
