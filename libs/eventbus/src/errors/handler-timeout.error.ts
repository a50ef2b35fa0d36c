export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
  constructor(timeoutMs: number) {
    super(`Handler did not finish within ${timeoutMs} ms`);
  }
}
