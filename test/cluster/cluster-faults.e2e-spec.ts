// Faults on a real 3-master Redis Cluster: kill -9 of one of two stock instances during a burst,
// and a master stopped then started again, with the built apps as real processes.
import { Redis } from 'ioredis';
import type { CheckoutAccepted, OrderView, StockLevel } from '../support/api.js';
import { startApp, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, postJson, putJson, request } from '../support/http.js';
import { runPool } from '../support/pool.js';
import { scanKeys } from '../support/redis-client.js';
import { useRedisCluster } from '../support/redis-cluster.js';
import { ORDERS_STREAM, placeOrder, uniqueSku } from '../support/system.js';

const T = 180_000;
const BURST = 600;
const INITIAL = 1_000_000;

describe('faults on a Redis Cluster', () => {
  // Node timeout 3 s; without full coverage the masters that run keep serving their slots.
  const redis = useRedisCluster({ nodeTimeoutMs: 3_000, extraArgs: ['--cluster-require-full-coverage', 'no'] });
  let checkout: AppProcess;
  let invoice: AppProcess;
  let survivor: AppProcess;
  let victim: AppProcess;
  const options = (env: Record<string, string> = {}) => ({
    redisUrl: 'redis://127.0.0.1:1',
    clusterNodes: redis.cluster.nodes,
    env: { EVENTBUS_CLAIM_IDLE_MS: '1000', ...env },
  });
  /** A plain client to the master holding `tag`'s slot, for SCAN (a cluster client scans one node). */
  const onMasterOf = async <R>(key: string, run: (client: Redis) => Promise<R>): Promise<R> => {
    const master = await redis.cluster.masterOf(key);
    const client = new Redis(master.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      return await run(client);
    } finally {
      client.disconnect();
    }
  };

  beforeAll(async () => {
    [checkout, invoice, survivor, victim] = await Promise.all([
      startApp('checkout', options()),
      startApp('invoice', options()),
      startApp('stock', options({ EVENTBUS_CONSUMER: 'stock-survivor' })),
      startApp('stock', options({ EVENTBUS_CONSUMER: 'stock-victim' })),
    ]);
  }, T);

  it(
    'kill -9 of one stock instance during a burst: every order applied exactly once, one invoice each',
    async () => {
      const skus = [uniqueSku('A'), uniqueSku('B')];
      for (const sku of skus) expect((await putJson(`${survivor.url}/stock/${sku}`, { available: INITIAL })).status).toBe(200);
      const quantities = Array.from({ length: BURST }, (_, i) => [1 + (i % 3), 1 + (i % 2)] as const);
      let heldByVictim = 0;
      const statuses = await runPool(quantities, 8, async ([a, b], index) => {
        if (index === BURST / 3) {
          await victim.kill9();
          heldByVictim = (await redis.cluster.client.xpending(ORDERS_STREAM, 'stock', '-', '+', 1_000, 'stock-victim')).length;
        }
        const response = await postJson<CheckoutAccepted>(`${checkout.url}/checkout`, {
          customerId: `c-${index}`,
          items: [
            { sku: skus[0], quantity: a, unitPrice: 1 },
            { sku: skus[1], quantity: b, unitPrice: 2 },
          ],
        });
        return response.status;
      });
      expect(statuses.filter((status) => status !== 202)).toEqual([]);

      await eventually(
        'every order reserved and invoiced, nothing pending',
        async () => {
          const outcomes = await onMasterOf('{stock}', (client) => scanKeys(client, 'stock:{stock}:order:*'));
          const invoices = await onMasterOf('{invoices}', (client) => scanKeys(client, 'invoice:{invoices}:order:*'));
          return (
            outcomes.length === BURST &&
            invoices.length === BURST &&
            Number((await redis.cluster.client.xpending(ORDERS_STREAM, 'stock'))[0]) === 0
          );
        },
        90_000,
      );
      console.log(`cluster kill -9 burst: ${BURST} orders, victim held ${heldByVictim} entries when killed`);
      const expectedA = INITIAL - quantities.reduce((sum, [a]) => sum + a, 0);
      const expectedB = INITIAL - quantities.reduce((sum, [, b]) => sum + b, 0);
      expect((await getJson<StockLevel>(`${survivor.url}/stock/${skus[0]}`)).body.available).toBe(expectedA);
      expect((await getJson<StockLevel>(`${survivor.url}/stock/${skus[1]}`)).body.available).toBe(expectedB);
      // One invoice number per order: the sequence ran exactly once per order.
      expect(Number(await redis.cluster.client.get('invoice:{invoices}:sequence'))).toBe(BURST);
      expect((await redis.cluster.client.xpending(ORDERS_STREAM, 'stock', '-', '+', 1_000, 'stock-victim')).length).toBe(0);
    },
    T,
  );

  it(
    "a master restart: 503 fast for its slots, the other masters' keep serving, then everything resumes and nothing is lost",
    async () => {
      const sku = uniqueSku('R');
      expect((await putJson(`${survivor.url}/stock/${sku}`, { available: 100 })).status).toBe(200);
      const before = await Promise.all(
        Array.from({ length: 5 }, () => placeOrder(checkout.url, [{ sku, quantity: 1, unitPrice: 1 }])),
      );
      const [firstInvoiced] = before;
      await eventually(
        'the first order invoiced',
        async () => (await getJson(`${invoice.url}/invoices/${firstInvoiced.orderId}`)).status === 200,
      );

      // {orders} (checkout's keys and the orders stream) and {stock} live on this master; {invoices} elsewhere.
      const master = await redis.cluster.masterOf(ORDERS_STREAM);
      expect((await redis.cluster.masterOf('{invoices}')).port).not.toBe(master.port);
      await master.stop();
      try {
        const started = Date.now();
        const refused = await postJson(`${checkout.url}/checkout`, {
          customerId: 'c-down',
          items: [{ sku, quantity: 1, unitPrice: 1 }],
        });
        const elapsedMs = Date.now() - started;
        expect(refused.status).toBe(503);
        expect(elapsedMs).toBeLessThan(5_000);
        console.log(`cluster master down: POST /checkout answered ${refused.status} in ${elapsedMs} ms`);
        // Invoice's own keys are on a master that runs: it still answers from them.
        expect((await getJson(`${invoice.url}/invoices/${firstInvoiced.orderId}`)).status).toBe(200);
        expect((await request('GET', `${checkout.url}/health`)).status).toBe(503);
      } finally {
        await master.restart();
      }
      await redis.cluster.waitUntilOk();

      const after = await eventually('checkout accepts again', async () => {
        const response = await postJson<CheckoutAccepted>(`${checkout.url}/checkout`, {
          customerId: 'c-up',
          items: [{ sku, quantity: 1, unitPrice: 1 }],
        });
        return response.status === 202 ? response.body : undefined;
      });
      for (const { orderId } of [...before, after]) {
        await eventually(
          `order ${orderId} fully handled`,
          async () => {
            const view = await getJson<OrderView>(`${checkout.url}/orders/${orderId}`);
            return view.body.progress?.stock === 'reserved' && view.body.progress.invoice === 'issued';
          },
          30_000,
        );
      }
      expect((await getJson<StockLevel>(`${survivor.url}/stock/${sku}`)).body.available).toBe(100 - before.length - 1);
      for (const app of [checkout, invoice, survivor]) {
        await eventually(`${app.name} healthy again`, async () => (await request('GET', `${app.url}/health`)).status === 200);
      }
    },
    T,
  );
});
