/**
 * A group's health, judged over the lag window:
 * - `OK`: nothing waits, or the group keeps up;
 * - `WARN`: its backlog grew over the whole window while it made progress (it falls behind);
 * - `STALL`: entries wait and it has live consumers, but nothing was acknowledged in the window;
 * - `STOP`: entries wait and no live consumer reads them.
 */
export const GROUP_STATUSES = ['OK', 'WARN', 'STALL', 'STOP'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

export interface ConsumerLag {
  name: string;
  /** Entries delivered to this consumer, not yet acknowledged. */
  pending: number;
  /** Since this consumer last read an entry or claimed one (Redis 7.0's `idle`). */
  idleMs: number;
}

export interface OldestPending {
  id: string;
  consumer: string;
  idleMs: number;
  /** Times Redis delivered it so far. */
  deliveries: number;
}

export interface GroupLag {
  group: string;
  /** Consumers registered in the group (live or not yet removed). */
  consumers: number;
  /** Delivered to the group but not acknowledged. */
  pending: number;
  /** Entries of the stream not yet delivered to the group. */
  lag: number;
  /** Entries the group gave up on, waiting in its dead-letter stream. */
  deadLetters: number;
  lastDeliveredId: string;
  status: GroupStatus;
  /** Age of the oldest entry the group has not acknowledged (0 when none waits). */
  timeLagMs: number;
  /** Entries acknowledged per second over the lag window. */
  rateOut: number;
  /** Seconds until `lag` and `pending` reach 0 at the current rates: 0 when nothing waits, null when not shrinking. */
  drainSeconds: number | null;
  consumerDetails: ConsumerLag[];
  oldestPending: OldestPending | null;
  /** Entries retention removed before this group acknowledged them. */
  lost: number;
}

export interface StreamLag {
  stream: string;
  /** False when the stream key does not exist (yet, or any more). */
  exists: boolean;
  length: number;
  firstEntryId: string | null;
  lastEntryId: string | null;
  /** Entries appended per second over the lag window. */
  rateIn: number;
  /** Entries retention removed from the stream. */
  trimmed: number;
  groups: GroupLag[];
}

/** A group's counts summed over the partition streams of its topic. */
export interface TopicGroupLag {
  group: string;
  lag: number;
  pending: number;
  deadLetters: number;
  lost: number;
  rateOut: number;
  /** The oldest unacknowledged entry's age over every partition. */
  timeLagMs: number;
  /** The worst status among the partitions (STOP, then STALL, then WARN). */
  status: GroupStatus;
}

/** A partitioned topic's sums, next to its partition streams listed under `streams`. */
export interface TopicLag {
  topic: string;
  /** The partition streams, in partition order. */
  partitions: string[];
  length: number;
  rateIn: number;
  groups: TopicGroupLag[];
}

export interface LagReport {
  streams: StreamLag[];
  /** One entry per partitioned topic (a topic of one partition is its stream, listed under `streams`). */
  topics: TopicLag[];
}
