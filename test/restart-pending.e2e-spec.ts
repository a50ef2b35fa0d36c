// An entry delivered to a consumer that died before acknowledging it is processed when that
// consumer (same name) comes back, without waiting for the idle-claim of another consumer.
import { startApp, stopAllApps, type AppProcess } from './support/app-process.js';
import type { Invoice } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson } from './support/http.js';
import { pendingCount } from './support/redis-client.js';
import { groupLag, ORDERS_STREAM, placeOrder, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 60_000;

describe('own pending entries after a restart', () => {
  const redis = useRedis();
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url });
  }, T);

  it(
    're-reads and acknowledges the entry left pending on consumer inv-1',
    async () => {
      const { orderId } = await placeOrder(checkout.url, [{ sku: uniqueSku(), quantity: 3, unitPrice: 2.5 }]);

      // Simulate consumer inv-1 of group invoice receiving the entry and dying before XACK.
      const read = (await redis.client.xreadgroup('GROUP', 'invoice', 'inv-1', 'COUNT', 10, 'STREAMS', ORDERS_STREAM, '>')) as
        [string, [string, string[]][]][] | null;
      expect(read).not.toBeNull();
      const delivered = read![0][1];
      expect(delivered).toHaveLength(1);
      expect(await pendingCount(redis.client, ORDERS_STREAM, 'invoice')).toBe(1);

      // A large idle time: only the consumer's own pending re-read can deliver it now.
      const invoice = await startApp('invoice', {
        redisUrl: redis.url,
        env: { EVENTBUS_CONSUMER: 'inv-1', EVENTBUS_CLAIM_IDLE_MS: '600000' },
      });

      const issued = await eventually('invoice issued for the pending entry', async () => {
        const res = await getJson<Invoice>(`${invoice.url}/invoices/${orderId}`);
        return res.status === 200 ? res.body : undefined;
      });
      expect(issued.orderId).toBe(orderId);
      expect(issued.total).toBeCloseTo(7.5, 6);

      await eventually(
        'pending 0 for group invoice',
        async () => (await pendingCount(redis.client, ORDERS_STREAM, 'invoice')) === 0,
      );
      const lag = await groupLag(invoice.url, ORDERS_STREAM, 'invoice');
      expect(lag).toMatchObject({ pending: 0, lag: 0, deadLetters: 0 });
    },
    T,
  );

  it(
    'stops cleanly on SIGTERM (exit 0) and, restarted, does not issue the invoice again',
    async () => {
      const { orderId } = await placeOrder(checkout.url, [{ sku: uniqueSku(), quantity: 1, unitPrice: 1 }]);
      let invoice = await startApp('invoice', { redisUrl: redis.url, env: { EVENTBUS_CONSUMER: 'inv-1' } });
      const issued = await eventually('invoice issued', async () => {
        const res = await getJson<Invoice>(`${invoice.url}/invoices/${orderId}`);
        return res.status === 200 ? res.body : undefined;
      });
      await eventually('invoice group drained', async () => (await pendingCount(redis.client, ORDERS_STREAM, 'invoice')) === 0);

      // Stop every invoice instance of this file gracefully.
      await stopAllApps();
      checkout = await startApp('checkout', { redisUrl: redis.url });
      invoice = await startApp('invoice', { redisUrl: redis.url, env: { EVENTBUS_CONSUMER: 'inv-1' } });
      const again = await getJson<Invoice>(`${invoice.url}/invoices/${orderId}`);
      expect(again.status).toBe(200);
      expect(again.body.number).toEqual(issued.number);
      expect(await invoice.stop('SIGTERM')).toBe(0);
    },
    T,
  );

  it(
    'another live consumer claims an entry left idle by a crashed consumer',
    async () => {
      // No invoice instance runs now (the previous test stopped it).
      const { orderId } = await placeOrder(checkout.url, [{ sku: uniqueSku(), quantity: 2, unitPrice: 1 }]);
      const read = (await redis.client.xreadgroup(
        'GROUP',
        'invoice',
        'inv-crashed',
        'COUNT',
        10,
        'STREAMS',
        ORDERS_STREAM,
        '>',
      )) as [string, [string, string[]][]][] | null;
      expect(read?.[0][1]).toHaveLength(1);

      // A different consumer with a short idle time must take it over.
      const invoice = await startApp('invoice', {
        redisUrl: redis.url,
        env: { EVENTBUS_CONSUMER: 'inv-2', EVENTBUS_CLAIM_IDLE_MS: '1000' },
      });
      const issued = await eventually('invoice issued after the claim', async () => {
        const res = await getJson<Invoice>(`${invoice.url}/invoices/${orderId}`);
        return res.status === 200 ? res.body : undefined;
      });
      expect(issued.total).toBeCloseTo(2, 6);
      await eventually(
        'pending 0 for group invoice',
        async () => (await pendingCount(redis.client, ORDERS_STREAM, 'invoice')) === 0,
      );
    },
    T,
  );
});
