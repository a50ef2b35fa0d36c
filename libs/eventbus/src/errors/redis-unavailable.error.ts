/** Redis did not take a command in time; nothing was written by that command. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor(operation: string, cause: unknown) {
    super(`Redis unavailable during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}
