// A master of a Redis Cluster with one replica per master fails over to its replica while orders
// arrive: the apps follow the new master, every accepted order is handled exactly once.
import { Redis } from 'ioredis';
import type { CheckoutAccepted, OrderView, StockLevel } from '../support/api.js';
import { startApp, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, postJson, putJson } from '../support/http.js';
import { runPool } from '../support/pool.js';
import type { RedisServer } from '../support/redis-server.js';
import { useRedisCluster } from '../support/redis-cluster.js';
import { ORDERS_STREAM, uniqueSku } from '../support/system.js';

const T = 180_000;
const ORDERS = 200;
const INITIAL = 100_000;

describe('failover of a cluster master to its replica', () => {
  const redis = useRedisCluster({ replicas: true, nodeTimeoutMs: 2_000 });
  let checkout: AppProcess;
  let stock: AppProcess;
  let invoice: AppProcess;

  beforeAll(async () => {
    const options = {
      redisUrl: 'redis://127.0.0.1:1',
      clusterNodes: redis.cluster.nodes,
      env: { EVENTBUS_CLAIM_IDLE_MS: '1000' },
    };
    [checkout, stock, invoice] = await Promise.all([
      startApp('checkout', options),
      startApp('stock', options),
      startApp('invoice', options),
    ]);
  }, T);

  /** A plain admin connection to one node. */
  const onNode = async <R>(server: RedisServer, run: (client: Redis) => Promise<R>): Promise<R> => {
    const client = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      return await run(client);
    } finally {
      client.disconnect();
    }
  };
  const role = (server: RedisServer) =>
    onNode(server, async (client) => /role:(\w+)/.exec(await client.info('replication'))?.[1]);

  /**
   * `ORDERS` orders, 4 at a time, with `fault` run before the order at a quarter; then checks
   * that every accepted one is reserved and invoiced exactly once. Returns the accepted count.
   */
  const burst = async (fault: () => Promise<void>): Promise<{ accepted: number; refused: number }> => {
    const sku = uniqueSku('F');
    expect((await putJson(`${stock.url}/stock/${sku}`, { available: INITIAL })).status).toBe(200);
    const sequenceBefore = Number(await redis.cluster.client.get('invoice:{invoices}:sequence'));
    const results = await runPool(
      Array.from({ length: ORDERS }, (_, i) => 1 + (i % 3)),
      4,
      async (quantity, index) => {
        if (index === ORDERS / 4) await fault();
        const response = await postJson<CheckoutAccepted>(`${checkout.url}/checkout`, {
          customerId: `c-${index}`,
          items: [{ sku, quantity, unitPrice: 1 }],
        });
        return { status: response.status, quantity, orderId: response.body?.orderId };
      },
    );
    const accepted = results.filter((result) => result.status === 202);
    // Refused while the slot moved, never failed otherwise.
    expect(results.filter((result) => result.status !== 202 && result.status !== 503)).toEqual([]);
    expect(accepted.length).toBeGreaterThan(ORDERS / 2);
    await eventually(
      'every accepted order reserved',
      async () => {
        const level = await getJson<StockLevel>(`${stock.url}/stock/${sku}`);
        return level.body.available === INITIAL - accepted.reduce((sum, { quantity }) => sum + quantity, 0);
      },
      60_000,
    );
    for (const { orderId } of accepted) {
      await eventually(`order ${orderId} handled`, async () => {
        const view = await getJson<OrderView>(`${checkout.url}/orders/${orderId}`);
        return view.body.progress?.stock === 'reserved' && view.body.progress.invoice === 'issued';
      });
    }
    expect(Number(await redis.cluster.client.get('invoice:{invoices}:sequence')) - sequenceBefore).toBe(accepted.length);
    expect([checkout, stock, invoice].filter((app) => app.exited)).toEqual([]);
    return { accepted: accepted.length, refused: ORDERS - accepted.length };
  };

  it(
    'a manual failover (CLUSTER FAILOVER): the apps follow the new master, every accepted order handled once',
    async () => {
      const master = await redis.cluster.masterOf(ORDERS_STREAM);
      let tookMs = 0;
      const { accepted, refused } = await burst(async () => {
        const started = Date.now();
        await redis.cluster.failover(master);
        tookMs = Date.now() - started;
      });
      expect(await role(master)).toBe('slave');
      console.log(`cluster manual failover: ${accepted} of ${ORDERS} accepted, ${refused} refused (503); took ${tookMs} ms`);
    },
    T,
  );

  it(
    'kill -9 of the master: its replica takes over after the node timeout, every accepted order handled once',
    async () => {
      // After the first test the first master's former replica leads {orders}; the old master follows it.
      const [first] = redis.cluster.masters;
      const leader = redis.cluster.replicas[0];
      expect(await role(leader)).toBe('master');
      let tookMs = 0;
      const { accepted, refused } = await burst(async () => {
        const started = Date.now();
        await leader.kill9();
        await eventually('the old master takes over', async () => (await role(first)) === 'master', 30_000);
        tookMs = Date.now() - started;
      });
      console.log(
        `cluster kill -9 failover: ${accepted} of ${ORDERS} accepted, ${refused} refused (503); replica promoted in ${tookMs} ms`,
      );
    },
    T,
  );
});
