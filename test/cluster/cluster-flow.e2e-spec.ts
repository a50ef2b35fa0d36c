// The whole system on a real 3-master Redis Cluster (REDIS_CLUSTER_NODES): the purchase flow, a
// consumer that was never started, the operational endpoints, retention and a dead-letter redrive,
// with no Redis error (CROSSSLOT or any other) in any app's output.
import type { Invoice, LagReport, OrderView, Shipment, StockLevel } from '../support/api.js';
import { startApp, startApps, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, putJson, request } from '../support/http.js';
import { useRedisCluster } from '../support/redis-cluster.js';
import {
  INVOICES_STREAM,
  ORDERS_STREAM,
  placeOrder,
  SHIPMENTS_STREAM,
  STOCK_STREAM,
  STREAM_GROUPS,
  uniqueSku,
} from '../support/system.js';

const T = 120_000;
const TOKEN = 'cluster-admin-token-0123456789';
const ORDERS = 20;
/** What an app prints when Redis refused or failed a command (or a read or write failed at all). */
const REDIS_ERRORS = /CROSSSLOT|ReplyError|Too many Cluster redirections|Cluster isn't ready|MOVED|ASK |NOSCRIPT|ERR |failed \(/;
const redisErrors = (app: AppProcess) =>
  app
    .output()
    .split('\n')
    .filter((line) => REDIS_ERRORS.test(line));

describe('the system on a Redis Cluster', () => {
  const redis = useRedisCluster();
  let apps: Record<'checkout' | 'stock' | 'invoice', AppProcess>;
  const env = {
    EVENTBUS_ADMIN_TOKEN: TOKEN,
    EVENTBUS_MAX_DELIVERIES: '2',
    EVENTBUS_RETENTION_MAX_LENGTH: '5',
    EVENTBUS_RETENTION_INTERVAL_MS: '500',
  };
  // REDIS_URL points nowhere: with REDIS_CLUSTER_NODES set the apps must not use it.
  const options = () => ({ redisUrl: 'redis://127.0.0.1:1', clusterNodes: redis.cluster.nodes, env });

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock', 'invoice'], options());
  }, T);

  it(
    'runs the purchase flow; distribution, started only afterwards, gets every order; nothing logs a Redis error',
    async () => {
      // The streams spread over the masters by their hash tags.
      const homes = await Promise.all(
        [ORDERS_STREAM, STOCK_STREAM, INVOICES_STREAM, SHIPMENTS_STREAM].map((stream) => redis.cluster.masterOf(stream)),
      );
      expect(new Set(homes.map((master) => master.port)).size).toBeGreaterThan(1);

      const sku = uniqueSku('C');
      const other = uniqueSku('D');
      expect((await putJson(`${apps.stock.url}/stock/${sku}`, { available: 1_000 })).status).toBe(200);
      expect((await putJson(`${apps.stock.url}/stock/${other}`, { available: 1_000 })).status).toBe(200);
      const accepted = [];
      for (let i = 0; i < ORDERS; i++) {
        accepted.push(
          await placeOrder(apps.checkout.url, [
            { sku, quantity: 2, unitPrice: 10 },
            { sku: other, quantity: 1, unitPrice: 3 },
          ]),
        );
      }
      // Stock and invoice handle every order while distribution has never run.
      await eventually('stock reserved for every order', async () => {
        const level = await getJson<StockLevel>(`${apps.stock.url}/stock/${sku}`);
        return level.body.available === 1_000 - 2 * ORDERS;
      });
      expect((await getJson<StockLevel>(`${apps.stock.url}/stock/${other}`)).body.available).toBe(1_000 - ORDERS);
      const numbers = new Set<string | number>();
      for (const { orderId } of accepted) {
        const invoice = await eventually(`invoice of ${orderId}`, async () => {
          const response = await getJson<Invoice>(`${apps.invoice.url}/invoices/${orderId}`);
          return response.status === 200 ? response.body : undefined;
        });
        expect(invoice.total).toBeCloseTo(23, 6);
        numbers.add(invoice.number);
      }
      expect(numbers.size).toBe(ORDERS);

      const distribution = await startApp('distribution', options());
      for (const { orderId } of accepted) {
        const view = await eventually(`order ${orderId} fully handled`, async () => {
          const response = await getJson<OrderView>(`${apps.checkout.url}/orders/${orderId}`);
          const { progress } = response.body;
          return progress?.stock === 'reserved' && progress.invoice === 'issued' && progress.distribution === 'picking'
            ? response.body
            : undefined;
        });
        expect(view.total).toBeCloseTo(23, 6);
        const shipment = await getJson<Shipment>(`${distribution.url}/shipments/${orderId}`);
        expect(shipment.status).toBe(200);
      }
      expect((await getJson<StockLevel>(`${apps.stock.url}/stock/${sku}`)).body.available).toBe(1_000 - 2 * ORDERS);

      // Every group drains, as every app sees it.
      for (const app of [apps.checkout, apps.stock, apps.invoice, distribution]) {
        await eventually(`${app.name} sees every group drained`, async () => {
          const report = (await getJson<LagReport>(`${app.url}/streams/lag`)).body;
          return Object.entries(STREAM_GROUPS).every(([stream, groups]) =>
            groups.every((group) => {
              const lag = report.streams.find((s) => s.stream === stream)?.groups.find((g) => g.group === group);
              return lag?.lag === 0 && lag.pending === 0;
            }),
          );
        });
      }
      for (const app of [apps.checkout, apps.stock, apps.invoice, distribution]) {
        expect((await getJson(`${app.url}/health`)).status).toBe(200);
        expect(redisErrors(app)).toEqual([]);
      }
    },
    T,
  );

  it(
    'serves /metrics and trims every stream under the acknowledged floor',
    async () => {
      const metrics = await request('GET', `${apps.checkout.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/eventbus_redis_up 1/);
      expect(metrics.text).toContain(`stream="${ORDERS_STREAM}"`);
      // Retention (max length 5) ran on every stream's own master, its lock on a fourth slot.
      for (const stream of [ORDERS_STREAM, STOCK_STREAM, INVOICES_STREAM, SHIPMENTS_STREAM]) {
        await eventually(`${stream} trimmed`, async () => (await redis.cluster.client.xlen(stream)) <= 5);
        expect(Number(await redis.cluster.client.hget(`${stream}:retention`, 'trimmed'))).toBeGreaterThan(0);
      }
    },
    T,
  );

  it(
    'dead-letters an order stock cannot handle and redrives it once repaired',
    async () => {
      const broken = uniqueSku('X');
      const skuKey = `stock:{stock}:sku:${broken}`;
      await redis.cluster.client.hset(skuKey, 'oops', '1'); // WRONGTYPE in stock's script, on every delivery
      const { orderId } = await placeOrder(apps.checkout.url, [{ sku: broken, quantity: 1, unitPrice: 1 }]);
      const admin = `${apps.stock.url}/admin/dead-letters/${encodeURIComponent(ORDERS_STREAM)}/stock`;
      const headers = { authorization: `Bearer ${TOKEN}` };
      const [dead] = await eventually(
        'the order dead-lettered',
        async () => {
          const response = await request<{ deadLetters: { id: string; reason: string }[] }>('GET', admin, { headers });
          return response.body.deadLetters?.length === 1 ? response.body.deadLetters : undefined;
        },
        30_000,
      );
      expect(dead.reason).toBe('handler-failed');

      await redis.cluster.client.del(skuKey);
      await redis.cluster.client.set(skuKey, '5');
      const redrive = await request<{ redriven: number }>('POST', `${admin}/${dead.id}/redrive`, { headers });
      expect(redrive.body.redriven).toBe(1);
      await eventually('the redriven order applied', async () => {
        const view = await getJson<OrderView>(`${apps.checkout.url}/orders/${orderId}`);
        return view.body.progress?.stock === 'reserved';
      });
      expect((await getJson<StockLevel>(`${apps.stock.url}/stock/${broken}`)).body.available).toBe(4);
      expect(await redis.cluster.client.xlen(`${ORDERS_STREAM}:dlq:stock`)).toBe(0);
    },
    T,
  );
});
