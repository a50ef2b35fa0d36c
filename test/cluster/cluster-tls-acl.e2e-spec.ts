// REDIS_CLUSTER_NODES with rediss:// seed nodes and an ACL user: every node the client discovers
// is reached through TLS with the same user, as on one node.
import type { OrderView, StockLevel } from '../support/api.js';
import { startApps, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, putJson } from '../support/http.js';
import { useRedisCluster } from '../support/redis-cluster.js';
import { placeOrder, uniqueSku } from '../support/system.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-cert.js';

const T = 120_000;
const USER = { name: 'bus-app', password: 'cluster-secret-password-1234' };

describe('a Redis Cluster over TLS with an ACL user', () => {
  let certs: TestCertificates;
  beforeAll(async () => {
    certs = await makeTestCertificates();
  });
  // The certificates exist before the cluster starts (hooks run in declaration order).
  const redis = useRedisCluster({
    user: USER,
    get tls() {
      return certs;
    },
  });
  let apps: Record<'checkout' | 'stock', AppProcess>;

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock'], {
      redisUrl: 'redis://127.0.0.1:1',
      clusterNodes: redis.cluster.nodes,
      env: { NODE_EXTRA_CA_CERTS: certs.caFile },
    });
  }, T);

  afterAll(async () => {
    await certs?.remove();
  });

  it(
    'places an order and reserves its stock on the TLS cluster, never printing the password',
    async () => {
      expect(redis.cluster.nodes).toMatch(/^rediss:\/\/bus-app:/);
      const sku = uniqueSku('T');
      expect((await putJson(`${apps.stock.url}/stock/${sku}`, { available: 10 })).status).toBe(200);
      const { orderId } = await placeOrder(apps.checkout.url, [{ sku, quantity: 3, unitPrice: 1 }]);
      await eventually('the order reserved', async () => {
        const view = await getJson<OrderView>(`${apps.checkout.url}/orders/${orderId}`);
        return view.body.progress?.stock === 'reserved';
      });
      expect((await getJson<StockLevel>(`${apps.stock.url}/stock/${sku}`)).body.available).toBe(7);
      // The order went to the stream, written as the ACL user (the default user is off).
      expect(await redis.cluster.client.xlen('events:{orders}')).toBe(1);
      const master = redis.cluster.client.nodes('master').find((node) => node.options.port === redis.cluster.masters[0].port);
      expect(await master?.client('LIST')).toMatch(/user=bus-app/);
      for (const app of Object.values(apps)) expect(app.output()).not.toContain(USER.password);
    },
    T,
  );
});
