// The system on 4 partitions: three instances each of stock, invoice and distribution share the
// orders partitions under leases; a burst of orders, three events per order, and a kill -9 of one
// stock and one distribution instance mid-burst. Every effect exactly once, and each service
// handled each order's events in the order they were published.
import { partitionStreams } from '../libs/eventbus/src/partitions/partition.streams.js';
import type { CheckoutAccepted } from './support/api.js';
import { startApp, type AppProcess } from './support/app-process.js';
import { appendRepeats, checkOrderPerKey, leaseHolders, partitionedEnv, splitOf } from './support/partition-order.js';
import { eventually } from './support/eventually.js';
import type { LagReport } from '@app/eventbus';
import { getJson, postJson, putJson } from './support/http.js';
import { runPool } from './support/pool.js';
import { pendingCount, scanKeys } from './support/redis-client.js';
import { ORDERS_STREAM, SHIPMENTS_STREAM, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 300_000;
const PARTITIONS = 4;
const ORDERS = 150;
const INITIAL = 1_000_000;
const GROUPS = ['stock', 'invoice', 'distribution'] as const;
type Group = (typeof GROUPS)[number];

const ordersPartitions = partitionStreams(ORDERS_STREAM, PARTITIONS);
const env = (consumer: string) => partitionedEnv(PARTITIONS, consumer);

describe('partitions: three instances per service, kill -9 mid-burst', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });
  let checkout: AppProcess;
  const instances = new Map<Group, Map<string, AppProcess>>();

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url, env: env('checkout-1') });
    for (const group of GROUPS) {
      const started = await Promise.all(
        [1, 2, 3].map(
          async (n) => [`${group}-${n}`, await startApp(group, { redisUrl: redis.url, env: env(`${group}-${n}`) })] as const,
        ),
      );
      instances.set(group, new Map(started));
    }
  }, T);

  const holders = (group: Group) => leaseHolders(redis.client, ordersPartitions, group);

  it(
    'applies every effect once and keeps each order’s events in publication order',
    async () => {
      const split = new Map<Group, Map<string, number>>();
      for (const group of GROUPS) {
        const counts = await eventually(
          `${group}: 4 partitions over 3 instances`,
          async () => {
            const counts = splitOf(await holders(group));
            return counts.size === 3 && [...counts.values()].sort().join() === '1,1,2' ? counts : undefined;
          },
          30_000,
        );
        split.set(group, counts);
      }
      const stockAt = [...instances.get('stock')!.values()][0];
      const skus = [uniqueSku('A'), uniqueSku('B')];
      for (const sku of skus) expect((await putJson(`${stockAt.url}/stock/${sku}`, { available: INITIAL })).status).toBe(200);

      // The victims hold two partitions each: the holders of partition 0.
      const victims = new Map<Group, string>();
      for (const group of ['stock', 'distribution'] as const) victims.set(group, (await holders(group))[0]!);

      const orderIds: string[] = [];
      const eventsOf = new Map<string, string[]>();
      const quantities = Array.from({ length: ORDERS }, (_, i) => [1 + (i % 3), 1 + (i % 2)] as const);
      await runPool(quantities, 8, async ([a, b], index) => {
        if (index === ORDERS / 3) {
          for (const [group, name] of victims) await instances.get(group)!.get(name)!.kill9();
        }
        const body = {
          customerId: `c-${index}`,
          items: [
            { sku: skus[0], quantity: a, unitPrice: 1 },
            { sku: skus[1], quantity: b, unitPrice: 2 },
          ],
        };
        const response = await postJson<CheckoutAccepted>(`${checkout.url}/checkout`, body);
        expect(response.status).toBe(202);
        const { orderId, eventId } = response.body;
        orderIds.push(orderId);
        // Two more events of the same order, after checkout's: repeats every service absorbs by
        // its dedupe record, but handles, in this order, after the first.
        const ids = [eventId, ...(await appendRepeats(redis.client, ordersPartitions, orderId, body))];
        eventsOf.set(orderId, ids);
      });
      expect(orderIds).toHaveLength(ORDERS);

      await eventually(
        'every group drained on every partition',
        async () => {
          for (const stream of ordersPartitions) {
            const groups = (await redis.client.xinfo('GROUPS', stream)) as unknown[][];
            for (const row of groups) {
              const info = Object.fromEntries(
                Array.from({ length: row.length / 2 }, (_, i) => [String(row[2 * i]), row[2 * i + 1]]),
              );
              if (info.lag !== 0 || info.pending !== 0) return false;
            }
          }
          return (await scanKeys(redis.client, 'distribution:*:order:*')).length === ORDERS;
        },
        120_000,
      );

      // The lag view sums the topic's partitions for each group: all drained, every partition listed.
      const lagView = await getJson<LagReport>(`${checkout.url}/streams/lag`);
      const ordersTopic = lagView.body.topics.find((topic) => topic.topic === 'events:{orders}');
      expect(ordersTopic?.partitions).toEqual(ordersPartitions);
      expect(ordersTopic?.length).toBe(
        lagView.body.streams.filter((s) => ordersPartitions.includes(s.stream)).reduce((n, s) => n + s.length, 0),
      );
      for (const group of ['stock', 'invoice', 'distribution']) {
        expect(ordersTopic?.groups.find((g) => g.group === group)).toMatchObject({ lag: 0, pending: 0 });
      }

      // Exactly once: stock levels exact, one invoice number and one picking order per order.
      const expectedA = INITIAL - quantities.reduce((sum, [a]) => sum + a, 0);
      const expectedB = INITIAL - quantities.reduce((sum, [, b]) => sum + b, 0);
      const alive = (group: Group) => [...instances.get(group)!].find(([name]) => name !== victims.get(group))![1];
      expect((await getJson<{ available: number }>(`${alive('stock').url}/stock/${skus[0]}`)).body.available).toBe(expectedA);
      expect((await getJson<{ available: number }>(`${alive('stock').url}/stock/${skus[1]}`)).body.available).toBe(expectedB);
      expect(await scanKeys(redis.client, 'stock:{stock}:order:*')).toHaveLength(ORDERS);
      expect(Number(await redis.client.get('invoice:{invoices}:sequence'))).toBe(ORDERS);
      expect(await scanKeys(redis.client, 'invoice:{invoices}:order:*')).toHaveLength(ORDERS);
      const shipments = partitionStreams(SHIPMENTS_STREAM, PARTITIONS);
      const picked = (await Promise.all(shipments.map((stream) => redis.client.xlen(stream)))).reduce((x, y) => x + y, 0);
      expect(picked).toBe(ORDERS);
      for (const orderId of orderIds.slice(0, 20)) {
        expect((await getJson(`${alive('distribution').url}/shipments/${orderId}`)).status).toBe(200);
      }
      for (const stream of ordersPartitions) expect(await pendingCount(redis.client, stream, 'stock')).toBe(0);

      // Order per key: per service and order, the first handling of each event follows publication,
      // and within one instance one order's events never go backwards. A killed instance loses the
      // log lines still in its stdout pipe: such orders are counted, and checked by their effects above.
      const report: string[] = [];
      for (const group of GROUPS) {
        const { violations, unlogged, handled } = checkOrderPerKey(instances.get(group)!, eventsOf);
        expect({ group, violations }).toEqual({ group, violations: [] });
        const counts = [...instances.get(group)!.keys()].map(
          (name) =>
            `${name}${name === victims.get(group) ? ' (killed)' : ''}: ${split.get(group)!.get(name) ?? 0} partitions at start, ` +
            `${handled.get(name) ?? 0} handled`,
        );
        expect(unlogged).toBeLessThan(ORDERS / 5);
        report.push(
          `${group}: ${counts.join('; ')}; ${unlogged} orders with a handling lost from the killed instance's log; after the kill: ${[...splitOf(await holders(group))].map(([n, c]) => `${n} ${c}`).join(', ')}`,
        );
      }
      console.log(`partitions system test, ${ORDERS} orders × 3 events, ${PARTITIONS} partitions:\n${report.join('\n')}`);
    },
    T,
  );

  it(
    'refuses to start an app that counts the partitions differently from the system',
    async () => {
      const odd = await startApp('stock', {
        redisUrl: redis.url,
        env: { ...env('stock-odd'), EVENTBUS_PARTITIONS: '2' },
        waitForHealthy: false,
      });
      const code = await odd.exit(20_000);
      expect(code).not.toBe(0);
      expect(code).not.toBeUndefined();
      expect(odd.output()).toMatch(/events:\{orders\} is split into 4 partitions .*declares 2: set EVENTBUS_PARTITIONS alike/);
    },
    T,
  );
});
