// An entry a group cannot handle goes to its dead letters and does not block the entries behind it.
import { randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from './support/app-process.js';
import type { Invoice } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson } from './support/http.js';
import { readStream } from './support/redis-client.js';
import { groupLag, ORDERS_STREAM, placeOrder, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 60_000;

describe('dead letters', () => {
  const redis = useRedis();
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url });
  }, T);

  const place = async (): Promise<string> =>
    (await placeOrder(checkout.url, [{ sku: uniqueSku(), quantity: 1, unitPrice: 3 }])).orderId;

  it(
    'dead-letters undecodable and invalid order.approved entries and processes the valid ones',
    async () => {
      const first = await place();
      const [real] = await readStream(redis.client, ORDERS_STREAM);
      const poison = [
        { ...real.fields, id: randomUUID(), data: 'this is not JSON' },
        { ...real.fields, id: randomUUID(), data: JSON.stringify({ orderId: 'o-broken', items: 'none', total: 'abc' }) },
      ];
      for (const fields of poison) await redis.client.xadd(ORDERS_STREAM, '*', ...Object.entries(fields).flat());
      const second = await place();

      const invoice = await startApp('invoice', {
        redisUrl: redis.url,
        env: { EVENTBUS_MAX_DELIVERIES: '2', EVENTBUS_CLAIM_IDLE_MS: '500' },
      });
      for (const orderId of [first, second]) {
        await eventually(
          `invoice of ${orderId}`,
          async () => (await getJson<Invoice>(`${invoice.url}/invoices/${orderId}`)).status === 200,
        );
      }
      const settled = await eventually(
        'invoice group: 2 dead letters, nothing pending or undelivered',
        async () => {
          const lag = await groupLag(invoice.url, ORDERS_STREAM, 'invoice');
          return lag && lag.deadLetters === 2 && lag.pending === 0 && lag.lag === 0 ? lag : undefined;
        },
        30_000,
      );
      expect(settled.deadLetters).toBe(2);
      expect((await getJson(`${invoice.url}/invoices/o-broken`)).status).toBe(404);

      // The other groups did not give up on anything: their apps never ran.
      for (const group of ['stock', 'distribution']) {
        expect((await groupLag(checkout.url, ORDERS_STREAM, group))?.deadLetters).toBe(0);
      }
    },
    T,
  );
});
