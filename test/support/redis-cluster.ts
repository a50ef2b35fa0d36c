import { Cluster, Redis } from 'ioredis';
import { stopAllApps } from './app-process.js';
import { freePort } from './free-port.js';
import { sleep } from './http.js';
import { startRedis, type RedisServer } from './redis-server.js';
import type { TestCertificates } from './tls-cert.js';

/** The slot ranges of the masters, in order: master i holds `SLOT_RANGES[i]`. */
const SLOT_RANGES: readonly (readonly [number, number])[] = [
  [0, 5460],
  [5461, 10922],
  [10923, 16383],
];

/** A real Redis Cluster of three masters (and optionally one replica each) on loopback. */
export interface RedisCluster {
  readonly masters: readonly RedisServer[];
  /** `replicas[i]` replicates `masters[i]` (empty unless asked for). */
  readonly replicas: readonly RedisServer[];
  /**
   * `REDIS_CLUSTER_NODES` for the apps: every master's URL, comma-separated (`rediss://` on the
   * TLS ports with `tls`, with the ACL user's credentials with `user`).
   */
  readonly nodes: string;
  /** A cluster client for the tests' own checks, connected on first use. */
  readonly client: Cluster;
  /** The master that held `key`'s slot when the cluster was made (before any failover). */
  masterOf(key: string): Promise<RedisServer>;
  /**
   * A manual failover (`CLUSTER FAILOVER` on the master's replica): the master stops taking
   * writes, its replica catches up, then takes over. Resolves once the replica is the master and
   * the cluster is ok; returns the new master.
   */
  failover(master: RedisServer): Promise<RedisServer>;
  /** Resolves once every running node reports `cluster_state:ok` (bounded by `timeoutMs`). */
  waitUntilOk(timeoutMs?: number): Promise<void>;
  /** Stops every node (by PID, through its `RedisServer`) and removes their dirs; never throws. */
  destroy(): Promise<void>;
}

export interface RedisClusterOptions {
  /** One replica per master (for failover tests). */
  replicas?: boolean;
  /** `cluster-node-timeout` in ms: how soon a silent master is failed over (default 15000). */
  nodeTimeoutMs?: number;
  /** Further redis-server arguments for every node. */
  extraArgs?: readonly string[];
  /** TLS for clients, the cluster bus and replication, on a TLS port of each node. */
  tls?: TestCertificates;
  /** An ACL user (all commands and keys) instead of the default user, which is turned off. */
  user?: { name: string; password: string };
}

/** How the tests' own connections reach the nodes: the plain port, as the ACL user if any. */
let adminUser: RedisClusterOptions['user'];

/** A short-lived admin connection to one node (plain port). */
async function onNode<T>(server: RedisServer, run: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(server.port, '127.0.0.1', {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: () => null,
    ...(adminUser && { username: adminUser.name, password: adminUser.password }),
  });
  try {
    return await run(redis);
  } finally {
    redis.disconnect();
  }
}

const myId = (server: RedisServer) => onNode(server, (redis) => redis.call('CLUSTER', 'MYID') as Promise<string>);

async function clusterOk(server: RedisServer): Promise<boolean> {
  if (server.pid === undefined) return true; // a stopped node has no say
  try {
    return (await onNode(server, (redis) => redis.cluster('INFO'))).includes('cluster_state:ok');
  } catch {
    return false;
  }
}

/**
 * Three masters that own the slots from the start (`CLUSTER ADDSLOTSRANGE`) and meet through the
 * first one: up in about 2 s, with none of `redis-cli --cluster create`'s polling. Every node
 * keeps an AOF fsynced on each write, so a master restarted on its dir loses nothing.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  adminUser = options.user;
  const { tls, user } = options;
  const common = [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-node-timeout',
    String(options.nodeTimeoutMs ?? 15_000),
    ...(user ? ['--user', 'default', 'off', '--user', user.name, 'on', `>${user.password}`, '~*', '&*', '+@all'] : []),
    ...(options.extraArgs ?? []),
  ];
  /** Bus port (and TLS port) of each node, chosen here: port + 10000 may be taken or past 65535. */
  const busPorts = new Map<RedisServer, number>();
  const tlsPorts = new Map<RedisServer, number>();
  const startNode = async (): Promise<RedisServer> => {
    const [bus, tlsPort] = [await freePort(), await freePort()];
    const tlsArgs = tls
      ? ['--tls-port', String(tlsPort), '--tls-cluster', 'yes', '--tls-replication', 'yes', '--tls-auth-clients', 'no']
      : [];
    const files = tls ? ['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile] : [];
    const server = await startRedis({ aof: true, extraArgs: [...common, '--cluster-port', String(bus), ...tlsArgs, ...files] });
    busPorts.set(server, bus);
    tlsPorts.set(server, tlsPort);
    return server;
  };
  const started: RedisServer[] = [];
  let client: Cluster | undefined;

  const destroy = async (): Promise<void> => {
    client?.disconnect();
    client = undefined;
    await Promise.all(started.map((server) => server.destroy().catch(() => undefined)));
  };

  try {
    const masters = await Promise.all(SLOT_RANGES.map(() => startNode()));
    started.push(...masters);
    const replicas = options.replicas ? await Promise.all(masters.map(() => startNode())) : [];
    started.push(...replicas);

    await Promise.all(
      masters.map((master, i) => onNode(master, (redis) => redis.call('CLUSTER', 'ADDSLOTSRANGE', ...SLOT_RANGES[i]))),
    );
    await onNode(masters[0], async (redis) => {
      for (const other of started.slice(1)) await redis.call('CLUSTER', 'MEET', '127.0.0.1', other.port, busPorts.get(other)!);
    });
    if (replicas.length > 0) {
      const masterIds = await Promise.all(masters.map(myId));
      await Promise.all(
        replicas.map(async (replica, i) => {
          // A replica can follow a master only once gossip told it of that master.
          for (let attempt = 0; ; attempt++) {
            try {
              await onNode(replica, (redis) => redis.cluster('REPLICATE', masterIds[i]));
              return;
            } catch (error) {
              if (attempt >= 100) throw error;
              await sleep(100);
            }
          }
        }),
      );
    }

    const waitUntilOk = async (timeoutMs = 20_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!(await Promise.all(started.map(clusterOk))).every(Boolean)) {
        if (Date.now() > deadline) throw new Error(`the cluster did not reach cluster_state:ok within ${timeoutMs} ms`);
        await sleep(50);
      }
    };
    await waitUntilOk();
    if (replicas.length > 0) await waitForReplication(replicas);

    return {
      masters,
      replicas,
      nodes: masters
        .map((master) => {
          const credentials = user ? `${user.name}:${user.password}@` : '';
          return tls
            ? `rediss://${credentials}127.0.0.1:${tlsPorts.get(master)}`
            : `redis://${credentials}127.0.0.1:${master.port}`;
        })
        .join(','),
      get client() {
        client ??= new Cluster(
          masters.map((master) => ({ host: '127.0.0.1', port: master.port })),
          {
            redisOptions: {
              maxRetriesPerRequest: 1,
              connectTimeout: 2_000,
              ...(user && { username: user.name, password: user.password }),
            },
          },
        );
        return client;
      },
      async masterOf(key: string) {
        const slot = await onNode(masters[0], (redis) => redis.cluster('KEYSLOT', key));
        return masters[SLOT_RANGES.findIndex(([from, to]) => slot >= from && slot <= to)];
      },
      async failover(master: RedisServer) {
        const replica = replicas[masters.indexOf(master)];
        if (!replica) throw new Error('failover: the cluster was started without replicas');
        await onNode(replica, (redis) => redis.cluster('FAILOVER'));
        const deadline = Date.now() + 20_000;
        while (!(await onNode(replica, (redis) => redis.info('replication'))).includes('role:master')) {
          if (Date.now() > deadline) throw new Error(`replica :${replica.port} did not take over within 20 s`);
          await sleep(50);
        }
        await waitUntilOk();
        return replica;
      },
      waitUntilOk,
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** Until every replica reports its link to its master up (a failover needs a synced replica). */
async function waitForReplication(replicas: readonly RedisServer[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const replica of replicas) {
    while (!(await onNode(replica, (redis) => redis.info('replication'))).includes('master_link_status:up')) {
      if (Date.now() > deadline) throw new Error(`replica :${replica.port} did not sync within ${timeoutMs} ms`);
      await sleep(50);
    }
  }
}

/**
 * `useRedis()` for a cluster: a `beforeAll` that starts it and an `afterAll` that stops every app
 * the file started, then every node. Declare it before the file's own `beforeAll`.
 */
export function useRedisCluster(options: RedisClusterOptions = {}, hookTimeoutMs = 60_000): { readonly cluster: RedisCluster } {
  let cluster: RedisCluster | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster(options);
  }, hookTimeoutMs);
  afterAll(async () => {
    await stopAllApps().catch(() => undefined);
    await cluster?.destroy();
    cluster = undefined;
  }, hookTimeoutMs);
  return {
    get cluster() {
      if (!cluster) throw new Error('useRedisCluster: the cluster is not running (started in beforeAll; did it fail?)');
      return cluster;
    },
  };
}
