import type { Logger } from '@nestjs/common';
import { whenDone, type Middleware } from '../pipeline/middleware.js';
import type { Outcome } from '../pipeline/outcome.js';

/**
 * Logs how a delivery ended with everything needed to find it again: event type and id, entry,
 * stream, group, delivery count, correlation id and, for a dead letter, the reason and error.
 */
export function logContext(logger: Pick<Logger, 'error' | 'log'>): Middleware {
  return (delivery, next) =>
    whenDone(next(delivery), (outcome: Outcome) => {
      if (outcome.kind === 'dead') {
        const error = outcome.error instanceof Error ? `: ${outcome.error.message}` : '';
        const correlation = delivery.envelope ? `, correlation ${delivery.envelope.correlationId}` : '';
        logger.error(`Dead-lettering ${delivery.describe()}${correlation} (${outcome.reason}${error})`);
      } else if (outcome.kind === 'ack' && delivery.failures > 0) {
        logger.log(`Handled ${delivery.describe()} after ${delivery.failures} failed attempt(s)`);
      }
      return outcome;
    });
}
