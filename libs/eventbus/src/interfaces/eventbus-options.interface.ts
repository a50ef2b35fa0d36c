import type { RedisOptions } from 'ioredis';
import type { StreamTopology } from './stream-topology.interface.js';

export interface EventBusModuleOptions {
  /**
   * Redis to use: `redis://` or `rediss://` (TLS), user and password allowed.
   * @example 'redis://app:secret@127.0.0.1:6379/0'
   */
  url?: string;
  /** ioredis options, applied over what `url` gives (e.g. `tls`, `keyPrefix`). */
  redis?: RedisOptions;
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
  /** @default 100 */
  batchSize?: number;
  /** @default 2000 */
  blockMs?: number;
  /** @default 30000 */
  claimIdleMs?: number;
  /** @default 5 */
  maxDeliveries?: number;
  /** @default 300000 */
  deadConsumerIdleMs?: number;
  /** @default 30000 */
  handlerTimeoutMs?: number;
  /** @default 10000 */
  shutdownTimeoutMs?: number;
  /** @default 2000 */
  commandTimeoutMs?: number;
  /** @default 500 */
  retryBaseMs?: number;
  /** @default 30000 */
  retryMaxMs?: number;
}
