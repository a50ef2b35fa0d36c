/**
 * Redis did not take a command in time. `maybeApplied` is false when the command never left this
 * process (no connection), and true when it was sent but no reply came (connection lost, timeout):
 * Redis may have executed it.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  readonly maybeApplied: boolean;

  constructor(operation: string, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`Redis unavailable during ${operation}: ${message}`, { cause });
    // ioredis refuses to send at all, with offline queueing off, when the connection is down.
    this.maybeApplied = !/isn't writeable|enableOfflineQueue/i.test(message);
  }
}
