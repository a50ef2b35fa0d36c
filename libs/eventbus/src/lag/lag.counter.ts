import type { RedisClient } from '../redis/redis.client.js';
import { compareIds } from './stream-id.js';
import type { GroupCounters, StreamSnapshot } from './stream.snapshot.js';

/** Entries per `XRANGE` page of a count, and the most a count pages through before it gives up. */
const COUNT_PAGE = 1_000;
const COUNT_CAP = 10_000;

/** Redis' counter minus the true lag, learnt by a count; holds while Redis' counter runs on in step. */
interface Offset {
  lastDeliveredId: string;
  offset: number;
  lost: number;
  /** The stream's `entries-added` when learnt: lower now means the stream was recreated. */
  entriesAdded: number;
}

/** A count where Redis reports no lag, and the stream state it holds for. */
interface Counted {
  lastDeliveredId: string;
  firstEntryId: string | null;
  maxDeletedId: string;
  length: number;
  entriesAdded: number;
  lag: number;
}

/**
 * A group's lag (entries after its last delivered id) that stays true after trims and deletions,
 * without paging the backlog on every call. Redis 7.0's `XINFO GROUPS` lag is `entries-added -
 * entries-read`, and a trim past the group leaves `entries-read` behind for good (lag 10, `XTRIM
 * MAXLEN 3`, the group drains the 3 and still shows 7); after an `XDEL` ahead of the group Redis
 * reports no lag at all. The rule, first match wins (L = the stream's length):
 * 1. an empty stream, or the group at or past the last entry: 0;
 * 2. the group before the first entry (a trim passed it): L; Redis' counter is suspect from now on;
 * 3. Redis' counter minus an offset learnt by a count, while it holds (the group only moved on,
 *    Redis still counts its reads, the stream was not recreated, retention reports no new loss);
 * 4. Redis' counter, when nothing suggests it is off: no trim seen passing the group, no loss
 *    reported by retention, and the group's `entries-read` places it after everything removed;
 * 5. otherwise a count of the entries after the group's position, bounded to 10,000 entries
 *    (pages of 1,000), which teaches the offset of rule 3; where Redis reports no lag, the count
 *    is kept and only grown by appends while the stream changes no other way.
 * Past the bound, Redis' counter (or entries-added - entries-read) stands in, clamped; rules 1-2
 * already bound every answer to 1..L-1 there. Each case is tested on a real redis-server
 * (`test/lag/lag-exact.e2e-spec.ts`).
 */
export class LagCounter {
  private readonly offsets = new Map<string, Offset>();
  private readonly suspects = new Set<string>();
  private readonly counts = new Map<string, Counted>();
  /** Redis' counter when a count last ran past the bound: while it is no lower, neither is the lag. */
  private readonly overCap = new Map<string, number>();

  constructor(private readonly redis: RedisClient) {}

  async lag(stream: StreamSnapshot, group: GroupCounters): Promise<number> {
    const key = `${stream.stream}\u0000${group.group}`;
    const { length, firstEntryId, lastEntryId, entriesAdded } = stream;
    const position = group.lastDeliveredId;
    if (length === 0 || lastEntryId === null || compareIds(position, lastEntryId) >= 0) return 0;
    if (firstEntryId !== null && compareIds(position, firstEntryId) < 0) {
      this.offsets.delete(key);
      this.overCap.delete(key);
      this.suspects.add(key);
      return length;
    }
    // Here first ≤ position < last: the last entry waits, the first does not.
    const clamp = (lag: number) => Math.min(Math.max(lag, 1), length - 1);
    const lost = stream.lost.get(group.group) ?? 0;
    if (group.redisLag !== null) {
      const known = this.offsets.get(key);
      if (
        known &&
        known.lost === lost &&
        known.entriesAdded <= entriesAdded &&
        group.entriesRead !== null &&
        compareIds(position, known.lastDeliveredId) >= 0
      ) {
        known.lastDeliveredId = position;
        known.entriesAdded = entriesAdded;
        return clamp(group.redisLag - known.offset);
      }
      this.offsets.delete(key);
      const consistent = group.entriesRead !== null && group.entriesRead > entriesAdded - length;
      if (consistent && lost === 0 && !this.suspects.has(key)) return clamp(group.redisLag);
      // A stale counter is off by a constant: if it did not drop since a count ran past the bound,
      // the lag is still past it, and counting again would only repeat the same pages.
      const over = this.overCap.get(key);
      if (over !== undefined && group.redisLag >= over) return clamp(group.redisLag);
      const counted = await this.countAfter(stream.stream, position);
      if (counted === null) {
        this.overCap.set(key, group.redisLag);
        return clamp(group.redisLag);
      }
      this.overCap.delete(key);
      this.offsets.set(key, { lastDeliveredId: position, offset: group.redisLag - counted, lost, entriesAdded });
      this.suspects.delete(key);
      return counted;
    }
    const kept = this.counts.get(key);
    if (
      kept &&
      kept.lastDeliveredId === position &&
      kept.firstEntryId === firstEntryId &&
      kept.maxDeletedId === stream.maxDeletedId &&
      length - kept.length === entriesAdded - kept.entriesAdded
    ) {
      const lag = kept.lag + (entriesAdded - kept.entriesAdded);
      this.counts.set(key, { ...kept, length, entriesAdded, lag });
      return clamp(lag);
    }
    const counted = await this.countAfter(stream.stream, position);
    if (counted === null) {
      this.counts.delete(key);
      return clamp(group.entriesRead !== null ? entriesAdded - group.entriesRead : length);
    }
    this.counts.set(key, {
      lastDeliveredId: position,
      firstEntryId,
      maxDeletedId: stream.maxDeletedId,
      length,
      entriesAdded,
      lag: counted,
    });
    return counted;
  }

  /** Entries after `position`, or null past `COUNT_CAP`. */
  private async countAfter(stream: string, position: string): Promise<number | null> {
    let count = 0;
    for (let cursor = position; count <= COUNT_CAP;) {
      const page = (await this.redis.xrange(stream, `(${cursor}`, '+', 'COUNT', COUNT_PAGE)) as [string, string[]][];
      count += page.length;
      if (page.length < COUNT_PAGE) return count;
      cursor = page[page.length - 1][0];
    }
    return null;
  }
}
