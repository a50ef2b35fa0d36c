/**
 * No order id drawn fell in the orders partition of the request's Idempotency-Key: with random
 * ids and at most 256 partitions this does not happen in practice; it would be a bug, not a retry.
 */
export class OrderIdUnavailableError extends Error {
  override readonly name = 'OrderIdUnavailableError';
  constructor(partition: number) {
    super(`No order id in orders partition ${partition} after many draws`);
  }
}
