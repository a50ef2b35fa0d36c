import { EventValidationError } from '../errors/event-validation.error.js';
import type { DomainEventDefinition } from '../interfaces/domain-event.interface.js';

/**
 * The envelope's ordering key: the value of the payload property `@DomainEvent({ key })` names,
 * as a string. A declared key that is missing, empty or not a string or number is refused, since
 * an event without it could overtake the events it must follow.
 */
export function orderingKey(definition: DomainEventDefinition, payload: object): string | undefined {
  const property = definition.key;
  if (property === undefined) return undefined;
  const value: unknown = (payload as Record<string, unknown>)[property];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new EventValidationError(definition.type, [
    `${property}: the ordering key must be a non-empty string or a finite number, got ${value === '' ? 'an empty string' : typeof value}`,
  ]);
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** An event or correlation id given by the caller: 1-200 characters, none of them a control character. */
export function assertEventIdOption(type: string, option: 'id' | 'correlationId', value: unknown): void {
  if (typeof value === 'string' && value.length > 0 && value.length <= 200 && !CONTROL_CHARACTER.test(value)) return;
  throw new EventValidationError(type, [`options.${option}: must be 1-200 characters without control characters`]);
}
