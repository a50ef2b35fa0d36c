import type { EventContext } from '../interfaces/event-context.interface.js';
import { whenDone, type Middleware } from '../pipeline/middleware.js';
import type { Outcome } from '../pipeline/outcome.js';
import type { CausedEvent } from '../publisher/caused-event.js';

export type PublishCaused = (events: readonly CausedEvent[], cause: EventContext) => Promise<void>;

/**
 * Publishes the events a handler returned before its entry is acknowledged (as Watermill's router
 * does). Their ids derive from the cause and the group, so a redelivered cause publishes the same
 * ids again and downstream deduplication absorbs them. A failed publish fails the attempt.
 */
export function causedEvents(publish: PublishCaused): Middleware {
  return (delivery, next) =>
    whenDone(next(delivery), (outcome: Outcome) => {
      const result = delivery.result;
      if (!result) return outcome;
      delivery.result = undefined;
      const events = Array.isArray(result) ? (result as readonly CausedEvent[]) : [result as CausedEvent];
      return events.length > 0 ? publish(events, delivery.context()).then(() => outcome) : outcome;
    });
}
