import type { RedisOptions } from 'ioredis';
import { EventBusConfigError } from '../errors/eventbus-config.error.js';

/** Redis behind Sentinel: the apps ask the sentinels where the master is, and follow it on failover. */
export interface SentinelOptions {
  /**
   * The sentinels to ask (any one that answers will do).
   * @example [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26379 }]
   */
  sentinels: { host: string; port: number }[];
  /** The master's name in the sentinels' configuration (`sentinel monitor <name> ...`). */
  name: string;
  /** Password of the sentinels themselves (their `requirepass`); the data nodes' comes from `url`. */
  password?: string;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** `host:port,host:port` (as `REDIS_SENTINELS` gives it) → the sentinels; throws naming `option`. */
export function parseSentinels(option: string, value: string): SentinelOptions['sentinels'] {
  return value.split(',').map((entry) => {
    const match = HOST_PORT.exec(entry.trim());
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) {
      throw new EventBusConfigError(option, `expected comma-separated host:port pairs, got "${entry}"`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

/**
 * A demoted master answers writes with `READONLY` while it keeps the connection: reconnecting asks
 * the sentinels again and lands on the new master. The failed command is NOT re-sent (1, not 2):
 * it fails as a refused write, which callers already treat as "Redis unavailable, nothing written"
 * (a 503, or a retry that spends no delivery), instead of running late behind the caller's back.
 */
export function reconnectOnReadonly(error: Error): 1 | false {
  return error.message.startsWith('READONLY') ? 1 : false;
}

/**
 * ioredis options that reach the master through the sentinels. The data nodes' user, password
 * and TLS stay those of the URL (its host and port are not used); `rediss://` also makes the
 * sentinels and the master be reached over TLS.
 */
export function sentinelRedisOptions(sentinel: SentinelOptions, url: string | undefined): RedisOptions {
  const tls = url?.startsWith('rediss://') === true;
  return {
    sentinels: sentinel.sentinels,
    name: sentinel.name,
    role: 'master',
    sentinelPassword: sentinel.password,
    // Subscribes to the sentinels' +switch-master: a connection to a master that was failed over
    // but still answers (partitioned, not dead) is dropped at once rather than at its first READONLY.
    failoverDetector: true,
    reconnectOnError: reconnectOnReadonly,
    ...(tls && { enableTLSForSentinelMode: true, sentinelTLS: {} }),
  };
}
