// Rebalancing on a real 3-master Redis Cluster: three instances each of stock, invoice and
// distribution share the 4 partitions of `events:{orders}`; while orders flow without a pause (three
// events per order), a fourth instance of each service joins, then one of the first three leaves
// (SIGTERM). Each time the split becomes even again, and every effect is applied once, with each
// order's events handled in publication order by each service.
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
import { useRedisCluster } from '../support/redis-cluster.js';
import { ORDERS_STREAM, SHIPMENTS_STREAM, uniqueSku } from '../support/system.js';

const T = 300_000;
const PARTITIONS = 4;
const ORDERS = 150;
const MAX_ORDERS = 400;
/** Orders placed after the leave. */
const TAIL = 20;
const INITIAL = 1_000_000;
const GROUPS = ['stock', 'invoice', 'distribution'] as const;
type Group = (typeof GROUPS)[number];

const ordersPartitions = partitionStreams(ORDERS_STREAM, PARTITIONS);
const shipmentsPartitions = partitionStreams(SHIPMENTS_STREAM, PARTITIONS);

describe('partitions on a Redis Cluster: instances join and leave mid-burst', () => {
  const redis = useRedisCluster({}, T);
  let checkout: AppProcess;
  /** Every instance ever started per group (the one that left included: its log counts). */
  const instances = new Map<Group, Map<string, AppProcess>>(GROUPS.map((group) => [group, new Map()]));
  const start = async (app: AppName, consumer: string) => {
    const started = await startApp(app, {
      redisUrl: 'redis://127.0.0.1:1',
      clusterNodes: redis.cluster.nodes,
      env: partitionedEnv(PARTITIONS, consumer),
    });
    if (app !== 'checkout') instances.get(app)!.set(consumer, started);
    return started;
  };
  const split = async (group: Group) => splitOf(await leaseHolders(redis.cluster.client, ordersPartitions, group));
  const evenSplit = (group: Group, count: number) =>
    eventually(
      `${group}: ${PARTITIONS} partitions evenly over ${count} instances`,
      async () => {
        const counts = await split(group);
        return splitShape(counts) === evenShape(PARTITIONS, count) ? counts : undefined;
      },
      30_000,
    );
  const show = (counts: Map<string, number>) => [...counts].map(([name, count]) => `${name} ${count}`).join(', ');

  beforeAll(async () => {
    checkout = await start('checkout', 'checkout-1');
    for (const group of GROUPS) await Promise.all([1, 2, 3].map((n) => start(group, `${group}-${n}`)));
  }, T);

  it(
    'rebalances evenly on a join and a leave during a burst; effects once, each order’s events in publication order',
    async () => {
      const report = new Map<Group, string[]>(GROUPS.map((group) => [group, []]));
      for (const group of GROUPS) report.get(group)!.push(`start ${show(await evenSplit(group, 3))}`);
      const stockAt = instances.get('stock')!.get('stock-2')!;
      const skus = [uniqueSku('A'), uniqueSku('B')];
      for (const sku of skus) expect((await putJson(`${stockAt.url}/stock/${sku}`, { available: INITIAL })).status).toBe(200);

      const eventsOf = new Map<string, string[]>();
      const amounts: (readonly [number, number])[] = [];
      const place = async ([a, b]: readonly [number, number], index: number) => {
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
      };
      const moved = async (group: Group, what: string, count: number) => {
        const counts = await evenSplit(group, count);
        report
          .get(group)!
          .push(
            `after the ${what} (${eventsOf.size} orders placed, ${await unacknowledged(redis.cluster.client, ordersPartitions, group)} entries waiting) ${show(counts)}`,
          );
        return counts;
      };

      // Orders flow without a pause from 4 workers until the join and the leave are both done,
      // and TAIL more after (at least ORDERS in all, at most MAX_ORDERS): a third into the burst a
      // fourth instance of each service joins; once the split is even over four, the first
      // instance of each service leaves (SIGTERM).
      let target = MAX_ORDERS;
      let next = 0;
      const worker = async () => {
        while (next < target) {
          const index = next++;
          amounts[index] = [1 + (index % 3), 1 + (index % 2)];
          await place(amounts[index], index);
        }
      };
      const control = async () => {
        try {
          await eventually('a third of the burst placed', () => eventsOf.size >= ORDERS / 3, 60_000);
          await Promise.all(
            GROUPS.map(async (group) => {
              await start(group, `${group}-4`);
              await moved(group, 'join', 4);
            }),
          );
          await Promise.all(
            GROUPS.map(async (group) => {
              expect(await instances.get(group)!.get(`${group}-1`)!.stop()).toBe(0);
              expect((await moved(group, 'leave', 3)).has(`${group}-1`)).toBe(false);
            }),
          );
        } finally {
          target = Math.min(target, Math.max(ORDERS, next + TAIL));
        }
      };
      await Promise.all([...Array.from({ length: 4 }, worker), control()]);
      const total = eventsOf.size;
      expect(total).toBe(amounts.length);
      expect(total).toBeGreaterThanOrEqual(ORDERS);

      await eventually(
        'every group drained on every partition',
        async () =>
          (await drained(redis.cluster.client, ordersPartitions)) &&
          (await scanCluster(redis.cluster, 'distribution:*:order:*')).length === total,
        120_000,
      );

      // Exactly once: stock levels exact, one invoice number and one picking order per order.
      const level = async (sku: string) => (await getJson<StockLevel>(`${stockAt.url}/stock/${sku}`)).body.available;
      expect(await level(skus[0])).toBe(INITIAL - amounts.reduce((sum, [a]) => sum + a, 0));
      expect(await level(skus[1])).toBe(INITIAL - amounts.reduce((sum, [, b]) => sum + b, 0));
      expect(await scanCluster(redis.cluster, 'stock:{stock}:order:*')).toHaveLength(total);
      expect(Number(await redis.cluster.client.get('invoice:{invoices}:sequence'))).toBe(total);
      expect(await scanCluster(redis.cluster, 'invoice:{invoices}:order:*')).toHaveLength(total);
      const picked = await Promise.all(shipmentsPartitions.map((stream) => redis.cluster.client.xlen(stream)));
      expect(picked.reduce((x, y) => x + y, 0)).toBe(total);

      // Order per key (no instance was killed: every handling is on record), and the report.
      const lines: string[] = [];
      for (const group of GROUPS) {
        const { violations, unlogged, handled } = checkOrderPerKey(instances.get(group)!, eventsOf);
        expect({ group, violations, unlogged }).toEqual({ group, violations: [], unlogged: 0 });
        lines.push(`${group}: ${report.get(group)!.join('; ')}; handled ${show(handled)}`);
      }
      for (const app of [checkout, ...[...instances.values()].flatMap((apps) => [...apps.values()])])
        expect({ app: app.name, port: app.port, errors: redisErrors(app) }).toEqual({
          app: app.name,
          port: app.port,
          errors: [],
        });
      console.log(
        `cluster partitions rebalance test, ${total} orders × 3 events, ${PARTITIONS} partitions:\n${lines.join('\n')}`,
      );
    },
    T,
  );
});
