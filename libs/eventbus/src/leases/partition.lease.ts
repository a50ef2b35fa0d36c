import type { RedisClient } from '../redis/redis.client.js';
import { leaseKey, leaseTokenKey } from './lease.keys.js';
import { acquireLeaseScript, releaseLeaseScript, renewLeaseScript } from './lease.scripts.js';

/**
 * One instance's lease on one partition stream for its group. Held from a successful acquire
 * until `leaseMs − margin` after the last successful renewal, counted from when that renewal was
 * SENT: Redis expires the key `leaseMs` after it received it, which is later, so the holder stops
 * before anyone else can acquire. `onExpiring` fires at that local deadline.
 */
export class PartitionLease {
  /** The fencing token of the current acquisition; 0 before one. */
  token = 0;
  private timer?: NodeJS.Timeout;
  readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    readonly stream: string,
    readonly group: string,
    private readonly consumer: string,
    private readonly leaseMs: number,
    private readonly onExpiring: () => void,
  ) {
    this.key = leaseKey(stream, group);
  }

  /** `<consumer> <token>`: the lease key's value while this instance holds it. */
  get holder(): string {
    return `${this.consumer} ${this.token}`;
  }

  /** Time kept between the local deadline and Redis' expiry: clock drift, a late timer, a slow reply. */
  private get marginMs(): number {
    return Math.max(100, Math.floor(this.leaseMs / 5));
  }

  /** Takes the lease if it is free; true when this instance now holds it, with a new token. */
  async acquire(): Promise<boolean> {
    const sentAt = Date.now();
    const token = Number(
      await acquireLeaseScript.run(this.redis, [this.key, leaseTokenKey(this.stream, this.group)], [this.consumer, this.leaseMs]),
    );
    if (token === 0) return false;
    this.token = token;
    this.held(sentAt);
    return true;
  }

  /** Extends the lease; false when it is no longer this holder's (expired, taken over). */
  async renew(): Promise<boolean> {
    const sentAt = Date.now();
    const renewed = await renewLeaseScript.run(this.redis, [this.key], [this.holder, this.leaseMs]);
    if (renewed !== 1) {
      this.drop();
      return false;
    }
    this.held(sentAt);
    return true;
  }

  /** Frees the lease for the next holder at once (no waiting for its expiry). */
  async release(): Promise<void> {
    this.drop();
    await releaseLeaseScript.run(this.redis, [this.key], [this.holder]);
  }

  /** Forgets the lease locally (lost or released): its deadline no longer fires. */
  drop(): void {
    clearTimeout(this.timer);
  }

  private held(sentAt: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onExpiring, Math.max(0, sentAt + this.leaseMs - this.marginMs - Date.now()));
    this.timer.unref();
  }
}
