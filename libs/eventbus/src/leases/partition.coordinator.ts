import type { Logger } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import type { ConsumerLease } from '../consumer/consumer.factory.js';
import type { ConsumerLoop } from '../consumer/consumer.loop.js';
import { isRedisUnavailable } from '../redis/redis.errors.js';
import { membersKey } from './lease.keys.js';
import { heartbeatScript } from './lease.scripts.js';
import { assignedTo } from './partition.assignment.js';
import { PartitionLease } from './partition.lease.js';

export interface CoordinatorOptions {
  group: string;
  consumer: string;
  leaseMs: number;
  shutdownTimeoutMs: number;
  /** Every partition stream the group reads, in the same order in every instance. */
  streams: readonly string[];
  /** Starts consuming `stream` under `lease` (already acquired). */
  consume(stream: string, lease: ConsumerLease): ConsumerLoop;
  logger: Pick<Logger, 'log' | 'warn' | 'error'>;
}

interface Held {
  lease: PartitionLease;
  loop: ConsumerLoop;
  /** Set while it is being handed over (stopping, then released). */
  leaving?: Promise<void>;
}

/**
 * Runs this instance's share of a group's partition streams, one consumer of the group per
 * partition at a time: on one timer (every third of the lease), it heartbeats into the group's
 * membership, computes the assignment from the live members, renews the leases it holds, hands
 * over the partitions no longer its own (stop, then release) and acquires its own when free.
 */
export class PartitionCoordinator {
  private readonly held = new Map<string, Held>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  private heartbeatOk = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: CoordinatorOptions,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** True while the membership heartbeat succeeds and every partition held is consumed. */
  get isHealthy(): boolean {
    return this.heartbeatOk && [...this.held.values()].every(({ loop }) => loop.isHealthy);
  }

  /** The partition streams this instance holds now. */
  streams(): string[] {
    return [...this.held.keys()];
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => this.schedule(Math.floor(this.options.leaseMs / 3)));
    }, delay);
  }

  private async tick(): Promise<void> {
    const { group, consumer, leaseMs, streams, logger } = this.options;
    let members: string[];
    try {
      members = (await heartbeatScript.run(this.redis, [membersKey(group)], [consumer, leaseMs, '1'])) as string[];
      this.heartbeatOk = true;
    } catch (error) {
      this.heartbeatOk = false;
      if (!isRedisUnavailable(error)) logger.error(`Membership heartbeat failed: ${(error as Error).message}`);
      // Renewals are tried anyway: a lease outlives a short outage, and its deadline stops the partition if not.
      members = [];
    }
    const mine = new Set(this.heartbeatOk ? assignedTo(consumer, members, streams) : this.held.keys());
    await Promise.all([...this.held].map(([stream, held]) => this.keep(stream, held, mine.has(stream))));
    if (this.stopped) return;
    for (const stream of mine) if (!this.held.has(stream)) await this.acquire(stream);
  }

  private async keep(stream: string, held: Held, mine: boolean): Promise<void> {
    try {
      if (!(await held.lease.renew())) return this.lost(stream, 'taken over');
    } catch (error) {
      this.options.logger.warn(`Renewing the lease of ${stream} failed (${(error as Error).message})`);
      return;
    }
    if (!mine && !held.leaving) held.leaving = this.handOver(stream, held);
  }

  private async acquire(stream: string): Promise<void> {
    const { group, consumer, leaseMs, logger } = this.options;
    const lease = new PartitionLease(this.redis, stream, group, consumer, leaseMs, () =>
      this.lost(stream, 'not renewed in time'),
    );
    try {
      if (!(await lease.acquire())) return;
    } catch (error) {
      if (!isRedisUnavailable(error)) logger.error(`Acquiring the lease of ${stream} failed: ${(error as Error).message}`);
      return;
    }
    if (this.stopped) return void lease.release().catch(() => undefined);
    const loop = this.options.consume(stream, {
      key: lease.key,
      holder: lease.holder,
      token: lease.token,
      onLost: () => this.lost(stream, 'refused by Redis'),
    });
    this.held.set(stream, { lease, loop });
    logger.log(`Holding ${stream} for ${group} (lease token ${lease.token})`);
  }

  /** The lease is gone: stop the partition at once, abort what runs, acknowledge nothing more. */
  private lost(stream: string, why: string): void {
    const held = this.held.get(stream);
    if (!held) return;
    this.held.delete(stream);
    held.lease.drop();
    this.options.logger.warn(`Lease of ${stream} lost (${why}, token ${held.lease.token}): stopped consuming it`);
    void held.loop.stop(0);
  }

  /**
   * Another instance is assigned this partition: stop it (what runs finishes and is acknowledged,
   * within the lease, which keeps being renewed meanwhile), then release it for the new holder.
   */
  private async handOver(stream: string, held: Held, graceMs = this.options.shutdownTimeoutMs): Promise<void> {
    await held.loop.stop(Math.min(graceMs, Math.floor(this.options.leaseMs / 2)));
    if (this.held.get(stream) !== held) return; // lost meanwhile
    this.held.delete(stream);
    await held.lease.release().catch(() => undefined);
    this.options.logger.log(`Handed ${stream} over (lease token ${held.lease.token})`);
  }

  /** Stops every partition held, releases the leases and leaves the membership. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    // Renewed once more, so the hand-overs below run within the lease.
    await Promise.all([...this.held.values()].map(({ lease }) => lease.renew().catch(() => false)));
    await Promise.all([...this.held].map(([stream, held]) => (held.leaving ??= this.handOver(stream, held))));
    await heartbeatScript
      .run(this.redis, [membersKey(this.options.group)], [this.options.consumer, this.options.leaseMs, '0'])
      .catch(() => undefined);
  }
}
