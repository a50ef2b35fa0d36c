// Issue 7 point 8: after a FLUSHALL while distribution is down, any running app restores the whole
// declared topology, so distribution's backlog shows and reaches it when it comes back.
import { startApp, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson } from '../support/http.js';
import { groupLag, ORDERS_STREAM, placeOrder } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

const T = 120_000;

describe('a vanished group of a stopped service', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url });
    await startApp('stock', { redisUrl: redis.url });
  }, T);

  it(
    'is restored by the running apps after a FLUSHALL, and its service gets every order on return',
    async () => {
      const distribution = await startApp('distribution', { redisUrl: redis.url });
      await distribution.stop();
      await redis.client.flushall();
      const orders = [];
      for (let i = 0; i < 5; i++) orders.push(await placeOrder(checkout.url));
      const lag = await eventually('distribution lag 5', async () => {
        const found = await groupLag(checkout.url, ORDERS_STREAM, 'distribution');
        return found?.lag === 5 ? found : undefined;
      });
      expect(lag).toMatchObject({ pending: 0, status: 'STOP' });
      // Not only reported: the group is back in Redis, holding the orders for distribution.
      const groups = async () => ((await redis.client.xinfo('GROUPS', ORDERS_STREAM)) as unknown[][]).map((g) => String(g[1]));
      await eventually('distribution group recreated by checkout or stock', async () =>
        (await groups()).includes('distribution'),
      );

      const back = await startApp('distribution', { redisUrl: redis.url });
      for (const { orderId } of orders) {
        await eventually(
          `shipment of ${orderId}`,
          async () => (await getJson(`${back.url}/shipments/${orderId}`)).status === 200,
          30_000,
        );
      }
      await eventually('distribution drained', async () => {
        const drained = await groupLag(checkout.url, ORDERS_STREAM, 'distribution');
        return drained?.lag === 0 && drained.pending === 0;
      });
    },
    T,
  );
});
