import type { Next } from './middleware.js';
import { ACK } from './outcome.js';

/**
 * The end of the pipeline: the handler itself. Its result (the events it causes) is kept only if
 * this attempt is still the current one: a timed-out attempt that finishes late says nothing.
 */
export const invokeHandler: Next = async (delivery) => {
  const attempt = delivery.attempt;
  const result = await delivery.handler!.invoke(delivery.event!, delivery.context());
  if (attempt === delivery.attempt) delivery.result = result;
  return ACK;
};
