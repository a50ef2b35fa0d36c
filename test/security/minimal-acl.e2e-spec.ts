// The README's minimal ACL, one user per service limited to the streams and its own key prefix, is
// enough to run the whole purchase flow, lag, dead letters and crash recovery.
import { Redis } from 'ioredis';
import type { OrderView } from '../support/api.js';
import { startApp, type AppName, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, putJson } from '../support/http.js';
import { ORDERS_STREAM, placeOrder, uniqueSku } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

/** Kept word for word in the README (Operations → TLS and ACL users). */
const COMMANDS =
  '+@connection +ping +info +client|setname ' +
  '+xadd +xreadgroup +xack +xclaim +xautoclaim +xpending +xgroup|create +xgroup|delconsumer ' +
  '+xinfo|stream +xinfo|groups +xinfo|consumers +xrange +xlen +xdel +multi +exec +evalsha +eval ' +
  '+get +mget +set +hset +hget +hgetall +exists +del +decrby +incr ' +
  '+xtrim +hincrby +time +xrevrange +xgroup|setid ' +
  '+pexpire +zadd +zrange +zrem +zremrangebyscore';
const PREFIX: Record<AppName, string> = {
  checkout: 'checkout',
  stock: 'stock',
  invoice: 'invoice',
  distribution: 'distribution',
};
const password = (app: AppName) => `${app}-password-0123456789`;

describe('minimal ACL per service', () => {
  const users = (Object.keys(PREFIX) as AppName[]).flatMap((app) => [
    '--user',
    app,
    'on',
    `>${password(app)}`,
    'resetkeys',
    '~events:*',
    '~eventbus:*',
    `~${PREFIX[app]}:*`,
    'resetchannels',
    '-@all',
    ...COMMANDS.split(' '),
  ]);
  const redis = useRedis({ extraArgs: ['--user', 'default', 'on', 'nopass', '~*', '+@all', ...users] });
  const apps = {} as Record<AppName, AppProcess>;

  beforeAll(async () => {
    for (const app of Object.keys(PREFIX) as AppName[]) {
      apps[app] = await startApp(app, {
        redisUrl: `redis://${app}:${password(app)}@127.0.0.1:${redis.server.port}`,
        env: { EVENTBUS_RETENTION_INTERVAL_MS: '500' }, // retention runs during the test, under the same ACL
      });
    }
  });

  it('runs a purchase end to end with each service confined to its keys', async () => {
    const sku = uniqueSku('ACL');
    expect((await putJson(`${apps.stock.url}/stock/${sku}`, { available: 3 })).status).toBe(200);
    const accepted = await placeOrder(apps.checkout.url, [{ sku, quantity: 2, unitPrice: 4 }], { 'idempotency-key': 'acl-1' });
    const order = await eventually('order fully processed', async () => {
      const view = await getJson<OrderView>(`${apps.checkout.url}/orders/${accepted.orderId}`);
      const { stock, invoice, distribution } = view.body.progress;
      return stock === 'reserved' && invoice === 'issued' && distribution === 'picking' ? view.body : undefined;
    });
    expect(order.total).toBe(8);
    for (const app of Object.values(apps)) {
      expect((await getJson(`${app.url}/streams/lag`)).status).toBe(200);
      expect((await getJson(`${app.url}/health`)).status).toBe(200);
      expect(app.output()).not.toMatch(/NOPERM|no permissions/i);
      expect(app.output()).not.toContain(password(app.name));
    }
    // ...and the confinement is real: stock cannot read checkout's keys nor run admin commands.
    const asStock = new Redis(`redis://stock:${password('stock')}@127.0.0.1:${redis.server.port}`, { maxRetriesPerRequest: 0 });
    try {
      await expect(asStock.hgetall(`checkout:{orders}:order:${accepted.orderId}`)).rejects.toThrow(/NOPERM/);
      await expect(asStock.flushall()).rejects.toThrow(/NOPERM/);
      expect(await asStock.get(`stock:{stock}:sku:${sku}`)).toBe('1');
    } finally {
      asStock.disconnect();
    }
    const lag = await getJson<{ streams: { stream: string; groups: { pending: number; lag: number }[] }[] }>(
      `${apps.invoice.url}/streams/lag`,
    );
    expect(lag.body.streams.find((s) => s.stream === ORDERS_STREAM)!.groups.every((g) => g.pending === 0 && g.lag === 0)).toBe(
      true,
    );
  });
});
