import { HandlerTimeoutError } from '../errors/handler-timeout.error.js';
import type { Middleware } from '../pipeline/middleware.js';
import type { Outcome } from '../pipeline/outcome.js';
import { DeadlineQueue } from './deadline.queue.js';

/**
 * A handler still running after `ms` counts as failed (`HandlerTimeoutError`) and its signal is
 * aborted, so a handler that passes `context.signal` on stops its work before the retry starts.
 */
export function timeout(ms: number): Middleware {
  const deadlines = new DeadlineQueue(ms);
  return (delivery, next) =>
    new Promise<Outcome>((resolve, reject) => {
      const deadline = deadlines.add(() => {
        const error = new HandlerTimeoutError(ms);
        delivery.abort(error);
        reject(error);
      });
      const settle = () => (deadline.settled = true);
      Promise.resolve()
        .then(() => next(delivery))
        .then(
          (outcome) => {
            settle();
            resolve(outcome);
          },
          (error: unknown) => {
            settle();
            reject(error);
          },
        );
    });
}
