import type { RedisClient } from '../redis/redis.client.js';
import { whenReady } from '../redis/redis.factory.js';
import type { ReadGroupReply, StreamEntry } from './stream-entry.js';

/**
 * Reads new entries for one consumer on a connection of its own (`XREADGROUP BLOCK` holds it).
 *
 * No ioredis `blockingTimeout` here: it resolves a slow read with null and drops the reply that
 * arrives a moment later, stranding entries Redis already delivered to this consumer. Instead a
 * watchdog, well past the block time, cuts a read that never answers (a dead socket) by
 * reconnecting; the caller then recovers whatever the cut read may have delivered from its own
 * pending entries.
 */
export class StreamReader {
  private reading = false;

  constructor(
    private readonly connection: RedisClient,
    private readonly stream: string,
    private readonly group: string,
    private readonly consumer: string,
    private readonly blockMs: number,
    private readonly watchdogMs: number,
  ) {}

  async read(count: number): Promise<StreamEntry[]> {
    this.reading = true;
    // A reader's own connection may still be connecting (a new Cluster client, a reconnect after
    // the watchdog): with no offline queue a read sent now would fail at once, so give it a block.
    if (this.connection.status !== 'ready') await whenReady(this.connection, this.blockMs);
    const watchdog = setTimeout(() => this.connection.disconnect(true), this.blockMs + this.watchdogMs);
    try {
      const reply = (await this.connection.xreadgroup(
        'GROUP',
        this.group,
        this.consumer,
        'COUNT',
        count,
        'BLOCK',
        this.blockMs,
        'STREAMS',
        this.stream,
        '>',
      )) as ReadGroupReply;
      return reply?.[0]?.[1] ?? [];
    } finally {
      clearTimeout(watchdog);
      this.reading = false;
    }
  }

  /** Cuts a blocked read short (stopping); what it was handed stays pending, never lost. */
  interrupt(): void {
    if (this.reading) this.connection.disconnect();
  }

  close(): void {
    this.connection.disconnect();
  }
}
