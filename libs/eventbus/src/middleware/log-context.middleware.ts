import type { Logger } from '@nestjs/common';
import { whenDone, type Middleware } from '../pipeline/middleware.js';
import type { Outcome } from '../pipeline/outcome.js';

/**
 * Logs how a delivery ended with everything needed to find it again: the delivery's fields (event
 * id and type, correlation id, stream, group, entry, delivery count; `Delivery.logFields`) and,
 * for a dead letter, the reason and error. Every acknowledged delivery at debug level: which
 * instance handled what, in which order (`LOG_LEVEL=debug`).
 */
export function logContext(logger: Pick<Logger, 'error' | 'log' | 'debug'>): Middleware {
  return (delivery, next) =>
    whenDone(next(delivery), (outcome: Outcome) => {
      if (outcome.kind === 'dead') {
        const error = outcome.error instanceof Error ? `: ${outcome.error.message}` : '';
        logger.error(`Dead-lettering ${delivery.describe()} (${outcome.reason}${error})`, {
          ...delivery.logFields(),
          reason: outcome.reason,
        });
      } else if (outcome.kind === 'ack' && delivery.failures > 0) {
        logger.log(`Handled ${delivery.describe()} after ${delivery.failures} failed attempt(s)`, {
          ...delivery.logFields(),
          failures: delivery.failures,
        });
      } else if (outcome.kind === 'ack') {
        logger.debug('Handled', delivery.logFields());
      }
      return outcome;
    });
}
