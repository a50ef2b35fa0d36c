import type { RedisClient } from '../redis/redis.client.js';
import { flatRecord } from '../redis/flat-record.js';
import { isRedisReplyError } from '../redis/redis.errors.js';
import { asCount } from './xinfo.count.js';
import { retentionStatsKey } from '../retention/retention.keys.js';

/** One group's counters as `XINFO GROUPS` reports them. */
export interface GroupCounters {
  group: string;
  lastDeliveredId: string;
  consumers: number;
  pending: number;
  /** Redis' own lag counter; null where Redis cannot tell (an entry after the group's position was deleted). */
  redisLag: number | null;
  /** Entries the group read, as Redis counts them; null where Redis lost track. */
  entriesRead: number | null;
}

/** One stream's counters: `XINFO STREAM`, `XINFO GROUPS` and the retention counters, read together. */
export interface StreamSnapshot {
  stream: string;
  exists: boolean;
  length: number;
  firstEntryId: string | null;
  lastEntryId: string | null;
  /** Entries ever appended (survives trims and deletions). */
  entriesAdded: number;
  maxDeletedId: string;
  /** The groups Redis has, declared or not. */
  groups: GroupCounters[];
  /** Entries retention removed, and per group those removed before it acknowledged them. */
  trimmed: number;
  lost: ReadonlyMap<string, number>;
}

const LOST_PREFIX = 'lost:';

/** Reads one stream's counters; the three commands go out together (auto-pipelined). */
export async function readSnapshot(redis: RedisClient, stream: string): Promise<StreamSnapshot> {
  const [info, groups, retention] = await Promise.all([
    redis.xinfo('STREAM', stream).then(flatRecord, absentAsNull),
    redis.xinfo('GROUPS', stream).then((reply) => (reply as unknown[]).map(readGroup), absentAsNull),
    redis.hgetall(retentionStatsKey(stream)),
  ]);
  const lost = new Map<string, number>();
  for (const [field, value] of Object.entries(retention)) {
    if (field.startsWith(LOST_PREFIX)) lost.set(field.slice(LOST_PREFIX.length), Number(value) || 0);
  }
  const trimmed = Number(retention['trimmed']) || 0;
  if (info === null || groups === null) {
    return {
      stream,
      exists: false,
      length: 0,
      firstEntryId: null,
      lastEntryId: null,
      entriesAdded: 0,
      maxDeletedId: '0-0',
      groups: [],
      trimmed,
      lost,
    };
  }
  return {
    stream,
    exists: true,
    length: asCount(info['length']) ?? 0,
    firstEntryId: entryId(info['first-entry']),
    lastEntryId: entryId(info['last-entry']),
    entriesAdded: asCount(info['entries-added']) ?? 0,
    maxDeletedId: typeof info['max-deleted-entry-id'] === 'string' ? info['max-deleted-entry-id'] : '0-0',
    groups,
    trimmed,
    lost,
  };
}

function readGroup(reply: unknown): GroupCounters {
  const group = flatRecord(reply);
  return {
    group: String(group['name']),
    lastDeliveredId: String(group['last-delivered-id']),
    consumers: asCount(group['consumers']) ?? 0,
    pending: asCount(group['pending']) ?? 0,
    redisLag: asCount(group['lag']),
    entriesRead: asCount(group['entries-read']),
  };
}

function entryId(entry: unknown): string | null {
  return Array.isArray(entry) ? String(entry[0]) : null;
}

/** A stream that does not exist is an answer (null), not a failure. */
function absentAsNull(error: unknown): null {
  if (isRedisReplyError(error) && /no such key/i.test(error.message)) return null;
  throw error;
}
