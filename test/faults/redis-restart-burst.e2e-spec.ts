// Fault injection: Redis (AOF, fsync always) is stopped and restarted in the middle of a burst of
// orders. Every 202 must reach stock, invoice and distribution; everything else must be a 503; no
// effect may happen twice.
import type { CheckoutAccepted, OrderView } from '../support/api.js';
import { startApps, type AppProcess, type AppName } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, postJson, putJson, sleep } from '../support/http.js';
import { runPool } from '../support/pool.js';
import { scanKeys } from '../support/redis-client.js';
import { uniqueSku } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

const ORDERS = 400;
const INITIAL = 100_000;

describe('Redis stopped and restarted during a burst', () => {
  const redis = useRedis({ aof: true });
  let apps: Record<AppName, AppProcess>;

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock', 'invoice', 'distribution'], { redisUrl: redis.url });
  }, 60_000);

  it('delivers every accepted order once to every service, and answers 503 for the rest', async () => {
    const sku = uniqueSku('R');
    expect((await putJson(`${apps.stock.url}/stock/${sku}`, { available: INITIAL })).status).toBe(200);

    let outage: Promise<void> | undefined;
    let recovered: Promise<unknown> | undefined;
    const results = await runPool(
      Array.from({ length: ORDERS }, (_, i) => i),
      8,
      async (index) => {
        if (index === 100) {
          outage = (async () => {
            await redis.server.stop();
            await sleep(1_500);
            await redis.server.restart();
          })();
        }
        if (index >= 250) {
          // Later clients come after Redis is back and checkout says it is healthy again.
          recovered ??= outage!.then(() =>
            eventually('checkout healthy again', async () => (await getJson(`${apps.checkout.url}/health`)).status === 200),
          );
          await recovered;
        }
        const started = Date.now();
        const response = await postJson<CheckoutAccepted>(
          `${apps.checkout.url}/checkout`,
          {
            customerId: `c-${index}`,
            items: [{ sku, quantity: 1 + (index % 4), unitPrice: 3 }],
          },
          { timeoutMs: 10_000 },
        );
        const body = response.body as Partial<CheckoutAccepted> & { outcome?: string };
        return { index, status: response.status, orderId: body?.orderId, outcome: body?.outcome, ms: Date.now() - started };
      },
    );
    await outage;

    const accepted = results.filter((r) => r.status === 202);
    const refused = results.filter((r) => r.status === 503);
    expect(results.filter((r) => r.status !== 202 && r.status !== 503)).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    expect(results.slice(250).every((r) => r.status === 202)).toBe(true);
    expect(Math.max(...refused.map((r) => r.ms))).toBeLessThan(5_000);

    // redis.client connects on first use, i.e. here, after the outage.
    const { client } = redis;
    await eventually(
      'every accepted order fully processed',
      async () => {
        for (const { orderId } of accepted) {
          const order = await getJson<OrderView>(`${apps.checkout.url}/orders/${orderId}`);
          const { stock, invoice, distribution } = order.body.progress;
          if (stock !== 'reserved' || invoice !== 'issued' || distribution !== 'picking') return false;
        }
        return true;
      },
      60_000,
    );

    // Orders in Redis: all accepted ones, plus any whose reply was lost in the outage (the client
    // saw a 503 for an order Redis had executed: an Idempotency-Key retry resolves that case).
    const stored = (await scanKeys(client, 'checkout:{orders}:order:*')).map((key) => key.split(':').pop()!);
    const acceptedIds = new Set(accepted.map((r) => r.orderId!));
    expect(stored.filter((id) => acceptedIds.has(id)).length).toBe(accepted.length);
    // ...and each of those was announced as such: a 503 with outcome "unknown" naming the order.
    const mayExist = new Set(refused.filter((r) => r.outcome === 'unknown').map((r) => r.orderId));
    expect(stored.filter((id) => !acceptedIds.has(id) && !mayExist.has(id))).toEqual([]);
    expect(refused.every((r) => r.outcome === 'unknown' || r.outcome === 'not-applied')).toBe(true);

    const quantityOf = new Map(results.map((r) => [r.orderId, 1 + (r.index % 4)]));
    const orders = await Promise.all(stored.map((id) => getJson<OrderView>(`${apps.checkout.url}/orders/${id}`)));
    const lowered = orders.reduce((sum, o) => sum + o.body.items[0].quantity, 0);
    expect(lowered).toBe(
      stored.reduce(
        (sum, id) => sum + (quantityOf.get(id) ?? orders.find((o) => o.body.orderId === id)!.body.items[0].quantity),
        0,
      ),
    );
    await eventually(
      'stock lowered once per stored order',
      async () => (await getJson<{ available: number }>(`${apps.stock.url}/stock/${sku}`)).body.available === INITIAL - lowered,
      30_000,
    );

    const invoices = await scanKeys(client, 'invoice:{invoices}:order:*');
    expect(invoices.length).toBe(stored.length);
    expect(Number(await client.get('invoice:{invoices}:sequence'))).toBe(stored.length);
    expect((await scanKeys(client, 'distribution:{shipments}:order:*')).length).toBe(stored.length);
    console.log(
      `Redis restart burst: ${ORDERS} orders, ${accepted.length} accepted (202), ${refused.length} refused (503), ${stored.length - accepted.length} ambiguous`,
    );
  });
});
