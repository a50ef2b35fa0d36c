import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { flatRecord } from '../redis/flat-record.js';
import { EVENTBUS_REDIS } from '../eventbus.constants.js';
import { UnknownStreamGroupError } from '../errors/unknown-stream-group.error.js';
import { deadLetterStream } from '../redis/stream.keys.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import type { DeadLetter } from './dead-letter.interface.js';

const PREFIX = 'deadLetter.';
const PAGE = 100;

type RawEntry = [id: string, fields: string[]];

/** Lists, redrives and deletes the entries a group gave up on. */
@Injectable()
export class DeadLetterService {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    private readonly topology: StreamTopologyRegistry,
  ) {}

  async list(stream: string, group: string, count = PAGE, after = '-'): Promise<DeadLetter[]> {
    const key = this.key(stream, group);
    const start = after === '-' ? '-' : `(${after}`;
    const entries = (await this.redis.xrange(key, start, '+', 'COUNT', count)) as RawEntry[];
    return entries.map(([id, fields]) => toDeadLetter(id, fields));
  }

  /**
   * Puts entries back on the source stream, marked for this group only (the other groups handled
   * them already), and removes them from the dead-letter stream: one MULTI per page, both keys in
   * one slot. Returns how many were redriven.
   */
  async redrive(stream: string, group: string, id?: string): Promise<number> {
    const key = this.key(stream, group);
    let redriven = 0;
    for (;;) {
      const entries = (
        id ? await this.redis.xrange(key, id, id) : await this.redis.xrange(key, '-', '+', 'COUNT', PAGE)
      ) as RawEntry[];
      if (entries.length === 0) return redriven;
      const transaction = this.redis.multi();
      for (const [entryId, fields] of entries) {
        transaction.xadd(stream, '*', ...originalFields(fields), 'redriveFor', group);
        transaction.xdel(key, entryId);
      }
      const results = await transaction.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('redrive transaction aborted');
      redriven += entries.length;
      if (id) return redriven;
    }
  }

  /** Deletes one dead letter, or all of the group's. Returns how many were deleted. */
  async remove(stream: string, group: string, id?: string): Promise<number> {
    const key = this.key(stream, group);
    if (id) return this.redis.xdel(key, id);
    const length = await this.redis.xlen(key);
    await this.redis.del(key);
    return length;
  }

  private key(stream: string, group: string): string {
    if (!this.topology.has(stream, group)) throw new UnknownStreamGroupError(stream, group);
    return deadLetterStream(stream, group);
  }
}

/** The entry as it was before dead-lettering, without a previous redrive mark. */
function originalFields(fields: string[]): string[] {
  const original: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i].startsWith(PREFIX) || fields[i] === 'redriveFor') continue;
    original.push(fields[i], fields[i + 1]);
  }
  return original;
}

function toDeadLetter(id: string, fields: string[]): DeadLetter {
  const map = flatRecord<string>(fields);
  return {
    id,
    fields: flatRecord<string>(originalFields(fields)),
    reason: map[`${PREFIX}reason`],
    error: map[`${PREFIX}error`],
    stream: map[`${PREFIX}stream`],
    group: map[`${PREFIX}group`],
    entryId: map[`${PREFIX}entryId`],
    deliveries: Number(map[`${PREFIX}deliveries`]),
    deadLetteredAt: map[`${PREFIX}at`],
  };
}
