// The partitioned system on a real 3-master Redis Cluster: checkout and three instances each of
// stock, invoice and distribution share the 4 partitions of `events:{orders}` under leases. A
// consumer started only after the orders gets every one; then a burst of orders, three events per
// order, with a kill -9 of one stock and one distribution instance mid-burst: every effect exactly
// once, each service handled each order's events in publication order, no Redis error anywhere.
import { partitionStreams } from '../../libs/eventbus/src/partitions/partition.streams.js';
import type { CheckoutAccepted, CheckoutBody, StockLevel } from '../support/api.js';
import { startApp, type AppName, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, postJson, putJson } from '../support/http.js';
import {
  appendRepeats,
  checkOrderPerKey,
  drained,
  evenShape,
  leaseHolders,
  partitionedEnv,
  redisErrors,
  scanCluster,
  splitOf,
  splitShape,
  unacknowledged,
} from '../support/partition-order.js';
import { runPool } from '../support/pool.js';
import { useRedisCluster } from '../support/redis-cluster.js';
import { ORDERS_STREAM, placeOrder, SHIPMENTS_STREAM, uniqueSku } from '../support/system.js';

const T = 300_000;
const PARTITIONS = 4;
const EARLY = 30;
const ORDERS = 150;
const INITIAL = 1_000_000;
const GROUPS = ['stock', 'invoice', 'distribution'] as const;
type Group = (typeof GROUPS)[number];

const ordersPartitions = partitionStreams(ORDERS_STREAM, PARTITIONS);
const shipmentsPartitions = partitionStreams(SHIPMENTS_STREAM, PARTITIONS);

describe('partitions on a Redis Cluster: three instances per service', () => {
  const redis = useRedisCluster({}, T);
  let checkout: AppProcess;
  const instances = new Map<Group, Map<string, AppProcess>>();
  const start = (app: AppName, consumer: string) =>
    startApp(app, {
      redisUrl: 'redis://127.0.0.1:1',
      clusterNodes: redis.cluster.nodes,
      env: partitionedEnv(PARTITIONS, consumer),
    });
  const startThree = async (group: Group) => {
    const started = await Promise.all(
      [1, 2, 3].map(async (n) => [`${group}-${n}`, await start(group, `${group}-${n}`)] as const),
    );
    instances.set(group, new Map(started));
  };
  const allApps = () => [checkout, ...[...instances.values()].flatMap((apps) => [...apps.values()])];
  const evenSplit = (group: Group, count: number) =>
    eventually(
      `${group}: ${PARTITIONS} partitions over ${count} instances`,
      async () => {
        const counts = splitOf(await leaseHolders(redis.cluster.client, ordersPartitions, group));
        return splitShape(counts) === evenShape(PARTITIONS, count) ? counts : undefined;
      },
      30_000,
    );

  beforeAll(async () => {
    checkout = await start('checkout', 'checkout-1');
    await startThree('stock');
    await startThree('invoice');
  }, T);

  it(
    'spreads the partitions over the masters; distribution, started after the orders, gets every one',
    async () => {
      const homes = await Promise.all([...ordersPartitions, ...shipmentsPartitions].map((key) => redis.cluster.masterOf(key)));
      expect(new Set(homes.map((master) => master.port)).size).toBeGreaterThan(1);
      const [stockAt] = instances.get('stock')!.values();
      const sku = uniqueSku('E');
      expect((await putJson(`${stockAt.url}/stock/${sku}`, { available: 1_000 })).status).toBe(200);
      for (let i = 0; i < EARLY; i++) await placeOrder(checkout.url, [{ sku, quantity: 1, unitPrice: 2 }]);
      await eventually('stock applied every early order', async () => {
        return (await getJson<StockLevel>(`${stockAt.url}/stock/${sku}`)).body.available === 1_000 - EARLY;
      });
      expect(await scanCluster(redis.cluster, 'distribution:*:order:*')).toHaveLength(0);

      await startThree('distribution');
      const split = await evenSplit('distribution', 3);
      await eventually(
        'distribution created every early picking order',
        async () =>
          (await scanCluster(redis.cluster, 'distribution:*:order:*')).length === EARLY &&
          drained(redis.cluster.client, ordersPartitions),
        60_000,
      );
      const picked = await Promise.all(shipmentsPartitions.map((stream) => redis.cluster.client.xlen(stream)));
      expect(picked.reduce((x, y) => x + y, 0)).toBe(EARLY);
      console.log(
        `never-started distribution: ${EARLY} orders; partitions per instance ${[...split].map(([n, c]) => `${n} ${c}`).join(', ')}; ` +
          `partition homes ${ordersPartitions.map((stream, i) => `${stream} → :${homes[i].port}`).join(', ')}`,
      );
    },
    T,
  );

  it(
    'applies every effect once through a kill -9 mid-burst, each order’s events in publication order, no Redis error',
    async () => {
      const split = new Map<Group, Map<string, number>>();
      for (const group of GROUPS) split.set(group, await evenSplit(group, 3));
      const [stockAt] = instances.get('stock')!.values();
      const skus = [uniqueSku('A'), uniqueSku('B')];
      for (const sku of skus) expect((await putJson(`${stockAt.url}/stock/${sku}`, { available: INITIAL })).status).toBe(200);
      // The victims: the holders of partition 0 (each holds two partitions or one).
      const victims = new Map<Group, string>();
      for (const group of ['stock', 'distribution'] as const)
        victims.set(group, (await leaseHolders(redis.cluster.client, ordersPartitions, group))[0]!);

      const eventsOf = new Map<string, string[]>();
      const waitingAtKill = new Map<Group, number>();
      const quantities = Array.from({ length: ORDERS }, (_, i) => [1 + (i % 3), 1 + (i % 2)] as const);
      await runPool(quantities, 8, async ([a, b], index) => {
        if (index === ORDERS / 3) {
          for (const [group, name] of victims) {
            await instances.get(group)!.get(name)!.kill9();
            waitingAtKill.set(group, await unacknowledged(redis.cluster.client, ordersPartitions, group));
          }
        }
        const body: CheckoutBody = {
          customerId: `c-${index}`,
          items: [
            { sku: skus[0], quantity: a, unitPrice: 1 },
            { sku: skus[1], quantity: b, unitPrice: 2 },
          ],
        };
        const response = await postJson<CheckoutAccepted>(`${checkout.url}/checkout`, body);
        expect(response.status).toBe(202);
        const { orderId, eventId } = response.body;
        eventsOf.set(orderId, [eventId, ...(await appendRepeats(redis.cluster.client, ordersPartitions, orderId, body))]);
      });
      expect(eventsOf.size).toBe(ORDERS);

      await eventually(
        'every group drained on every partition',
        async () =>
          (await drained(redis.cluster.client, ordersPartitions)) &&
          (await scanCluster(redis.cluster, 'distribution:*:order:*')).length === EARLY + ORDERS,
        120_000,
      );

      // Exactly once: stock levels exact, one invoice number and one picking order per order.
      const alive = (group: Group) => [...instances.get(group)!].find(([name]) => name !== victims.get(group))![1];
      const level = async (sku: string) => (await getJson<StockLevel>(`${alive('stock').url}/stock/${sku}`)).body.available;
      expect(await level(skus[0])).toBe(INITIAL - quantities.reduce((sum, [a]) => sum + a, 0));
      expect(await level(skus[1])).toBe(INITIAL - quantities.reduce((sum, [, b]) => sum + b, 0));
      expect(await scanCluster(redis.cluster, 'stock:{stock}:order:*')).toHaveLength(EARLY + ORDERS);
      expect(Number(await redis.cluster.client.get('invoice:{invoices}:sequence'))).toBe(EARLY + ORDERS);
      expect(await scanCluster(redis.cluster, 'invoice:{invoices}:order:*')).toHaveLength(EARLY + ORDERS);
      const picked = await Promise.all(shipmentsPartitions.map((stream) => redis.cluster.client.xlen(stream)));
      expect(picked.reduce((x, y) => x + y, 0)).toBe(EARLY + ORDERS);
      for (const orderId of [...eventsOf.keys()].slice(0, 20))
        expect((await getJson(`${alive('distribution').url}/shipments/${orderId}`)).status).toBe(200);
      await eventually('checkout drained the shipments partitions', () => drained(redis.cluster.client, shipmentsPartitions));

      // Order per key, and the report: the split and what each instance handled.
      const report: string[] = [];
      for (const group of GROUPS) {
        const { violations, unlogged, handled } = checkOrderPerKey(instances.get(group)!, eventsOf);
        expect({ group, violations }).toEqual({ group, violations: [] });
        // A killed instance loses the log lines still in its stdout pipe; those orders are checked by their effects.
        expect(unlogged).toBeLessThan(ORDERS / 5);
        const after = splitOf(await leaseHolders(redis.cluster.client, ordersPartitions, group));
        report.push(
          `${group}: ` +
            [...handled]
              .map(
                ([name, count]) =>
                  `${name}${name === victims.get(group) ? ' (killed)' : ''} ${split.get(group)!.get(name) ?? 0}→${after.get(name) ?? 0} partitions, ${count} handled`,
              )
              .join('; ') +
            `; ${unlogged} orders with a handling lost from a killed instance's log` +
            (waitingAtKill.has(group) ? `; ${waitingAtKill.get(group)} entries unacknowledged at the kill` : ''),
        );
      }
      for (const app of allApps())
        expect({ app: app.name, port: app.port, errors: redisErrors(app) }).toEqual({
          app: app.name,
          port: app.port,
          errors: [],
        });
      console.log(
        `cluster partitions system test, ${ORDERS} orders × 3 events, ${PARTITIONS} partitions on 3 masters:\n${report.join('\n')}`,
      );
    },
    T,
  );
});
