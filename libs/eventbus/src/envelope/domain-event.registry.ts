import { DOMAIN_EVENT_METADATA } from '../eventbus.constants.js';
import { MissingDomainEventError } from '../errors/missing-domain-event.error.js';
import type { DomainEventClass, DomainEventDefinition } from '../interfaces/domain-event.interface.js';

export function getDomainEvent(eventClass: DomainEventClass): DomainEventDefinition {
  const definition = Reflect.getMetadata(DOMAIN_EVENT_METADATA, eventClass) as DomainEventDefinition | undefined;
  if (!definition) throw new MissingDomainEventError(eventClass.name);
  return definition;
}
