import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';
import type { Middleware } from '../pipeline/middleware.js';

/**
 * Parses `data` and checks it against the event class's rules (tolerant of fields this version
 * does not know): bad JSON throws `EnvelopeDecodeError`, a broken contract `EventValidationError`.
 */
export const validate: Middleware = (delivery, next) => {
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.envelope!.data);
  } catch (error) {
    throw new EnvelopeDecodeError(delivery.entryId, `data is not JSON (${(error as Error).message})`);
  }
  delivery.event = delivery.handler!.read(payload);
  return next(delivery);
};
