// Several instances of one service share its consumer group: every order is handled once, stock is
// never oversold, invoice numbers stay unique, and a crashed instance's entries are taken over.
import { startApp, type AppProcess } from './support/app-process.js';
import type { Invoice, OrderView, StockLevel } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson, putJson } from './support/http.js';
import { pendingCount } from './support/redis-client.js';
import { groupDrained, groupLag, ORDERS_STREAM, placeOrder, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 120_000;

/** Trailing digits of an invoice number ("INV-000042" → 42). */
const sequenceOf = (number: string | number): number => Number(/(\d+)\D*$/.exec(String(number))?.[1] ?? NaN);

describe('scale-out: two instances per consuming service', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url });
  }, T);

  const place = async (sku: string): Promise<string> =>
    (await placeOrder(checkout.url, [{ sku, quantity: 1, unitPrice: 1 }])).orderId;

  it(
    'two stock instances never oversell: 15 orders for 10 units → 10 reserved, 5 rejected, 0 left',
    async () => {
      const [stockA, stockB] = await Promise.all([
        startApp('stock', { redisUrl: redis.url, env: { EVENTBUS_CONSUMER: 'stock-a' } }),
        startApp('stock', { redisUrl: redis.url, env: { EVENTBUS_CONSUMER: 'stock-b' } }),
      ]);
      const sku = uniqueSku();
      expect((await putJson<StockLevel>(`${stockA.url}/stock/${sku}`, { available: 10 })).status).toBe(200);
      const orderIds = await Promise.all(Array.from({ length: 15 }, () => place(sku)));

      await eventually('stock group drained', () => groupDrained(checkout.url, ORDERS_STREAM, 'stock'), 30_000);
      const outcomes = await eventually(
        'every order has a stock outcome',
        async () => {
          const views = await Promise.all(orderIds.map((id) => getJson<OrderView>(`${checkout.url}/orders/${id}`)));
          const states = views.map((v) => v.body.progress.stock);
          return states.every((s) => s !== 'pending') ? states : undefined;
        },
        30_000,
      );
      expect(outcomes.filter((s) => s === 'reserved')).toHaveLength(10);
      expect(outcomes.filter((s) => s === 'rejected')).toHaveLength(5);
      for (const stock of [stockA, stockB]) {
        expect((await getJson<StockLevel>(`${stock.url}/stock/${sku}`)).body.available).toBe(0);
      }
      // Under leases, one instance reads the one orders partition and the other stands by (the
      // Kafka model: parallelism = partitions; README, "Partitions and order").
      expect((await groupLag(checkout.url, ORDERS_STREAM, 'stock'))?.consumers).toBeGreaterThanOrEqual(1);
      expect(['stock-a', 'stock-b']).toContain((await redis.client.get(`${ORDERS_STREAM}:lease:stock`))?.split(' ')[0]);
    },
    T,
  );

  it(
    'an invoice instance killed with SIGKILL mid-stream loses nothing: every order invoiced once',
    async () => {
      const N = 40;
      const [survivor, victim] = await Promise.all([
        startApp('invoice', { redisUrl: redis.url, env: { EVENTBUS_CONSUMER: 'inv-survivor', EVENTBUS_CLAIM_IDLE_MS: '1000' } }),
        startApp('invoice', { redisUrl: redis.url, env: { EVENTBUS_CONSUMER: 'inv-victim', EVENTBUS_CLAIM_IDLE_MS: '1000' } }),
      ]);
      const sku = uniqueSku();
      const orderIds: string[] = [];
      for (let i = 0; i < N; i++) {
        orderIds.push(await place(sku));
        if (i === N / 2) await victim.kill9();
      }
      await eventually(
        'invoice group drained',
        async () =>
          (await groupDrained(survivor.url, ORDERS_STREAM, 'invoice')) &&
          (await pendingCount(redis.client, ORDERS_STREAM, 'invoice')) === 0,
        60_000,
      );
      const numbers: number[] = [];
      for (const id of orderIds) {
        const res = await getJson<Invoice>(`${survivor.url}/invoices/${id}`);
        expect(res.status).toBe(200);
        numbers.push(sequenceOf(res.body.number));
      }
      expect(new Set(numbers).size).toBe(N);
      expect(numbers.every((n) => Number.isInteger(n))).toBe(true);
    },
    T,
  );
});
