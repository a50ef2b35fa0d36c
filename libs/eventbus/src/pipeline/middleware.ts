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

/**
 * `fn(outcome)` once `result` settles: at once when it is already an outcome, else after the
 * promise. The hot path stays free of `async` frames where a step only looks at the outcome.
 */
export function whenDone<T>(result: Outcome | Promise<Outcome>, fn: (outcome: Outcome) => T | Promise<T>): T | Promise<T> {
  return result instanceof Promise ? result.then(fn) : fn(result);
}

/** `fn(error)` when `next` throws or rejects; the outcome passes through otherwise. */
export function onFailure(
  run: () => Outcome | Promise<Outcome>,
  fn: (error: unknown) => Outcome | Promise<Outcome>,
): Outcome | Promise<Outcome> {
  let result: Outcome | Promise<Outcome>;
  try {
    result = run();
  } catch (error) {
    return fn(error);
  }
  return result instanceof Promise ? result.catch(fn) : result;
}
