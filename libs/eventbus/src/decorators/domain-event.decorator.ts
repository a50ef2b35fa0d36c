import { SetMetadata } from '@nestjs/common';
import { DOMAIN_EVENT_METADATA } from '../eventbus.constants.js';
import type { DomainEventDefinition } from '../interfaces/domain-event.interface.js';

/**
 * Declares a class as an event of the bus: its wire `type`, the `stream` it travels on and its
 * schema `version`. Validation rules are class-validator decorators on its properties.
 * @example @DomainEvent({ type: 'order.approved', stream: 'events:{orders}', version: 1 })
 */
export const DomainEvent = (definition: DomainEventDefinition): ClassDecorator => SetMetadata(DOMAIN_EVENT_METADATA, definition);
