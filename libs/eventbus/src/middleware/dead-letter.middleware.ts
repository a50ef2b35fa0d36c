import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';
import { EventValidationError } from '../errors/event-validation.error.js';
import { MaxDeliveriesError } from '../errors/max-deliveries.error.js';
import { UnrecoverableEventError } from '../errors/unrecoverable-event.error.js';
import { onFailure, type Middleware } from '../pipeline/middleware.js';
import { dead, type DeadLetterReason } from '../pipeline/outcome.js';

/** What an error that reached the dead-letter policy says about the entry. */
export function deadLetterReason(error: unknown): DeadLetterReason {
  if (error instanceof EnvelopeDecodeError) return 'undecodable';
  if (error instanceof EventValidationError) return 'invalid';
  if (error instanceof MaxDeliveriesError) return 'max-deliveries';
  if (error instanceof UnrecoverableEventError) return 'unrecoverable';
  return 'handler-failed';
}

/**
 * The poison queue: an error that gets this far (the retry policy has given up, or retrying
 * cannot help) turns into a dead letter stamped with its reason, and the stream moves on.
 */
export const deadLetter: Middleware = (delivery, next) =>
  onFailure(
    () => next(delivery),
    (error) => dead(deadLetterReason(error), error),
  );
