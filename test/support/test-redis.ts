import type { Redis } from 'ioredis';
import { stopAllApps } from './app-process.js';
import { connectRedis } from './redis-client.js';
import { startRedis, type RedisServer, type RedisServerOptions } from './redis-server.js';

/** A file's own redis-server, started before its tests and torn down after them. */
export interface TestRedis {
  /** The redis-server (stop, restart, kill9, port...). */
  readonly server: RedisServer;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** An ioredis client for the tests' own checks, connected on first use. */
  readonly client: Redis;
}

export interface UseRedisOptions {
  /** Timeout of the two hooks (default: Jest's testTimeout). */
  hookTimeoutMs?: number;
}

/**
 * Registers, in the calling `describe`, a `beforeAll` that starts a redis-server and an `afterAll`
 * that stops every app the file started (`stopAllApps`), disconnects the client, then destroys the
 * server; the `afterAll` never throws. Call it before the file's own `beforeAll` (which starts its
 * apps on `redis.url`): hooks run in the order they are declared. `options` may be a function, for
 * servers whose arguments are prepared asynchronously (e.g. TLS certificates).
 */
export function useRedis(
  options: RedisServerOptions | (() => RedisServerOptions | Promise<RedisServerOptions>) = {},
  { hookTimeoutMs }: UseRedisOptions = {},
): TestRedis {
  let server: RedisServer | undefined;
  let client: Redis | undefined;

  const started = (): RedisServer => {
    if (!server) throw new Error('useRedis: the redis-server is not running (started in beforeAll; did it fail?)');
    return server;
  };

  beforeAll(async () => {
    server = await startRedis(typeof options === 'function' ? await options() : options);
  }, hookTimeoutMs);

  afterAll(async () => {
    const failures: unknown[] = [];
    const attempt = async (step: () => unknown): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    await attempt(() => stopAllApps());
    await attempt(() => client?.disconnect());
    await attempt(() => server?.destroy());
    client = undefined;
    server = undefined;
    if (failures.length > 0) console.warn('useRedis: teardown problems (ignored):', ...failures);
  }, hookTimeoutMs);

  return {
    get server() {
      return started();
    },
    get url() {
      return started().url;
    },
    get client() {
      client ??= connectRedis(started().url);
      return client;
    },
  };
}
