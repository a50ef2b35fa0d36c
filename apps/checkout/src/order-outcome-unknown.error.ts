import { HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import type { RedisUnavailableError } from '@app/eventbus';

/**
 * Redis went away after the order was sent to it: it may exist. The 503 names the order id, so the
 * client can check `GET /orders/:orderId` later, or retry with its Idempotency-Key.
 */
export class OrderOutcomeUnknownError extends ServiceUnavailableException {
  constructor(orderId: string, cause: RedisUnavailableError) {
    super(
      {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        reason: 'redis-unreachable',
        message: `Redis became unreachable while order ${orderId} was being written: it may have been accepted; check GET /orders/${orderId} or retry with the same Idempotency-Key`,
        outcome: 'unknown',
        orderId,
      },
      { cause },
    );
  }
}
