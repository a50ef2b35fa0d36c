import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { flatRecord } from '../redis/flat-record.js';
import { isRedisReplyError } from '../redis/redis.errors.js';
import { deadLetterStream } from '../redis/stream.keys.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import { LagCounter } from './lag.counter.js';
import { LagHistory } from './lag.history.js';
import { drainSeconds, groupStatus, isLive, type LivenessRules } from './lag.status.js';
import { compareIds, idTime } from './stream-id.js';
import type { ConsumerLag, GroupLag, LagReport, OldestPending, StreamLag } from './stream-lag.interface.js';
import { topicLag } from './topic-lag.js';
import { readSnapshot, type GroupCounters, type StreamSnapshot } from './stream.snapshot.js';
import { asCount } from './xinfo.count.js';

/**
 * The lag view of every stream and group known (declared, read by this app's handlers, or found in
 * Redis), whichever app runs them: counts from `XINFO`, rates and status from the samples the
 * `LagSampler` (and each report) records over the lag window.
 */
@Injectable()
export class StreamLagService {
  private readonly history: LagHistory;
  private readonly counter: LagCounter;
  private readonly liveness: LivenessRules;

  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    private readonly topology: StreamTopologyRegistry,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
  ) {
    this.history = new LagHistory(config.lagWindowMs);
    this.counter = new LagCounter(redis);
    // Twice the block time a reader waits at most between reads, and a second for its handling.
    this.liveness = { readGraceMs: 2 * config.blockMs + 1_000, claimIdleMs: config.claimIdleMs };
  }

  async report(): Promise<LagReport> {
    const snapshots = await this.sample();
    const now = Date.now();
    const streams = await Promise.all(snapshots.map((snapshot) => this.stream(snapshot, now)));
    return {
      streams,
      topics: this.topology.partitionedTopics().map(([topic, partitions]) => topicLag(topic, partitions, streams)),
    };
  }

  /** Reads every stream's counters (one round of commands) and records them as a sample. */
  async sample(): Promise<StreamSnapshot[]> {
    const snapshots = await Promise.all(this.topology.entries().map(([stream]) => readSnapshot(this.redis, stream)));
    const at = Date.now();
    for (const snapshot of snapshots) this.history.record(snapshot, at);
    return snapshots;
  }

  /** True when a declared stream or group is missing from `snapshots`. */
  missesTopology(snapshots: readonly StreamSnapshot[]): boolean {
    const present = new Map(snapshots.map((snapshot) => [snapshot.stream, new Set(snapshot.groups.map((g) => g.group))]));
    return this.topology.entries().some(([stream, groups]) => groups.some((group) => !present.get(stream)?.has(group)));
  }

  private async stream(snapshot: StreamSnapshot, now: number): Promise<StreamLag> {
    const declared = this.topology.entries().find(([stream]) => stream === snapshot.stream)?.[1] ?? [];
    const known = new Map(snapshot.groups.map((group) => [group.group, group]));
    const names = [...new Set([...declared, ...known.keys()])];
    const groups = await Promise.all(
      names.map((name) => {
        const counters = known.get(name);
        return counters ? this.group(snapshot, counters, now) : this.absentGroup(snapshot, name, now);
      }),
    );
    return {
      stream: snapshot.stream,
      exists: snapshot.exists,
      length: snapshot.length,
      firstEntryId: snapshot.firstEntryId,
      lastEntryId: snapshot.lastEntryId,
      rateIn: this.history.stream(snapshot.stream).rateIn,
      trimmed: snapshot.trimmed,
      groups,
    };
  }

  private async group(snapshot: StreamSnapshot, counters: GroupCounters, now: number): Promise<GroupLag> {
    const { stream } = snapshot;
    const { group, lastDeliveredId, pending } = counters;
    const waitsAfter = snapshot.lastEntryId !== null && compareIds(lastDeliveredId, snapshot.lastEntryId) < 0;
    let reads;
    try {
      reads = await Promise.all([
        this.redis.xinfo('CONSUMERS', stream, group).then((reply) => (reply as unknown[]).map(readConsumer)),
        pending > 0 ? this.redis.xpending(stream, group, '-', '+', 1).then(readOldestPending) : null,
        waitsAfter ? this.redis.xrange(stream, `(${lastDeliveredId}`, '+', 'COUNT', 1).then(firstId) : null,
        this.redis.xlen(deadLetterStream(stream, group)),
        this.counter.lag(snapshot, counters),
      ]);
    } catch (error) {
      // Deleted between the two reads (a FLUSHALL, an operator): report it as missing.
      if (isRedisReplyError(error) && /NOGROUP|no such key/i.test(error.message)) return this.absentGroup(snapshot, group, now);
      throw error;
    }
    const [consumerDetails, oldestPending, firstUndelivered, deadLetters, lag] = reads;
    const undeliveredAgeMs = firstUndelivered && lag > 0 ? age(firstUndelivered, now) : 0;
    const oldest = oldestPending?.id ?? (lag > 0 ? firstUndelivered : null);
    const waiting = lag + pending;
    const trend = this.history.group(stream, group);
    const rateIn = this.history.stream(stream).rateIn;
    const liveConsumers = consumerDetails.filter((consumer) => isLive(consumer, undeliveredAgeMs, this.liveness)).length;
    return {
      group,
      consumers: counters.consumers,
      pending,
      lag,
      deadLetters,
      lastDeliveredId,
      status: groupStatus({ waiting, liveConsumers, trend, windowMs: this.config.lagWindowMs }),
      timeLagMs: oldest ? age(oldest, now) : 0,
      rateOut: trend.rateOut,
      drainSeconds: drainSeconds(waiting, rateIn, trend.rateOut),
      consumerDetails,
      oldestPending,
      lost: snapshot.lost.get(group) ?? 0,
    };
  }

  /**
   * A declared group Redis does not have (its app never ran, or a FLUSHALL): the sampler creates
   * it at `0`, so every entry of the stream is waiting for it.
   */
  private async absentGroup(snapshot: StreamSnapshot, group: string, now: number): Promise<GroupLag> {
    const deadLetters = await this.redis.xlen(deadLetterStream(snapshot.stream, group));
    const waiting = snapshot.length;
    return {
      group,
      consumers: 0,
      pending: 0,
      lag: waiting,
      deadLetters,
      lastDeliveredId: '0-0',
      status: waiting > 0 ? 'STOP' : 'OK',
      timeLagMs: snapshot.firstEntryId && waiting > 0 ? age(snapshot.firstEntryId, now) : 0,
      rateOut: 0,
      drainSeconds: waiting > 0 ? null : 0,
      consumerDetails: [],
      oldestPending: null,
      lost: snapshot.lost.get(group) ?? 0,
    };
  }
}

function age(id: string, now: number): number {
  return Math.max(0, now - idTime(id));
}

function readConsumer(reply: unknown): ConsumerLag {
  const consumer = flatRecord(reply);
  return { name: String(consumer['name']), pending: asCount(consumer['pending']) ?? 0, idleMs: asCount(consumer['idle']) ?? 0 };
}

/** The extended `XPENDING ... - + 1` reply: `[[id, consumer, idle, deliveries]]`. */
function readOldestPending(reply: unknown): OldestPending | null {
  const [entry] = reply as [string, string, number, number][];
  if (!entry) return null;
  return { id: entry[0], consumer: entry[1], idleMs: Number(entry[2]), deliveries: Number(entry[3]) };
}

function firstId(reply: unknown): string | null {
  const [entry] = reply as [string, string[]][];
  return entry ? entry[0] : null;
}
