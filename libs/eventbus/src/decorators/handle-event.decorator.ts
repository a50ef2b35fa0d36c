import { SetMetadata } from '@nestjs/common';
import { EVENT_HANDLER_METADATA } from '../eventbus.constants.js';
import type { DomainEventClass } from '../interfaces/domain-event.interface.js';

/**
 * Marks a provider method as the handler of one event class for this service's consumer group.
 * The method gets the validated event instance and its `EventContext`; returning acknowledges the
 * entry, throwing leaves it pending for a retry.
 */
export const HandleEvent = (event: DomainEventClass): MethodDecorator => SetMetadata(EVENT_HANDLER_METADATA, event);
