import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { EventBusConfig, ResolvedCluster } from '../eventbus.options.js';
import { reconnectDelay } from './reconnect.js';
import { sentinelRedisOptions } from './sentinel.options.js';
import type { RedisClient } from './redis.client.js';

/** What a connection wants of its node connections and, on a cluster, of the cluster client. */
interface ConnectionProfile {
  name: string;
  /** Bound on every reply; unset for a reader, whose `XREADGROUP BLOCK` waits on purpose. */
  commandTimeout?: number;
  autoPipelining: boolean;
}

/**
 * Fail fast instead of queueing: with no offline queue and a command timeout, a call made while
 * Redis is away rejects at once or within `commandTimeoutMs`, so a publisher answers in bounded
 * time and never writes later what the caller was told failed.
 */
export function createCommandConnection(config: EventBusConfig): RedisClient {
  if (config.connection) return config.connection;
  return connect(config, { name: 'cmd', commandTimeout: config.commandTimeoutMs, autoPipelining: true });
}

/**
 * One connection per consumer: `XREADGROUP BLOCK` holds its connection, so it must not share one
 * with publishing or acknowledging. With a connection the user handed in, a duplicate of it.
 * (No `blockingTimeout`: see `StreamReader`.)
 *
 * On a cluster the reader is a `Cluster` of its own, not a `Redis` to its stream's master: a
 * blocked read holds the socket to that master, so it must not be the command client's, and a
 * `Cluster` follows the stream's slot to a new master after a failover or a reshard (MOVED,
 * slot refresh) with no code of ours. It only ever opens sockets to the masters it sends to.
 */
export function createReaderConnection(config: EventBusConfig, command: RedisClient, stream: string): RedisClient {
  const profile: ConnectionProfile = { name: `read:${stream}`, autoPipelining: false };
  if (!config.connection) return connect(config, profile);
  const overrides = nodeOptions(config, profile);
  return command instanceof Cluster
    ? command.duplicate(undefined, {
        ...clusterOptions(profile),
        redisOptions: { ...command.options.redisOptions, ...overrides },
      })
    : command.duplicate(overrides);
}

function nodeOptions(config: EventBusConfig, profile: ConnectionProfile): RedisOptions {
  return {
    connectionName: `${config.service}:${config.consumer}:${profile.name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    ...(profile.commandTimeout !== undefined && { commandTimeout: profile.commandTimeout }),
    // Commands issued in the same tick share one socket write: publishing many events at once, or
    // a batch's handlers, costs one round of syscalls instead of one per command.
    enableAutoPipelining: profile.autoPipelining,
    // Script calls (publish batches, atomic steps) go out at once: they are already batched, and
    // queueing them for the next tick only delays Redis' start on them (measured: publishing 1.8x faster).
    autoPipeliningIgnoredCommands: ['evalsha'],
  };
}

/**
 * The cluster client's own fail-fast: no offline queue (a command meeting a cluster not ready, or
 * a master that is down, is rejected, after at most `maxRedirections` slot refreshes
 * `retryDelayOnFailover` apart: about 0.8 s), and reconnecting on our backoff when every node is away.
 *
 * The slot map is refreshed every second too: ioredis follows a MOVED itself only for a command
 * sent alone; in a pipeline (auto-pipelining, MULTI) whose other commands succeeded it hands the
 * MOVED back and keeps its stale map, so after a master came back every pipelined command for its
 * slots would go on meeting MOVED (seen in the master-restart test). The refresh bounds that to a second.
 */
function clusterOptions(profile: ConnectionProfile): ClusterOptions {
  return {
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelay,
    maxRedirections: 8,
    slotsRefreshInterval: 1_000,
    enableAutoPipelining: profile.autoPipelining,
    autoPipeliningIgnoredCommands: ['evalsha'],
  };
}

function connect(config: EventBusConfig, profile: ConnectionProfile): RedisClient {
  const overrides = nodeOptions(config, profile);
  if (config.cluster) return connectCluster(config.cluster, config.redis, overrides, profile);
  const options: RedisOptions = {
    ...config.redis,
    ...(config.sentinel && sentinelRedisOptions(config.sentinel, config.url)),
    ...overrides,
    lazyConnect: false,
    retryStrategy: reconnectDelay,
  };
  return config.url ? new Redis(config.url, options) : new Redis(options);
}

/**
 * Node connections take the seed URLs' user, password and TLS, then the app's `redis` options.
 * ioredis keeps each node's own reconnecting (none: a lost node is found again through the slot
 * map) and its offline queue (the cluster client's decides).
 */
function connectCluster(
  cluster: ResolvedCluster,
  redis: RedisOptions,
  overrides: RedisOptions,
  profile: ConnectionProfile,
): Cluster {
  const { retryStrategy: _retry, enableOfflineQueue: _queue, ...node } = { ...cluster.redis, ...redis, ...overrides };
  return new Cluster(cluster.nodes, { ...clusterOptions(profile), ...cluster.options, redisOptions: node });
}

/**
 * Resolves when the connection is ready, or after `timeoutMs` regardless: callers then go on and
 * meet the connection error where they handle it, instead of hanging start-up.
 */
export function whenReady(redis: RedisClient, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}
