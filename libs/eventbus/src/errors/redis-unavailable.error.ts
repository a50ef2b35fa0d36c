import { redisRefusal } from '../redis/redis.errors.js';

/**
 * Redis did not take a command in time, or refused it as a write it cannot take now (`refusal`:
 * `OOM`, `READONLY`, `MISCONF`, ...). `maybeApplied` is false when the command never left this
 * process (no connection) or Redis refused it, and true when it was sent but no reply came
 * (connection lost, timeout): Redis may have executed it.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  readonly maybeApplied: boolean;
  /** The reason Redis gave for refusing the write (the first word of its reply), if it refused it. */
  readonly refusal?: string;

  constructor(operation: string, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`Redis unavailable during ${operation}: ${message}`, { cause });
    this.refusal = redisRefusal(cause);
    // ioredis refuses to send at all, with offline queueing off, when the connection is down; a
    // refused write (a script refused at its first write included) changed nothing.
    this.maybeApplied = !this.refusal && !/isn't writeable|enableOfflineQueue/i.test(message);
  }
}
