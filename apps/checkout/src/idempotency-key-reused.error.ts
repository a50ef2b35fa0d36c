import { UnprocessableEntityException } from '@nestjs/common';

/**
 * The Idempotency-Key already placed an order with a different body. Answering with the first
 * order would hide the client's bug; placing a second would defeat the key. (As the IETF
 * Idempotency-Key draft prescribes: 422.)
 */
export class IdempotencyKeyReusedError extends UnprocessableEntityException {
  constructor(key: string, orderId: string) {
    super(`Idempotency-Key "${key}" was already used for order ${orderId} with a different body`);
  }
}
