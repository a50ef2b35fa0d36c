import { toValidEvent } from '../envelope/event.validator.js';
import type { DomainEventClass } from '../interfaces/domain-event.interface.js';

/**
 * The one check an event passes before it is written: the payload meets its class's rules, and
 * carries no property the class does not declare. Throws `EventValidationError` naming each
 * problem. Kept behind this one function so the checker can be swapped (e.g. for a compiled one)
 * without touching the publisher.
 */
export function assertPublishable(eventClass: DomainEventClass, type: string, payload: unknown): void {
  toValidEvent(eventClass, type, payload, true);
}
