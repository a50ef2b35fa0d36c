import type { Redis, RedisOptions } from 'ioredis';
import type { StreamTopology } from './stream-topology.interface.js';
import type { SentinelOptions } from '../redis/sentinel.options.js';

export interface EventBusModuleOptions {
  /**
   * Redis to use: `redis://` or `rediss://` (TLS), user and password allowed.
   * @example 'redis://app:secret@127.0.0.1:6379/0'
   */
  url?: string;
  /** ioredis options, applied over what `url` gives (e.g. `tls`, `keyPrefix`). */
  redis?: RedisOptions;
  /**
   * A connection you made yourself, used instead of `url` and `redis` for commands; each consumer
   * reads on a duplicate of it. You close it; the module does not. Give it a `commandTimeout` and
   * `enableOfflineQueue: false` to keep publishing fail-fast.
   */
  connection?: Redis;
  /**
   * Reach Redis through Sentinel and follow its master on failover; `url` then gives only the data
   * nodes' user, password and TLS (`rediss://`), not their address.
   */
  sentinel?: SentinelOptions;
  /**
   * Replicas that must have a write (`WAIT`) before `publish` and `runAtomic` resolve, so that what
   * a caller was told is done survives a failover. Not reached within `replicaAckTimeoutMs`: they
   * reject with `RedisUnavailableError` (`maybeApplied`: the write may survive).
   * @default 1 with `sentinel`, else 0
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
