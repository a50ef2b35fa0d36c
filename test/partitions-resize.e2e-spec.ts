// The documented procedure for changing the partition count (README, "Partitions and order"):
// stop publishing, drain, stop every app, delete the recorded counts, start with the new count.
// Nothing accepted before or after is lost, and effects stay exactly once.
import { partitionStreams } from '../libs/eventbus/src/partitions/partition.streams.js';
import { startApp, stopAllApps } from './support/app-process.js';
import { eventually } from './support/eventually.js';
import { getJson, putJson } from './support/http.js';
import { scanKeys } from './support/redis-client.js';
import { groupDrained, ORDERS_STREAM, placeOrder, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 180_000;
const BEFORE = 20;
const AFTER = 20;

describe('changing the partition count', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });

  const system = async (partitions: number) => {
    const env = { EVENTBUS_PARTITIONS: String(partitions), EVENTBUS_LEASE_MS: '2000' };
    const [checkout, stock] = await Promise.all([
      startApp('checkout', { redisUrl: redis.url, env }),
      startApp('stock', { redisUrl: redis.url, env }),
    ]);
    return { checkout, stock };
  };

  it(
    'from 1 to 4 partitions: drain, stop, forget the count, restart; every order applied once',
    async () => {
      const sku = uniqueSku();
      let { checkout, stock } = await system(1);
      expect((await putJson(`${stock.url}/stock/${sku}`, { available: 1_000 })).status).toBe(200);
      for (let i = 0; i < BEFORE; i++) await placeOrder(checkout.url, [{ sku, quantity: 1, unitPrice: 1 }]);
      // 1. checkout stops publishing (here: no more orders), 2. every group drains.
      await eventually('stock drained on 1 partition', () => groupDrained(checkout.url, ORDERS_STREAM, 'stock'), 60_000);
      // 3. every app stops, 4. the recorded counts go, 5. every app starts with the new count.
      await stopAllApps();
      const recorded = await scanKeys(redis.client, 'eventbus:{topology}:partitions:*');
      expect(recorded.length).toBeGreaterThan(0);
      await redis.client.del(...recorded);
      ({ checkout, stock } = await system(4));

      for (let i = 0; i < AFTER; i++) await placeOrder(checkout.url, [{ sku, quantity: 1, unitPrice: 1 }]);
      const partitions = partitionStreams(ORDERS_STREAM, 4);
      await eventually(
        'stock drained on 4 partitions',
        async () => (await Promise.all(partitions.map((stream) => groupDrained(checkout.url, stream, 'stock')))).every(Boolean),
        60_000,
      );
      const lengths = await Promise.all(partitions.map((stream) => redis.client.xlen(stream)));
      expect(lengths.reduce((x, y) => x + y, 0)).toBe(AFTER);
      expect(await scanKeys(redis.client, 'stock:{stock}:order:*')).toHaveLength(BEFORE + AFTER);
      expect((await getJson<{ available: number }>(`${stock.url}/stock/${sku}`)).body.available).toBe(1_000 - BEFORE - AFTER);
      expect(Number(await redis.client.get('eventbus:{topology}:partitions:events:{orders}'))).toBe(4);
    },
    T,
  );
});
