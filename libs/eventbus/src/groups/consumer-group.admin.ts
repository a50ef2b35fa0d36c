import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { GroupPositionRefusedError } from '../errors/group-position-refused.error.js';
import { UnknownStreamGroupError } from '../errors/unknown-stream-group.error.js';
import { isNoGroupError } from '../redis/redis.errors.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import { parseGroupPosition } from './group-position.js';
import { moveGroupOnce } from './move-group.script.js';

export interface GroupMoved {
  stream: string;
  group: string;
  /** The group's new position: the entry before the one it reads next, `0-0` for the start. */
  lastDeliveredId: string;
}

export interface PendingEntry {
  id: string;
  consumer: string;
  /** Since the entry was last delivered (or claimed). */
  idleMs: number;
  deliveries: number;
}

/** Replay and inspection of a declared consumer group: move its position, list its pending entries. */
@Injectable()
export class ConsumerGroupAdmin {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
    private readonly topology: StreamTopologyRegistry,
  ) {}

  /**
   * Moves the group to `to`: an entry id (delivered next), `0` (everything still in the stream),
   * `$` (skip to the end) or an ISO-8601 time (the first entry at or after it is next). With
   * retention on, a move that would deliver again an entry older than `retention.maxAgeMs` is
   * refused: its dedupe record may be gone, and the replay would not stay exactly-once.
   */
  async move(stream: string, group: string, to: unknown): Promise<GroupMoved> {
    this.assertDeclared(stream, group);
    const position = parseGroupPosition(to);
    const window = this.config.retention.enabled ? this.config.retention.maxAgeMs : 0;
    const reply = await moveGroupOnce(this.redis, stream, group, position, window);
    if (reply.outcome === 'missing') {
      throw new GroupPositionRefusedError(
        `Group "${group}" on "${stream}" does not exist in Redis yet; it is created at start-up`,
      );
    }
    if (reply.outcome === 'too-old') {
      throw new GroupPositionRefusedError(
        `Refused: the move would deliver ${reply.entryId} again, older than the replay window ` +
          `(${new Date(reply.oldestAllowedMs).toISOString()}, retention.maxAgeMs = ${window} ms): its dedupe record may have ` +
          `expired, so the replay would not stay exactly-once. Move to an entry or time after that.`,
      );
    }
    return { stream, group, lastDeliveredId: reply.lastDeliveredId };
  }

  /** The group's pending entries, oldest first, optionally of one consumer only. */
  async pending(stream: string, group: string, count: number, consumer?: string): Promise<PendingEntry[]> {
    this.assertDeclared(stream, group);
    let reply: [string, string, number, number][];
    try {
      const byConsumer = consumer === undefined ? [] : [consumer];
      reply = (await this.redis.call('XPENDING', stream, group, '-', '+', count, ...byConsumer)) as typeof reply;
    } catch (error) {
      if (isNoGroupError(error)) return []; // the group (or stream) is not there yet: nothing pending
      throw error;
    }
    return reply.map(([id, name, idleMs, deliveries]) => ({ id, consumer: name, idleMs, deliveries }));
  }

  private assertDeclared(stream: string, group: string): void {
    if (!this.topology.has(stream, group)) throw new UnknownStreamGroupError(stream, group);
  }
}
