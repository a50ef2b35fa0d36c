import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EventValidationError } from '../errors/event-validation.error.js';
import type { DomainEventClass } from '../interfaces/domain-event.interface.js';

/** Flattens class-validator's tree into `items.0.quantity: quantity must be a positive number`. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Builds the event instance from a plain payload and checks it against the class's rules.
 * `strict` (publishing) also refuses unknown properties; a reader stays tolerant so that a
 * producer may add fields before every consumer knows them.
 */
export function toValidEvent<T extends object>(
  eventClass: DomainEventClass<T>,
  type: string,
  payload: unknown,
  strict: boolean,
): T {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new EventValidationError(type, ['payload must be a JSON object']);
  }
  const event = plainToInstance(eventClass as new () => T, payload);
  const errors = validateSync(event, { forbidUnknownValues: true, whitelist: strict, forbidNonWhitelisted: strict });
  if (errors.length > 0) throw new EventValidationError(type, describeValidationErrors(errors));
  return event;
}
