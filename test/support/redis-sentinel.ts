import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { sleep } from './http.js';
import { OutputBuffer } from './output-buffer.js';
import { ping, startRedis, type RedisServer } from './redis-server.js';

/** The master name the sentinels monitor. */
export const SENTINEL_MASTER = 'bus';

/** One master, its replicas and three sentinels, all on free loopback ports. */
export interface SentinelSetup {
  /** Every data node; `nodes[0]` was the master at start. */
  readonly nodes: readonly RedisServer[];
  readonly sentinelPorts: readonly number[];
  /** What the apps need: `REDIS_SENTINELS` and `REDIS_SENTINEL_MASTER`. */
  readonly env: Record<string, string>;
  /** The data node the sentinels name as master now. */
  master(): Promise<RedisServer>;
  /**
   * Waits (bounded) until the sentinels name a master (other than `notOn`, if given), it answers as
   * one, and `replicas` replicas of it are online (writes can be confirmed again); returns it.
   */
  awaitMaster(options: { timeoutMs: number; replicas?: number; notOn?: RedisServer }): Promise<RedisServer>;
  /** Asks a sentinel for a failover now (`SENTINEL FAILOVER`). */
  failover(): Promise<void>;
  /** A plain client to a data node, for the test's own checks (close it). */
  client(node: RedisServer): Redis;
  /** Stops the sentinels and the data nodes by PID and removes their dirs; never throws. */
  destroy(): Promise<void>;
  /** The sentinels' output, for failure reports. */
  output(): string;
}

export interface SentinelSetupOptions {
  replicas?: number;
  /** Sentinel's `down-after-milliseconds`: how long a silent master takes to be judged down. @default 1000 */
  downAfterMs?: number;
  /** Sentinel's `failover-timeout`. @default 5000 */
  failoverTimeoutMs?: number;
}

interface SentinelProcess {
  port: number;
  child: ChildProcess;
}

/**
 * Starts the master (AOF, fsync always: a master that restarts empty would have its replicas
 * copy the emptiness), `replicas` replicas of it, then three sentinels, each with its own config
 * file (a sentinel rewrites it). Resolves once every sentinel sees the master and its replicas.
 */
export async function startSentinelSetup(options: SentinelSetupOptions = {}): Promise<SentinelSetup> {
  const { replicas = 1, downAfterMs = 1_000, failoverTimeoutMs = 5_000 } = options;
  const nodes: RedisServer[] = [];
  const sentinels: SentinelProcess[] = [];
  const log = new OutputBuffer(64 * 1024);
  const dir = await mkdtemp(join(tmpdir(), 'e2e-sentinel-'));

  const destroy = async (): Promise<void> => {
    for (const { child } of sentinels) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(nodes.map((node) => node.destroy().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  };

  try {
    // A full resync (a replica that cannot continue where it was, the demoted master) starts at
    // once instead of after the default 5 s wait for more replicas to share one transfer.
    const extraArgs = ['--repl-diskless-sync-delay', '0'];
    const master = await startRedis({ aof: true, extraArgs });
    nodes.push(master);
    for (let i = 0; i < replicas; i++) {
      nodes.push(await startRedis({ aof: true, extraArgs: [...extraArgs, '--replicaof', '127.0.0.1', String(master.port)] }));
    }
    for (let i = 0; i < 3; i++) sentinels.push(await startSentinel(dir, i, master.port, downAfterMs, failoverTimeoutMs, log));
    await until(`sentinels see the master and ${replicas} replica(s)`, 15_000, async () => {
      const counts = await Promise.all(
        sentinels.map(({ port }) =>
          withClient(port, async (client) => {
            const replicasSeen = (await client.call('SENTINEL', 'REPLICAS', SENTINEL_MASTER)) as unknown[];
            const others = (await client.call('SENTINEL', 'SENTINELS', SENTINEL_MASTER)) as unknown[];
            return replicasSeen.length === replicas && others.length === 2;
          }),
        ),
      );
      return counts.every(Boolean);
    });
  } catch (error) {
    await destroy();
    throw new Error(`Sentinel setup did not start: ${(error as Error).message}\n${log.tail(30)}`, { cause: error });
  }

  const byPort = (port: number): RedisServer => {
    const node = nodes.find((candidate) => candidate.port === port);
    if (!node) throw new Error(`the sentinels name 127.0.0.1:${port}, which is none of the data nodes`);
    return node;
  };
  const masterPort = async (): Promise<number> => {
    for (const { port } of sentinels) {
      try {
        const address = await withClient(port, (client) => client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER));
        return Number((address as string[])[1]);
      } catch {
        // That sentinel is busy or away: ask the next one.
      }
    }
    throw new Error('no sentinel answered');
  };

  return {
    nodes,
    sentinelPorts: sentinels.map(({ port }) => port),
    env: {
      REDIS_SENTINELS: sentinels.map(({ port }) => `127.0.0.1:${port}`).join(','),
      REDIS_SENTINEL_MASTER: SENTINEL_MASTER,
    },
    master: async () => byPort(await masterPort()),
    async awaitMaster({ timeoutMs, replicas = 1, notOn }) {
      let found: RedisServer | undefined;
      await until(notOn ? 'a new master' : 'a master', timeoutMs, async () => {
        const port = await masterPort();
        if (port === notOn?.port) return false;
        const info = await withClient(port, (client) => client.info('replication'));
        found = byPort(port);
        return info.includes('role:master') && (info.match(/^slave\d+:.*state=online/gm) ?? []).length >= replicas;
      });
      return found!;
    },
    async failover() {
      await withClient(sentinels[0].port, (client) => client.call('SENTINEL', 'FAILOVER', SENTINEL_MASTER));
    },
    client: (node) => new Redis({ host: '127.0.0.1', port: node.port, maxRetriesPerRequest: 1, connectTimeout: 2_000 }),
    destroy: () => destroy().catch(() => undefined),
    output: () => log.toString(),
  };
}

async function startSentinel(
  dir: string,
  index: number,
  masterPort: number,
  downAfterMs: number,
  failoverTimeoutMs: number,
  log: OutputBuffer,
): Promise<SentinelProcess> {
  const port = await freePort();
  const config = join(dir, `sentinel-${index}.conf`);
  await writeFile(
    config,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      'daemonize no',
      `dir ${dir}`,
      `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${masterPort} 2`,
      `sentinel down-after-milliseconds ${SENTINEL_MASTER} ${downAfterMs}`,
      `sentinel failover-timeout ${SENTINEL_MASTER} ${failoverTimeoutMs}`,
      `sentinel parallel-syncs ${SENTINEL_MASTER} 1`,
      '',
    ].join('\n'),
  );
  const binary = process.env.REDIS_SENTINEL_BIN ?? 'redis-sentinel';
  const child = spawn(binary, [config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const tag = (chunk: Buffer): void => log.append(chunk.toString().replace(/^/gm, `[sentinel ${index}] `));
  child.stdout?.on('data', tag);
  child.stderr?.on('data', tag);
  child.on('error', (error) => log.append(`[sentinel ${index}] cannot start ${binary}: ${error.message}\n`));
  await until(`sentinel ${index} answers on ${port}`, 10_000, () => ping(port));
  return { port, child };
}

async function withClient<T>(port: number, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
