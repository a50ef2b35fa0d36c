import type { Redis } from 'ioredis';
import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';
import { ReplicasBehindError } from '../errors/replicas-behind.error.js';

/**
 * Waits until `min` replicas hold this connection's writes (`WAIT`), so that a write reported done
 * survives a failover: Redis replicates asynchronously, and a master that dies before shipping a
 * write takes it with it. Writes that finish in the same tick share one `WAIT`: it covers every
 * write this connection made before it, so one round trip answers them all.
 */
export class ReplicaAcks {
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly min: number,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves once `min` replicas have every write this connection made so far; rejects with `RedisUnavailableError`. */
  afterWrite(): Promise<void> | undefined {
    if (this.min === 0) return undefined;
    return new Promise((resolve, reject) => {
      if (this.waiters.push({ resolve, reject }) === 1) process.nextTick(() => this.send());
    });
  }

  private send(): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.redis.wait(this.min, this.timeoutMs).then(
      (acknowledged) => {
        if (acknowledged >= this.min) for (const waiter of waiters) waiter.resolve();
        else this.fail(waiters, new ReplicasBehindError(this.min, acknowledged, this.timeoutMs));
      },
      // WAIT went out after the writes' replies: they are on the master, whatever became of WAIT.
      (failure: unknown) => this.fail(waiters, new ReplicasBehindError(this.min, undefined, this.timeoutMs, failure)),
    );
  }

  private fail(waiters: { reject: (error: unknown) => void }[], cause: ReplicasBehindError): void {
    const error = new RedisUnavailableError('waiting for replicas', cause);
    for (const waiter of waiters) waiter.reject(error);
  }
}
