import type { Middleware } from '../pipeline/middleware.js';
import { ACK } from '../pipeline/outcome.js';

/** A redriven entry is meant for the group that dead-lettered it; the other groups had it already. */
export const redriveFilter: Middleware = (delivery, next) => {
  const target = delivery.envelope!.redriveFor;
  return target !== undefined && target !== delivery.group ? ACK : next(delivery);
};
