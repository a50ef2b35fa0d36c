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
  return (delivery, next) => {
    let result: ReturnType<typeof next>;
    try {
      result = next(delivery);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a handler's failure passes through as it is
      return Promise.reject(error);
    }
    if (!(result instanceof Promise)) return result; // finished synchronously: nothing to time
    return new Promise<Outcome>((resolve, reject) => {
      const deadline = deadlines.add(() => {
        const error = new HandlerTimeoutError(ms);
        delivery.abort(error);
        reject(error);
      });
      result.then(
        (outcome) => {
          deadlines.settle(deadline);
          resolve(outcome);
        },
        (error: unknown) => {
          deadlines.settle(deadline);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed through as it is
          reject(error);
        },
      );
    });
  };
}
