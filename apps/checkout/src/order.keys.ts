// Same hash tag as the orders stream: the order, its idempotency record and its
// `order.approved` entry are written by one script.
export const orderKey = (orderId: string) => `checkout:{orders}:order:${orderId}`;
export const idempotencyKey = (key: string) => `checkout:{orders}:idempotency:${key}`;

/** How long a client may repeat a request with the same `Idempotency-Key`. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
