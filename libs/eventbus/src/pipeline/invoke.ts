import type { HandlerResult } from '../publisher/caused-event.js';
import type { Next } from './middleware.js';
import { ACK, type Outcome } from './outcome.js';

/**
 * The end of the pipeline: the handler itself. Its result (the events it causes) is kept only if
 * this attempt is still the current one: a timed-out attempt that finishes late says nothing.
 */
export const invokeHandler: Next = (delivery) => {
  const attempt = delivery.attempt;
  const done = (result: HandlerResult): Outcome => {
    if (attempt === delivery.attempt) delivery.result = result;
    return ACK;
  };
  const result = delivery.handler!.invoke(delivery.event!, delivery.context());
  return result instanceof Promise ? result.then(done) : done(result);
};
