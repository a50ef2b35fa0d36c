// Fault injection: one of two stock instances is killed with SIGKILL in the middle of a burst of
// 1,200 orders. Every order must still be applied exactly once, and nothing may stay pending.
import type { CheckoutAccepted } from '../support/api.js';
import { startApp, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, postJson, putJson } from '../support/http.js';
import { runPool } from '../support/pool.js';
import { pendingCount, scanKeys } from '../support/redis-client.js';
import { ORDERS_STREAM, uniqueSku } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

const ORDERS = 1_200;
const INITIAL = 1_000_000;

describe('kill -9 of one stock instance during a burst', () => {
  const redis = useRedis();
  let checkout: AppProcess;
  let survivor: AppProcess;
  let victim: AppProcess;

  beforeAll(async () => {
    const env = { EVENTBUS_CLAIM_IDLE_MS: '1000' };
    [checkout, survivor, victim] = await Promise.all([
      startApp('checkout', { redisUrl: redis.url }),
      startApp('stock', { redisUrl: redis.url, env: { ...env, EVENTBUS_CONSUMER: 'stock-survivor' } }),
      startApp('stock', { redisUrl: redis.url, env: { ...env, EVENTBUS_CONSUMER: 'stock-victim' } }),
    ]);
  }, 60_000);

  it('applies every order exactly once and leaves nothing pending', async () => {
    const skus = [uniqueSku('A'), uniqueSku('B')];
    for (const sku of skus) expect((await putJson(`${survivor.url}/stock/${sku}`, { available: INITIAL })).status).toBe(200);

    let killedAfter = -1;
    let heldByVictim = 0;
    const quantities = Array.from({ length: ORDERS }, (_, i) => [1 + (i % 3), 1 + (i % 2)] as const);
    const statuses = await runPool(quantities, 16, async ([a, b], index) => {
      if (index === 400) {
        killedAfter = index;
        await victim.kill9();
        heldByVictim = (await redis.client.xpending(ORDERS_STREAM, 'stock', '-', '+', 1_000, 'stock-victim')).length;
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
    expect(killedAfter).toBe(400);
    expect(statuses.filter((status) => status !== 202)).toEqual([]);

    await eventually(
      'every order reserved, nothing pending',
      async () => {
        const outcomes = await scanKeys(redis.client, 'stock:{stock}:order:*');
        return outcomes.length === ORDERS && (await pendingCount(redis.client, ORDERS_STREAM, 'stock')) === 0;
      },
      60_000,
    );

    // What the victim held when it died was claimed by the survivor, not lost.
    if (heldByVictim > 0) expect(survivor.output()).toMatch(/Claimed \d+ entries/);
    expect((await redis.client.xpending(ORDERS_STREAM, 'stock', '-', '+', 1_000, 'stock-victim')).length).toBe(0);
    console.log(`kill -9 burst: ${ORDERS} orders, victim held ${heldByVictim} entries when killed`);

    const expectedA = INITIAL - quantities.reduce((sum, [a]) => sum + a, 0);
    const expectedB = INITIAL - quantities.reduce((sum, [, b]) => sum + b, 0);
    expect((await getJson<{ available: number }>(`${survivor.url}/stock/${skus[0]}`)).body.available).toBe(expectedA);
    expect((await getJson<{ available: number }>(`${survivor.url}/stock/${skus[1]}`)).body.available).toBe(expectedB);
    const info = (await redis.client.xinfo('GROUPS', ORDERS_STREAM)) as unknown[][];
    const stock = info.map((row) => Object.fromEntries(chunk(row))).find((group) => group.name === 'stock');
    expect(stock).toMatchObject({ pending: 0, lag: 0 });
  });
});

function chunk(row: unknown[]): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  for (let i = 0; i + 1 < row.length; i += 2) pairs.push([String(row[i]), row[i + 1]]);
  return pairs;
}
