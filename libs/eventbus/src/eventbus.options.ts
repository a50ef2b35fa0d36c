import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_BLOCK_MS,
  DEFAULT_CLAIM_IDLE_MS,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_DEAD_CONSUMER_IDLE_MS,
  DEFAULT_HANDLER_TIMEOUT_MS,
  DEFAULT_MAX_DELIVERIES,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_MAX_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_LAG_WINDOW_MS,
  DEFAULT_RETENTION_MAX_LENGTH,
  DEFAULT_RETENTION_MAX_AGE_MS,
  DEFAULT_RETENTION_INTERVAL_MS,
  DEFAULT_RETENTION_HARD_MAX_LENGTH,
  DEFAULT_DEAD_LETTER_MAX_LENGTH,
  DEFAULT_LEASE_MS,
  DEFAULT_REPLICA_ACK_TIMEOUT_MS,
} from './eventbus.constants.js';
import { MAX_PARTITIONS } from './partitions/partition.streams.js';
import { EventBusConfigError } from './errors/eventbus-config.error.js';
import type { EventBusClusterOptions, EventBusModuleOptions, RetentionOptions } from './interfaces/eventbus-options.interface.js';
import type { StreamTopology } from './interfaces/stream-topology.interface.js';
import type { RedisClient } from './redis/redis.client.js';
import type { SentinelOptions } from './redis/sentinel.options.js';

/** Options with every default applied and every value checked. */
export interface EventBusConfig {
  url?: string;
  /** Set when the bus runs on a Redis Cluster; `url` is then unset. */
  cluster?: ResolvedCluster;
  redis: RedisOptions;
  /** Set when the user handed in a connection: the module neither creates nor closes one. */
  connection?: RedisClient;
  sentinel?: SentinelOptions;
  /** `WAIT min timeoutMs` after each write of the publisher; `min: 0` waits for nothing. */
  replicaAcks: { min: number; timeoutMs: number };
  service: string;
  consumer: string;
  adminToken?: string;
  topology: Required<StreamTopology>[];
  /** Off: every instance reads every partition (the group shares entries; no per-key order across instances). */
  leases: boolean;
  leaseMs: number;
  batchSize: number;
  blockMs: number;
  claimIdleMs: number;
  maxDeliveries: number;
  deadConsumerIdleMs: number;
  handlerTimeoutMs: number;
  shutdownTimeoutMs: number;
  commandTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  lagWindowMs: number;
  /** Every value resolved; `enabled: false` when the app turned the trimmer off. */
  retention: Required<RetentionOptions> & { enabled: boolean };
}

/** Seed nodes as host and port; what their URLs said of user, password and TLS, for every node. */
export interface ResolvedCluster {
  nodes: ClusterNode[];
  redis: RedisOptions;
  options: ClusterOptions;
}

const NAME = /^[A-Za-z0-9._:-]{1,100}$/;

function integer(option: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw new EventBusConfigError(option, `expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return resolved;
}

function name(option: string, value: string): string {
  if (!NAME.test(value)) {
    throw new EventBusConfigError(option, `expected 1-100 characters of [A-Za-z0-9._:-], got "${value}"`);
  }
  return value;
}

function redisUrl(option: string, value: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new EventBusConfigError(option, 'not a URL (expected redis://host:port or rediss://host:port)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new EventBusConfigError(option, `protocol must be redis: or rediss:, got ${parsed.protocol}`);
  }
  return parsed;
}

function url(value: string | undefined): string | undefined {
  if (value !== undefined) redisUrl('url', value);
  return value;
}

/**
 * ioredis reaches the nodes it discovers with `redisOptions` only, not with a seed URL's user,
 * password or TLS: so those come from the URLs into the options of every node, and must agree.
 */
function cluster(given: EventBusClusterOptions | undefined): ResolvedCluster | undefined {
  if (given === undefined) return undefined;
  if (!Array.isArray(given.nodes) || given.nodes.length === 0) {
    throw new EventBusConfigError('cluster.nodes', 'expected at least one redis:// or rediss:// seed node');
  }
  const parsed = given.nodes.map((node) => redisUrl('cluster.nodes', node));
  const access = (node: URL) => `${node.protocol}${node.username}:${node.password}`;
  if (parsed.some((node) => access(node) !== access(parsed[0]))) {
    throw new EventBusConfigError('cluster.nodes', 'every seed node must use the same protocol, user and password');
  }
  const [first] = parsed;
  return {
    nodes: parsed.map((node) => ({ host: node.hostname, port: Number(node.port || 6379) })),
    redis: {
      ...(first.username && { username: decodeURIComponent(first.username) }),
      ...(first.password && { password: decodeURIComponent(first.password) }),
      ...(first.protocol === 'rediss:' && { tls: {} }),
    },
    options: given.options ?? {},
  };
}

export function defaultConsumerName(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export function resolveEventBusConfig(options: EventBusModuleOptions): EventBusConfig {
  const blockMs = integer('blockMs', options.blockMs, DEFAULT_BLOCK_MS, 1, 60_000);
  const retryBaseMs = integer('retryBaseMs', options.retryBaseMs, DEFAULT_RETRY_BASE_MS, 1, 3_600_000);
  const commandTimeoutMs = integer('commandTimeoutMs', options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS, 1, 60_000);
  const topology = (options.topology ?? []).map((entry) => ({
    stream: entry.stream,
    groups: entry.groups.map((group) => name('topology.groups', group)),
    partitions: integer('topology.partitions', entry.partitions, 1, 1, MAX_PARTITIONS),
  }));
  return {
    url: options.cluster ? undefined : url(options.url),
    cluster: cluster(options.cluster),
    redis: options.redis ?? {},
    connection: options.connection,
    sentinel: options.sentinel && resolveSentinel(options.sentinel),
    replicaAcks: {
      min: replicaAcksFor(options),
      // Below the command timeout, or ioredis would give up on WAIT before Redis answers it.
      timeoutMs: integer(
        'replicaAckTimeoutMs',
        options.replicaAckTimeoutMs,
        Math.max(1, Math.min(DEFAULT_REPLICA_ACK_TIMEOUT_MS, commandTimeoutMs - 1)),
        1,
        Math.max(1, commandTimeoutMs - 1),
      ),
    },
    service: name('service', options.service ?? ''),
    consumer: name('consumer', options.consumer ?? defaultConsumerName()),
    adminToken: options.adminToken || undefined,
    topology,
    leases: options.leases ?? true,
    leaseMs: integer('leaseMs', options.leaseMs, DEFAULT_LEASE_MS, 300, 600_000),
    batchSize: integer('batchSize', options.batchSize, DEFAULT_BATCH_SIZE, 1, 10_000),
    blockMs,
    claimIdleMs: integer('claimIdleMs', options.claimIdleMs, DEFAULT_CLAIM_IDLE_MS, 1, 86_400_000),
    maxDeliveries: integer('maxDeliveries', options.maxDeliveries, DEFAULT_MAX_DELIVERIES, 1, 1_000),
    deadConsumerIdleMs: integer('deadConsumerIdleMs', options.deadConsumerIdleMs, DEFAULT_DEAD_CONSUMER_IDLE_MS, 1, 604_800_000),
    handlerTimeoutMs: integer('handlerTimeoutMs', options.handlerTimeoutMs, DEFAULT_HANDLER_TIMEOUT_MS, 1, 3_600_000),
    shutdownTimeoutMs: integer('shutdownTimeoutMs', options.shutdownTimeoutMs, DEFAULT_SHUTDOWN_TIMEOUT_MS, 0, 600_000),
    commandTimeoutMs,
    retryBaseMs,
    retryMaxMs: integer('retryMaxMs', options.retryMaxMs, DEFAULT_RETRY_MAX_MS, retryBaseMs, 3_600_000),
    lagWindowMs: integer('lagWindowMs', options.lagWindowMs, DEFAULT_LAG_WINDOW_MS, 1_000, 86_400_000),
    retention: resolveRetention(options.retention),
  };
}

function resolveSentinel(sentinel: SentinelOptions): SentinelOptions {
  if (sentinel.sentinels.length === 0) throw new EventBusConfigError('sentinel.sentinels', 'expected at least one sentinel');
  return { ...sentinel, name: name('sentinel.name', sentinel.name) };
}

function resolveRetention(options: RetentionOptions | false | undefined): EventBusConfig['retention'] {
  const given = options || {};
  const maxLength = integer('retention.maxLength', given.maxLength, DEFAULT_RETENTION_MAX_LENGTH, 1, 1_000_000_000);
  return {
    enabled: options !== false,
    maxLength,
    maxAgeMs: integer('retention.maxAgeMs', given.maxAgeMs, DEFAULT_RETENTION_MAX_AGE_MS, 1_000, 31_536_000_000),
    intervalMs: integer('retention.intervalMs', given.intervalMs, DEFAULT_RETENTION_INTERVAL_MS, 100, 86_400_000),
    hardMaxLength: integer(
      'retention.hardMaxLength',
      given.hardMaxLength,
      Math.max(DEFAULT_RETENTION_HARD_MAX_LENGTH, maxLength),
      maxLength,
      1_000_000_000,
    ),
    deadLetterMaxLength: integer(
      'retention.deadLetterMaxLength',
      given.deadLetterMaxLength,
      DEFAULT_DEAD_LETTER_MAX_LENGTH,
      1,
      1_000_000_000,
    ),
  };
}

/**
 * Under Sentinel the number of replicas that must hold a write before it is reported done has no
 * safe default: fewer than the replicas Sentinel may promote lets a failover lose a write a caller
 * was told is done (measured: 58 accepted orders with 1 of 2), and more than exist refuses every
 * write. So it must be given; without Sentinel it defaults to 0 (no replication assumed).
 */
function replicaAcksFor(options: EventBusModuleOptions): number {
  if (options.sentinel && options.minReplicaAcks === undefined) {
    throw new EventBusConfigError(
      'minReplicaAcks',
      'required with Sentinel (env EVENTBUS_MIN_REPLICA_ACKS): set it to the number of replicas, so a failover cannot lose a write reported done',
    );
  }
  return integer('minReplicaAcks', options.minReplicaAcks, 0, 0, 100);
}
