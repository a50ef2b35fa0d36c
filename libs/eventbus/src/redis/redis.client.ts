import type { Cluster, Redis } from 'ioredis';

/**
 * A connection the bus runs on: one Redis node, or a Redis Cluster (`REDIS_CLUSTER_NODES`). Both
 * take the same commands; on a cluster every command, script and MULTI must keep its keys in one
 * slot (one `{hash tag}`), which every key helper of the bus does.
 */
export type RedisClient = Redis | Cluster;
