import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisClient } from '../redis/redis.client.js';
import type { StreamTopology } from './stream-topology.interface.js';
import type { SentinelOptions } from '../redis/sentinel.options.js';

export interface EventBusModuleOptions {
  /**
   * Redis to use: `redis://` or `rediss://` (TLS), user and password allowed.
   * @example 'redis://app:secret@127.0.0.1:6379/0'
   */
  url?: string;
  /**
   * A Redis Cluster to run on instead of `url`: every connection is an ioredis `Cluster`.
   * @example { nodes: ['redis://app:secret@10.0.0.1:6379', 'redis://app:secret@10.0.0.2:6379'] }
   */
  cluster?: EventBusClusterOptions;
  /** ioredis options, applied over what `url` gives (e.g. `tls`); on a cluster, to each node's connection. */
  redis?: RedisOptions;
  /**
   * A connection you made yourself, used instead of `url` and `redis` for commands; each consumer
   * reads on a duplicate of it. You close it; the module does not. Give it a `commandTimeout` and
   * `enableOfflineQueue: false` to keep publishing fail-fast.
   */
  connection?: RedisClient;
  /**
   * Reach Redis through Sentinel and follow its master on failover; `url` then gives only the data
   * nodes' user, password and TLS (`rediss://`), not their address.
   */
  sentinel?: SentinelOptions;
  /**
   * Replicas that must have a write (`WAIT`) before `publish` and `runAtomic` resolve, so that what
   * a caller was told is done survives a failover. Not reached within `replicaAckTimeoutMs`: they
   * reject with `RedisUnavailableError` (`maybeApplied`: the write may survive).
   * Required with `sentinel` (set it to the number of replicas: fewer lets a failover lose a write
   * reported done, measured); 0 without.
   */
  minReplicaAcks?: number;
  /** How long a write waits for `minReplicaAcks`; below `commandTimeoutMs`. @default 1000 */
  replicaAckTimeoutMs?: number;
  /**
   * The service this app is; it names the consumer group the app reads through and is stamped
   * as `producer` on what it publishes.
   * @example 'invoice'
   */
  service: string;
  /**
   * This instance's consumer name inside its group.
   * @default `${hostname}-${pid}-${random}` (unique per instance)
   */
  consumer?: string;
  /**
   * Every stream of the system and the groups that read it. Every app creates all of them at
   * start-up, so an event published before a service ever ran still waits for it.
   */
  topology?: StreamTopology[];
  /**
   * Bearer token of the admin endpoints (dead letters). Unset: they refuse every call.
   */
  adminToken?: string;
  /**
   * Each partition stream is read by one instance of a group at a time, under a lease with a
   * fencing token (the Kafka model: parallelism = partitions; the other instances stand by). This
   * is what keeps one key's events in order across instances. `false`: every instance reads every
   * partition and the group shares the entries, without per-key order across instances.
   * @default true
   */
  leases?: boolean;
  /** A partition's lease lasts this long without renewal; its holder stops consuming before. @default 5000 */
  leaseMs?: number;
  /** Bound on entries in flight per consumer (running, waiting in a lane or for a retry). @default 100 */
  batchSize?: number;
  /** How long one read waits for new entries; bounds how fast a stop is noticed. @default 2000 */
  blockMs?: number;
  /** Idle time after which another live consumer claims an unacknowledged entry. @default 30000 */
  claimIdleMs?: number;
  /** Deliveries before a failing entry is dead-lettered. @default 5 */
  maxDeliveries?: number;
  /** Idle time after which a consumer holding nothing is removed from its group. @default 300000 */
  deadConsumerIdleMs?: number;
  /** A handler running longer counts as failed. @default 30000 */
  handlerTimeoutMs?: number;
  /** How long a stop waits for in-flight handlers. @default 10000 */
  shutdownTimeoutMs?: number;
  /** Bound on any non-blocking Redis command (publishing included). @default 2000 */
  commandTimeoutMs?: number;
  /** First retry delay; doubles per delivery, with jitter. @default 500 */
  retryBaseMs?: number;
  /** Ceiling of the retry delay. @default 10000 */
  retryMaxMs?: number;
  /** Sliding window over which the lag view judges rates and each group's status. @default 60000 */
  lagWindowMs?: number;
  /** What Redis keeps of each declared stream; `false` turns the trimmer off in this app. */
  retention?: RetentionOptions | false;
}

export interface EventBusClusterOptions {
  /**
   * Seed nodes, `redis://` or `rediss://` (TLS) URLs, user and password allowed; the client learns
   * the other nodes from them. Every node is reached with the user, password and TLS of these URLs.
   */
  nodes: string[];
  /** ioredis `Cluster` options (e.g. `natMap`, `dnsLookup`, `scaleReads`); node options go in `redis`. */
  options?: ClusterOptions;
}

/**
 * Retention never removes an entry a declared group has not acknowledged, except past
 * `hardMaxLength`, which protects Redis from a group that is gone for good.
 */
export interface RetentionOptions {
  /** Each stream is trimmed to about this many entries. @default 1000000 */
  maxLength?: number;
  /** Entries older than this are trimmed; also how long dedupe records live. @default 604800000 (7 days) */
  maxAgeMs?: number;
  /** How often the trimmer runs (one instance at a time across the system). @default 10000 */
  intervalMs?: number;
  /** Trimmed to this length even past unacknowledged entries. @default 10000000 */
  hardMaxLength?: number;
  /** Each dead-letter stream keeps at most this many entries. @default 100000 */
  deadLetterMaxLength?: number;
}
