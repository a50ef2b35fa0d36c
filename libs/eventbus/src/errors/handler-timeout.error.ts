export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
  constructor(type: string, timeoutMs: number) {
    super(`Handler of "${type}" did not finish within ${timeoutMs} ms`);
  }
}
