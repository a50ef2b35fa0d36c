import { decodeEnvelope } from '../envelope/envelope.codec.js';
import type { Middleware } from '../pipeline/middleware.js';

/** Reads the envelope from the entry's fields; an unreadable one throws `EnvelopeDecodeError`. */
export const decode: Middleware = (delivery, next) => {
  delivery.envelope = decodeEnvelope(delivery.entryId, delivery.fields);
  return next(delivery);
};
