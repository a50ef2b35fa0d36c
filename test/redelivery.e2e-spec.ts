// Exactly-once effects when the same event arrives several times.
import { startApps, type AppProcess } from './support/app-process.js';
import type { Invoice, OrderItem, OrderView, Shipment, StockLevel } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson, putJson } from './support/http.js';
import { readStream } from './support/redis-client.js';
import { groupDrained, ORDERS_STREAM, placeOrder, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 60_000;
const CONSUMER_GROUPS = ['stock', 'invoice', 'distribution'] as const;

/** Trailing digits of an invoice number ("INV-000042" → 42, 42 → 42). */
function sequenceOf(number: string | number): number {
  const match = /(\d+)\D*$/.exec(String(number));
  if (!match) throw new Error(`invoice number without digits: ${String(number)}`);
  return Number(match[1]);
}

describe('redelivery of the same event', () => {
  const redis = useRedis();
  let apps: Record<'checkout' | 'stock' | 'invoice' | 'distribution', AppProcess>;
  let firstOrderNumber: string | number | undefined;

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock', 'invoice', 'distribution'], { redisUrl: redis.url });
  }, T);

  const drained = async (): Promise<void> => {
    for (const group of CONSUMER_GROUPS) {
      await eventually(`${group} drained`, () => groupDrained(apps.checkout.url, ORDERS_STREAM, group));
    }
  };
  const invoiceOf = async (orderId: string): Promise<Invoice | undefined> => {
    const res = await getJson<Invoice>(`${apps.invoice.url}/invoices/${orderId}`);
    return res.status === 200 ? res.body : undefined;
  };
  const place = async (items: OrderItem[]): Promise<string> => (await placeOrder(apps.checkout.url, items)).orderId;

  it(
    'applies an order.approved delivered three times (same event id) exactly once',
    async () => {
      const sku = uniqueSku();
      expect((await putJson<StockLevel>(`${apps.stock.url}/stock/${sku}`, { available: 10 })).status).toBe(200);
      const orderId = await place([{ sku, quantity: 3, unitPrice: 4 }]);

      // The envelope checkout wrote, published twice more as is (same `id` field, same data).
      const entries = await readStream(redis.client, ORDERS_STREAM);
      const original = entries.find((e) => e.fields.type === 'order.approved' && e.fields.data.includes(orderId));
      expect(original).toBeDefined();
      const fields = original!.fields;
      // Envelope layout 2: version, time, producer, correlation id... are packed in `meta`.
      for (const name of ['id', 'type', 'data', 'meta']) expect(fields).toHaveProperty(name);
      expect((JSON.parse(fields.data) as { orderId: string }).orderId).toBe(orderId);
      const flat = Object.entries(fields).flat();
      await redis.client.xadd(ORDERS_STREAM, '*', ...flat);
      await redis.client.xadd(ORDERS_STREAM, '*', ...flat);
      expect(await redis.client.xlen(ORDERS_STREAM)).toBe(3);

      await drained();
      await eventually('order fully progressed', async () => {
        const res = await getJson<OrderView>(`${apps.checkout.url}/orders/${orderId}`);
        const p = res.body?.progress;
        return res.status === 200 && p.stock === 'reserved' && p.invoice === 'issued' && p.distribution === 'picking';
      });

      const level = await getJson<StockLevel>(`${apps.stock.url}/stock/${sku}`);
      expect(level.body.available).toBe(7);

      const first = await invoiceOf(orderId);
      const second = await invoiceOf(orderId);
      expect(first).toBeDefined();
      expect(second?.number).toEqual(first?.number);
      expect(first?.total).toBeCloseTo(12, 6);
      firstOrderNumber = first?.number;

      const ship1 = await getJson<Shipment>(`${apps.distribution.url}/shipments/${orderId}`);
      const ship2 = await getJson<Shipment>(`${apps.distribution.url}/shipments/${orderId}`);
      expect(ship1.status).toBe(200);
      expect(ship2.body.pickingOrderId).toBe(ship1.body.pickingOrderId);
    },
    T,
  );

  it(
    'gives two different orders two different, sequential invoice numbers',
    async () => {
      const sku = uniqueSku();
      expect((await putJson<StockLevel>(`${apps.stock.url}/stock/${sku}`, { available: 10 })).status).toBe(200);
      const a = await place([{ sku, quantity: 1, unitPrice: 1 }]);
      const invoiceA = await eventually('invoice of order A', () => invoiceOf(a));
      const b = await place([{ sku, quantity: 1, unitPrice: 2 }]);
      const invoiceB = await eventually('invoice of order B', () => invoiceOf(b));
      expect(invoiceB.number).not.toEqual(invoiceA.number);
      expect(sequenceOf(invoiceB.number)).toBe(sequenceOf(invoiceA.number) + 1);
    },
    T,
  );

  it(
    'does not burn invoice numbers on duplicate deliveries (next order gets the next number)',
    async () => {
      // Ran after the first test: the order delivered three times got one number; the two
      // orders of the second test must have followed it without a gap.
      expect(firstOrderNumber).toBeDefined();
      const invoices: Invoice[] = [];
      const entries = await readStream(redis.client, ORDERS_STREAM);
      const orderIds = [...new Set(entries.map((e) => (JSON.parse(e.fields.data) as { orderId: string }).orderId))];
      for (const id of orderIds) invoices.push(await eventually(`invoice of ${id}`, () => invoiceOf(id)));
      const sequence = invoices.map((i) => sequenceOf(i.number)).sort((x, y) => x - y);
      expect(sequence).toEqual([sequence[0], sequence[0] + 1, sequence[0] + 2]);
      expect(sequenceOf(firstOrderNumber!)).toBe(sequence[0]);
    },
    T,
  );
});
