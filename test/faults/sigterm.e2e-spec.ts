// SIGTERM while invoice is working through a backlog: it exits 0 within 10 s, and after a restart
// every order has exactly one invoice, numbered without gaps.
import type { CheckoutAccepted } from '../support/api.js';
import { startApp, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { postJson } from '../support/http.js';
import { runPool } from '../support/pool.js';
import { pendingCount, scanKeys } from '../support/redis-client.js';
import { ORDERS_STREAM } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

const ORDERS = 600;

describe('SIGTERM during processing', () => {
  const redis = useRedis();
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url });
  });

  it('exits 0 within 10 s and loses nothing', async () => {
    const statuses = await runPool(
      Array.from({ length: ORDERS }, (_, i) => i),
      16,
      async (index) =>
        (
          await postJson<CheckoutAccepted>(`${checkout.url}/checkout`, {
            customerId: `c-${index}`,
            items: [{ sku: 'SKU-T', quantity: 1, unitPrice: 5 }],
          })
        ).status,
    );
    expect(statuses.every((status) => status === 202)).toBe(true);

    const env = { EVENTBUS_CONSUMER: 'invoice-1' };
    const first = await startApp('invoice', { redisUrl: redis.url, env });
    await eventually(
      'invoice has started on the backlog',
      async () => (await scanKeys(redis.client, 'invoice:{invoices}:order:*')).length > 0,
      20_000,
    );
    const issuedBefore = (await scanKeys(redis.client, 'invoice:{invoices}:order:*')).length;
    const stopping = Date.now();
    const code = await first.stop('SIGTERM');
    const tookMs = Date.now() - stopping;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    expect(first.output()).toMatch(/SIGTERM received, shutting down/);

    await startApp('invoice', { redisUrl: redis.url, env });
    await eventually(
      'every order invoiced, nothing pending',
      async () =>
        (await scanKeys(redis.client, 'invoice:{invoices}:order:*')).length === ORDERS &&
        (await pendingCount(redis.client, ORDERS_STREAM, 'invoice')) === 0,
      60_000,
    );
    expect(Number(await redis.client.get('invoice:{invoices}:sequence'))).toBe(ORDERS);
    console.log(`SIGTERM: ${issuedBefore}+ of ${ORDERS} invoiced before the signal, exit 0 after ${tookMs} ms`);
  });
});
