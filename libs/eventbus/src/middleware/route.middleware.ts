import type { RegisteredHandler } from '../discovery/registered-handler.js';
import type { Middleware } from '../pipeline/middleware.js';
import { ACK } from '../pipeline/outcome.js';

/** Finds the handler of the event's type; another service's type on a shared stream is skipped. */
export function route(handlers: ReadonlyMap<string, RegisteredHandler>): Middleware {
  return (delivery, next) => {
    const handler = handlers.get(delivery.envelope!.type);
    if (!handler) return ACK;
    delivery.handler = handler;
    return next(delivery);
  };
}
