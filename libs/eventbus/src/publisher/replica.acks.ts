import type { RedisClient } from '../redis/redis.client.js';
import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';
import { ReplicasBehindError } from '../errors/replicas-behind.error.js';

interface Waiter {
  /** The connection the write went out on (see `connection`). */
  connection: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Waits until `min` replicas hold this connection's writes (`WAIT`), so that a write reported done
 * survives a failover: Redis replicates asynchronously, and a master that dies before shipping a
 * write takes it with it. Writes that finish in the same tick share one `WAIT`: it covers every
 * write this connection made before it, so one round trip answers them all.
 */
export class ReplicaAcks {
  private waiters: Waiter[] = [];
  /**
   * Counts the connection's (re)connections. `WAIT` only vouches for writes made on its own
   * connection: after a reconnect (to a new master, say) it would answer at once for a write that
   * went to the old one, so a write made before a reconnect is never confirmed.
   */
  private connections = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly min: number,
    private readonly timeoutMs: number,
  ) {
    if (min > 0) redis.on('ready', () => this.connections++);
  }

  /** Take it before the write; hand it to `afterWrite`. */
  get connection(): number {
    return this.connections;
  }

  /** Resolves once `min` replicas have every write this connection made so far; rejects with `RedisUnavailableError`. */
  afterWrite(connection: number): Promise<void> | undefined {
    if (this.min === 0) return undefined;
    return new Promise((resolve, reject) => {
      if (this.waiters.push({ connection, resolve, reject }) === 1) process.nextTick(() => this.send());
    });
  }

  private send(): void {
    const current = this.connections;
    const waiters = this.waiters.filter((waiter) => waiter.connection === current);
    this.fail(
      this.waiters.filter((waiter) => waiter.connection !== current),
      new ReplicasBehindError(this.min, undefined, this.timeoutMs, new Error('the connection changed since the write')),
    );
    this.waiters = [];
    if (waiters.length === 0) return;
    this.redis.wait(this.min, this.timeoutMs).then(
      (acknowledged) => {
        if (acknowledged >= this.min) for (const waiter of waiters) waiter.resolve();
        else this.fail(waiters, new ReplicasBehindError(this.min, acknowledged, this.timeoutMs));
      },
      // WAIT went out after the writes' replies: they are on the master, whatever became of WAIT.
      (failure: unknown) => this.fail(waiters, new ReplicasBehindError(this.min, undefined, this.timeoutMs, failure)),
    );
  }

  private fail(waiters: readonly Waiter[], cause: ReplicasBehindError): void {
    if (waiters.length === 0) return;
    const error = new RedisUnavailableError('waiting for replicas', cause);
    for (const waiter of waiters) waiter.reject(error);
  }
}
