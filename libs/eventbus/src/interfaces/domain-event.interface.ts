export interface DomainEventDefinition {
  /** Wire name, e.g. `order.approved`. */
  type: string;
  /** Stream key the event is published to. */
  stream: string;
  /** Schema version of the payload. */
  version: number;
}

/** A class decorated with `@DomainEvent`. */
export type DomainEventClass<T extends object = object> = new (...args: never[]) => T;
