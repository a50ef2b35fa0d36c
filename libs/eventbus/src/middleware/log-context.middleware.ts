import type { Logger } from '@nestjs/common';
import type { Middleware } from '../pipeline/middleware.js';

/**
 * Logs how a delivery ended with everything needed to find it again: event type and id, entry,
 * stream, group, delivery count, correlation id and, for a dead letter, the reason and error.
 */
export function logContext(logger: Pick<Logger, 'error' | 'log'>): Middleware {
  return async (delivery, next) => {
    const outcome = await next(delivery);
    if (outcome.kind === 'dead') {
      const error = outcome.error instanceof Error ? `: ${outcome.error.message}` : '';
      const correlation = delivery.envelope ? `, correlation ${delivery.envelope.correlationId}` : '';
      logger.error(`Dead-lettering ${delivery.describe()}${correlation} (${outcome.reason}${error})`);
    } else if (outcome.kind === 'ack' && delivery.failures > 0) {
      logger.log(`Handled ${delivery.describe()} after ${delivery.failures} failed attempt(s)`);
    }
    return outcome;
  };
}
