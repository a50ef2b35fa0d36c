// Redis away, or refusing writes: every endpoint that needs Redis answers 503 with the reason and
// Retry-After (never a 500), nothing is half-written, and /health says why.
import { startApps, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, putJson, request, type HttpResponse } from '../support/http.js';
import { scanKeys } from '../support/redis-client.js';
import { ORDERS_STREAM, orderBody, placeOrder, uniqueSku } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

const T = 90_000;
const TOKEN = 'refusing-test-admin-token';
const DEAD_LETTERS = `/admin/dead-letters/${encodeURIComponent(ORDERS_STREAM)}/invoice`;

interface Unavailable {
  statusCode: number;
  reason: string;
  redisError?: string;
  message: string;
  outcome?: string;
}

interface Health {
  status: string;
  error?: { eventbus?: { redis: string; reason?: string } };
}

function expect503(response: HttpResponse<Unavailable>, reason: string): void {
  expect({ status: response.status, reason: response.body?.reason, retryAfter: response.headers.get('retry-after') }).toEqual({
    status: 503,
    reason,
    retryAfter: '5',
  });
}

describe('Redis refusing writes or away', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });
  let apps: Record<'checkout' | 'stock' | 'invoice' | 'distribution', AppProcess>;
  const admin = { headers: { authorization: `Bearer ${TOKEN}` } };

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock', 'invoice', 'distribution'], {
      redisUrl: redis.url,
      env: { EVENTBUS_ADMIN_TOKEN: TOKEN },
      healthTimeoutMs: 45_000,
    });
  }, T);

  it(
    'at maxmemory with noeviction: POST /checkout and PUT /stock are 503 "redis-refuses-writes" with nothing written, /health is 503 naming OOM',
    async () => {
      const sku = uniqueSku();
      expect((await putJson(`${apps.stock.url}/stock/${sku}`, { available: 5 })).status).toBe(200);
      const placed = await placeOrder(apps.checkout.url, [{ sku, quantity: 1, unitPrice: 2 }]);
      await eventually('the first order handled by every service', async () => {
        const { body } = await getJson<{ progress: Record<string, string> }>(`${apps.checkout.url}/orders/${placed.orderId}`);
        return Object.values(body.progress).every((state) => state !== 'pending');
      });

      // At maxmemory: the limit just above what is used, then filled until Redis refuses.
      const used = Number(/used_memory:(\d+)/.exec(await redis.client.info('memory'))?.[1]);
      await redis.client.config('SET', 'maxmemory-policy', 'noeviction');
      await redis.client.config('SET', 'maxmemory', String(used + 256 * 1024));
      let refused = false;
      for (let i = 0; i < 200 && !refused; i++) {
        refused = await redis.client.set(`filler:${i}`, 'x'.repeat(16 * 1024)).then(
          () => false,
          (error: Error) => /^OOM/.test(error.message),
        );
      }
      expect(refused).toBe(true);

      try {
        const streamLength = await redis.client.xlen(ORDERS_STREAM);
        const orders = await scanKeys(redis.client, 'checkout:{orders}:order:*');
        const checkout = await request<Unavailable>('POST', `${apps.checkout.url}/checkout`, {
          json: orderBody([{ sku, quantity: 1, unitPrice: 2 }]),
          headers: { 'idempotency-key': `oom-${sku}` },
        });
        expect503(checkout, 'redis-refuses-writes');
        expect(checkout.body).toMatchObject({ redisError: 'OOM', outcome: 'not-applied' });
        expect(checkout.body.message).toMatch(/OOM/);

        const stock = await putJson<Unavailable>(`${apps.stock.url}/stock/${sku}`, { available: 99 });
        expect503(stock, 'redis-refuses-writes');
        expect(stock.body).toMatchObject({ redisError: 'OOM', outcome: 'not-applied' });

        // Nothing half-written: no order, no idempotency record, no stream entry, the level as it was.
        expect(await redis.client.xlen(ORDERS_STREAM)).toBe(streamLength);
        expect(await scanKeys(redis.client, 'checkout:{orders}:order:*')).toEqual(orders);
        expect(await redis.client.exists(`checkout:{orders}:idempotency:oom-${sku}`)).toBe(0);
        expect(await redis.client.get(`stock:{stock}:sku:${sku}`)).toBe('4');

        // Redis still answers PING, yet /health must not say 200.
        expect(await redis.client.ping()).toBe('PONG');
        const health = await getJson<Health>(`${apps.checkout.url}/health`);
        expect(health.status).toBe(503);
        expect(health.body.error?.eventbus).toMatchObject({ redis: 'refuses-writes', reason: 'OOM' });
      } finally {
        await redis.client.config('SET', 'maxmemory', '0');
      }

      // Memory back: writes go through again.
      await eventually('checkout healthy again', async () => (await getJson(`${apps.checkout.url}/health`)).status === 200);
      expect((await putJson(`${apps.stock.url}/stock/${sku}`, { available: 99 })).status).toBe(200);
      await placeOrder(apps.checkout.url, [{ sku, quantity: 1, unitPrice: 2 }]);
    },
    T,
  );

  it(
    'with Redis stopped: every endpoint that needs Redis answers 503 "redis-unreachable" with Retry-After, none 500',
    async () => {
      const sku = uniqueSku();
      const order = await placeOrder(apps.checkout.url, [{ sku, quantity: 1, unitPrice: 2 }]);
      await redis.server.stop();
      try {
        const calls: [string, () => Promise<HttpResponse<Unavailable>>][] = [
          [
            'POST /checkout',
            () => request('POST', `${apps.checkout.url}/checkout`, { json: orderBody([{ sku, quantity: 1, unitPrice: 2 }]) }),
          ],
          ['GET /orders/:id', () => getJson(`${apps.checkout.url}/orders/${order.orderId}`)],
          ['GET /stock/:sku', () => getJson(`${apps.stock.url}/stock/${sku}`)],
          ['PUT /stock/:sku', () => putJson(`${apps.stock.url}/stock/${sku}`, { available: 3 })],
          ['GET /invoices/:orderId', () => getJson(`${apps.invoice.url}/invoices/${order.orderId}`)],
          ['GET /shipments/:orderId', () => getJson(`${apps.distribution.url}/shipments/${order.orderId}`)],
          ['GET dead letters', () => getJson(`${apps.invoice.url}${DEAD_LETTERS}`, admin)],
          ['GET /streams/lag', () => getJson(`${apps.stock.url}/streams/lag`)],
        ];
        for (const [name, call] of calls) {
          const response = await call();
          expect({
            name,
            status: response.status,
            reason: response.body?.reason,
            retryAfter: response.headers.get('retry-after'),
          }).toEqual({
            name,
            status: 503,
            reason: 'redis-unreachable',
            retryAfter: '5',
          });
        }
        const health = await getJson<Health>(`${apps.invoice.url}/health`);
        expect(health.status).toBe(503);
        expect(health.body.error?.eventbus?.redis).toBe('unreachable');
      } finally {
        await redis.server.restart();
      }
      await eventually('stock healthy again', async () => (await getJson(`${apps.stock.url}/health`)).status === 200);
    },
    T,
  );
});
