import type { Delivery } from './delivery.js';
import type { Outcome } from './outcome.js';

/** The rest of the pipeline. Synchronous steps return the outcome directly, saving a promise. */
export type Next = (delivery: Delivery) => Outcome | Promise<Outcome>;

/**
 * One policy of the consumer (decoding, validation, retry, ...), in the spirit of Watermill's
 * router middleware: it may act before and after `next`, or answer without calling it.
 */
export type Middleware = (delivery: Delivery, next: Next) => Outcome | Promise<Outcome>;

/** `compose([a, b, c], end)` runs a, then b, then c, then `end`. */
export function compose(middlewares: readonly Middleware[], end: Next): Next {
  return middlewares.reduceRight<Next>((next, middleware) => (delivery) => middleware(delivery, next), end);
}
