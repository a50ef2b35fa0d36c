import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EVENTBUS_REDIS } from '../eventbus.constants.js';
import { isRedisReplyError } from '../redis/redis.errors.js';
import { deadLetterStream } from '../redis/stream.keys.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import type { GroupLag, LagReport, StreamLag } from './stream-lag.interface.js';
import { flatRecord } from '../redis/flat-record.js';
import { asCount } from './xinfo.count.js';

const COUNT_PAGE = 10_000;

/** Reads the lag view from `XINFO STREAM` / `XINFO GROUPS`, for every stream and group known. */
@Injectable()
export class StreamLagService {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: Redis,
    private readonly topology: StreamTopologyRegistry,
  ) {}

  async report(): Promise<LagReport> {
    const streams = await Promise.all(this.topology.entries().map(([stream, groups]) => this.stream(stream, groups)));
    return { streams };
  }

  private async stream(stream: string, declared: string[]): Promise<StreamLag> {
    let info: Record<string, unknown>;
    let groupInfos: Record<string, unknown>[];
    try {
      [info, groupInfos] = await Promise.all([
        this.redis.xinfo('STREAM', stream).then((reply) => flatRecord(reply)),
        this.redis.xinfo('GROUPS', stream).then((reply) => (reply as unknown[]).map((group) => flatRecord(group))),
      ]);
    } catch (error) {
      if (!isRedisReplyError(error) || !/no such key/i.test(error.message)) throw error;
      const groups = await Promise.all(declared.map((group) => this.absentGroup(stream, group)));
      return { stream, exists: false, length: 0, lastEntryId: null, groups };
    }
    const length = asCount(info['length']) ?? 0;
    const firstEntry = info['first-entry'];
    const firstId = Array.isArray(firstEntry) ? String(firstEntry[0]) : null;
    const known = new Map(groupInfos.map((group) => [String(group['name']), group]));
    const names = [...new Set([...declared, ...known.keys()])];
    const groups = await Promise.all(
      names.map(async (group): Promise<GroupLag> => {
        const entry = known.get(group);
        if (!entry) return this.absentGroup(stream, group);
        const lastDeliveredId = String(entry['last-delivered-id']);
        const [lag, deadLetters] = await Promise.all([
          asCount(entry['lag']) ?? this.countAfter(stream, lastDeliveredId, firstId, length),
          this.redis.xlen(deadLetterStream(stream, group)),
        ]);
        return {
          group,
          consumers: asCount(entry['consumers']) ?? 0,
          pending: asCount(entry['pending']) ?? 0,
          lag,
          deadLetters,
          lastDeliveredId,
        };
      }),
    );
    return { stream, exists: true, length, lastEntryId: String(info['last-generated-id']), groups };
  }

  /**
   * Redis reports no lag when deletions or trimming make its counter unreliable; then count the
   * entries after the group's last delivered id, page by page.
   */
  private async countAfter(stream: string, lastDeliveredId: string, firstId: string | null, length: number): Promise<number> {
    if (firstId === null) return 0;
    if (compareIds(lastDeliveredId, firstId) < 0) return length;
    let count = 0;
    let cursor = lastDeliveredId;
    for (;;) {
      const page = (await this.redis.xrange(stream, `(${cursor}`, '+', 'COUNT', COUNT_PAGE)) as [string, string[]][];
      count += page.length;
      if (page.length < COUNT_PAGE) return count;
      cursor = page[page.length - 1][0];
    }
  }

  private async absentGroup(stream: string, group: string): Promise<GroupLag> {
    const deadLetters = await this.redis.xlen(deadLetterStream(stream, group));
    return { group, consumers: 0, pending: 0, lag: 0, deadLetters, lastDeliveredId: '0-0' };
  }
}

/** Orders stream ids (`ms-seq`) numerically. */
export function compareIds(a: string, b: string): number {
  const [aMs, aSeq = '0'] = a.split('-');
  const [bMs, bSeq = '0'] = b.split('-');
  const ms = BigInt(aMs) - BigInt(bMs);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(aSeq) - BigInt(bSeq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}
