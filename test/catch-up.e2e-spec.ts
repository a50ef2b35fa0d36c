// Events published while a consumer is down, or before it was ever started, all reach it.
import { startApp, startApps, type AppProcess } from './support/app-process.js';
import type { Invoice, Shipment, StockLevel } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson, putJson } from './support/http.js';
import { connectRedis, readStream } from './support/redis-client.js';
import { startRedis } from './support/redis-server.js';
import { groupDrained, groupLag, orderBody, ORDERS_STREAM, placeOrder, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 90_000;
const N = 20;

describe('catch-up after downtime', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });
  let apps: Record<'checkout' | 'stock', AppProcess>;
  const orderIds: string[] = [];

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock'], { redisUrl: redis.url });
    const sku = uniqueSku();
    expect((await putJson<StockLevel>(`${apps.stock.url}/stock/${sku}`, { available: 1_000 })).status).toBe(200);
    for (let i = 0; i < N; i++) {
      const accepted = await placeOrder(apps.checkout.url, orderBody([{ sku, quantity: 1, unitPrice: i + 1 }], `c-${i}`));
      orderIds.push(accepted.orderId);
    }
    expect(new Set(orderIds).size).toBe(N);
  }, T);

  it(
    'shows the undelivered orders as lag of the invoice group while invoice is down',
    async () => {
      const invoiceLag = await groupLag(apps.checkout.url, ORDERS_STREAM, 'invoice');
      expect(invoiceLag).toBeDefined();
      expect((invoiceLag?.lag ?? 0) + (invoiceLag?.pending ?? 0)).toBeGreaterThanOrEqual(N);
      expect(invoiceLag?.lag).toBeGreaterThanOrEqual(N);
      for (const id of orderIds.slice(0, 3)) {
        // No invoice app, so nothing to ask; but the order exists and waits for its invoice.
        const view = await getJson<{ progress: { invoice: string } }>(`${apps.checkout.url}/orders/${id}`);
        expect(view.status).toBe(200);
        expect(view.body.progress.invoice).toBe('pending');
      }
    },
    T,
  );

  it(
    'catches up when invoice starts: lag 0, pending 0, every invoice issued',
    async () => {
      const invoice = await startApp('invoice', { redisUrl: redis.url });
      await eventually('invoice group lag 0 and pending 0', () => groupDrained(invoice.url, ORDERS_STREAM, 'invoice'), 40_000);
      for (const [i, id] of orderIds.entries()) {
        const res = await getJson<Invoice>(`${invoice.url}/invoices/${id}`);
        expect(res.status).toBe(200);
        expect(res.body.orderId).toBe(id);
        expect(res.body.total).toBeCloseTo(i + 1, 6);
      }
      const numbers = new Set<string>();
      for (const id of orderIds) numbers.add(String((await getJson<Invoice>(`${invoice.url}/invoices/${id}`)).body.number));
      expect(numbers.size).toBe(N);
      await eventually('checkout sees every invoice issued', async () => {
        for (const id of orderIds) {
          const view = await getJson<{ progress: { invoice: string } }>(`${apps.checkout.url}/orders/${id}`);
          if (view.body.progress.invoice !== 'issued') return false;
        }
        return true;
      });
    },
    T,
  );

  it(
    'delivers everything to a service started for the first time after the orders were placed',
    async () => {
      const distribution = await startApp('distribution', { redisUrl: redis.url });
      await eventually(
        'distribution group lag 0 and pending 0',
        () => groupDrained(distribution.url, ORDERS_STREAM, 'distribution'),
        40_000,
      );
      for (const id of orderIds) {
        const res = await getJson<Shipment>(`${distribution.url}/shipments/${id}`);
        expect(res.status).toBe(200);
        expect(res.body.orderId).toBe(id);
      }
    },
    T,
  );

  it(
    'delivers an event that reached Redis before any app of the system had ever run',
    async () => {
      // Take a real order.approved entry written by checkout and put it into a brand-new Redis
      // where no app ever created a consumer group; then start invoice there for the first time.
      const fresh = await startRedis();
      const target = connectRedis(fresh.url);
      try {
        const entries = await readStream(redis.client, ORDERS_STREAM);
        const entry = entries.find((e) => e.fields.type === 'order.approved');
        expect(entry).toBeDefined();
        const fields = entry!.fields;
        const orderId = (JSON.parse(fields.data) as { orderId: string }).orderId;
        await target.xadd(ORDERS_STREAM, '*', ...Object.entries(fields).flat());

        const invoice = await startApp('invoice', { redisUrl: fresh.url });
        await eventually('invoice issued for the pre-existing event', async () => {
          const res = await getJson<Invoice>(`${invoice.url}/invoices/${orderId}`);
          return res.status === 200 ? res.body : undefined;
        });
        await eventually('invoice group drained', () => groupDrained(invoice.url, ORDERS_STREAM, 'invoice'));
        await invoice.stop();
      } finally {
        await target.quit();
        await fresh.destroy();
      }
    },
    T,
  );
});
