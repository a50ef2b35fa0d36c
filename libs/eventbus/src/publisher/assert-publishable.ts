import type { DomainEventClass } from '../interfaces/domain-event.interface.js';
import { eventChecker } from '../validation/event-checker.compiler.js';

/**
 * The one check an event passes before it is written: the payload meets its class's rules, and
 * carries no property the class does not declare. Throws `EventValidationError` naming each
 * problem. The rules are the class-validator decorators, compiled once per class.
 */
export function assertPublishable(eventClass: DomainEventClass, type: string, payload: unknown): void {
  eventChecker(eventClass, type).assertPublishable(payload);
}
