// The retention proof on the built apps: with a small bound and a stopped distribution, every
// order distribution has not acknowledged stays in events:{orders} while the other streams are
// trimmed to about the bound; distribution comes back and ships every order; then events:{orders}
// is trimmed too.
import { flatRecord } from '../libs/eventbus/src/redis/flat-record.js';
import { startApp, type AppProcess } from './support/app-process.js';
import type { Shipment } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson } from './support/http.js';
import { runPool } from './support/pool.js';
import {
  groupDrained,
  INVOICES_STREAM,
  ORDERS_STREAM,
  placeOrder,
  SHIPMENTS_STREAM,
  STOCK_STREAM,
  uniqueSku,
} from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 180_000;
const BOUND = 20;
const ORDERS = 120;
const env = { EVENTBUS_RETENTION_MAX_LENGTH: String(BOUND), EVENTBUS_RETENTION_INTERVAL_MS: '200' };

describe('retention (built apps)', () => {
  const redis = useRedis();
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url, env });
    await startApp('stock', { redisUrl: redis.url, env });
    await startApp('invoice', { redisUrl: redis.url, env });
  }, T);

  const shipped = async (url: string, orderId: string) => (await getJson<Shipment>(`${url}/shipments/${orderId}`)).status === 200;

  it(
    'keeps every order distribution has not acknowledged while the rest is trimmed, then distribution gets them all',
    async () => {
      const distribution = await startApp('distribution', { redisUrl: redis.url, env });
      const early = await placeOrder(checkout.url, [{ sku: uniqueSku(), quantity: 1, unitPrice: 1 }]);
      await eventually('the first shipment', () => shipped(distribution.url, early.orderId));
      await eventually('distribution acknowledged it', () => groupDrained(checkout.url, ORDERS_STREAM, 'distribution'));
      expect(await distribution.stop()).toBe(0);

      const orders = await runPool(Array.from({ length: ORDERS }), 4, () =>
        placeOrder(checkout.url, [{ sku: uniqueSku(), quantity: 1, unitPrice: 1 }]),
      );
      for (const group of ['stock', 'invoice']) {
        await eventually(`${group} drained`, () => groupDrained(checkout.url, ORDERS_STREAM, group), 60_000);
      }
      for (const stream of [STOCK_STREAM, INVOICES_STREAM]) {
        await eventually(`${stream} trimmed to ${BOUND}`, async () => (await redis.client.xlen(stream)) <= BOUND, 30_000);
      }
      // A few more runs: events:{orders} still holds every entry distribution has not read.
      const trimmedOnce = Number(await redis.client.hget(`${STOCK_STREAM}:retention`, 'trimmed'));
      expect(trimmedOnce).toBeGreaterThanOrEqual(ORDERS - BOUND);
      await eventually('more retention runs', async () => {
        const lastRunAt = Number(await redis.client.hget(`${ORDERS_STREAM}:retention`, 'lastRunAt'));
        return lastRunAt > Date.now() - 100 ? lastRunAt : undefined;
      });
      const group = ((await redis.client.xinfo('GROUPS', ORDERS_STREAM)) as unknown[])
        .map((flat) => flatRecord<string>(flat))
        .find((g) => g['name'] === 'distribution');
      const waiting = await redis.client.xrange(ORDERS_STREAM, `(${group?.['last-delivered-id']}`, '+');
      expect(waiting).toHaveLength(ORDERS);
      expect(await redis.client.xlen(ORDERS_STREAM)).toBeLessThanOrEqual(ORDERS + 1);

      const back = await startApp('distribution', { redisUrl: redis.url, env });
      await eventually('distribution drained', () => groupDrained(checkout.url, ORDERS_STREAM, 'distribution'), 60_000);
      for (const { orderId } of orders) expect(await shipped(back.url, orderId)).toBe(true);

      for (const stream of [ORDERS_STREAM, STOCK_STREAM, INVOICES_STREAM, SHIPMENTS_STREAM]) {
        await eventually(`${stream} bounded`, async () => (await redis.client.xlen(stream)) <= BOUND, 30_000);
      }
      expect(await redis.client.hget(`${ORDERS_STREAM}:retention`, 'lost:distribution')).toBeNull();
    },
    T,
  );
});
