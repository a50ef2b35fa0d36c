// Checks the e2e harness itself (no app needed): a real redis-server on a free port, stop,
// restart on the same port, AOF keeping data across a restart, and the missing-build message.
import { existsSync } from 'node:fs';
import { appEntry, startApp } from './support/app-process.js';
import { connectRedis } from './support/redis-client.js';
import { ping, startRedis, type RedisServer } from './support/redis-server.js';

const T = 30_000;

describe('e2e harness', () => {
  const servers: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.destroy()));
  }, T);

  it(
    'starts two redis-servers on distinct free ports, stops and restarts on the same port',
    async () => {
      const a = await startRedis();
      const b = await startRedis();
      servers.push(a, b);
      expect(a.port).not.toBe(b.port);
      expect(a.url).toBe(`redis://127.0.0.1:${a.port}`);
      expect(await ping(a.port)).toBe(true);
      await a.stop();
      expect(await ping(a.port)).toBe(false);
      expect(a.pid).toBeUndefined();
      await a.restart();
      expect(await ping(a.port)).toBe(true);
      expect(await ping(b.port)).toBe(true);
    },
    T,
  );

  it(
    'keeps data across a restart with AOF, loses it without',
    async () => {
      const withAof = await startRedis({ aof: true });
      const without = await startRedis();
      servers.push(withAof, without);
      for (const server of [withAof, without]) {
        const client = connectRedis(server.url);
        await client.set('k', 'v');
        await client.quit();
        await server.restart();
      }
      const c1 = connectRedis(withAof.url);
      const c2 = connectRedis(without.url);
      try {
        expect(await c1.get('k')).toBe('v');
        expect(await c2.get('k')).toBeNull();
      } finally {
        await Promise.all([c1.quit(), c2.quit()]);
      }
    },
    T,
  );

  it(
    'says to run npm run build when an app is not built (checked only while dist lacks it)',
    async () => {
      const entry = appEntry('invoice');
      if (existsSync(entry)) return; // built: nothing to check here
      await expect(startApp('invoice', { redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(/npm run build/);
    },
    T,
  );
});
