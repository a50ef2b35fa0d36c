// A purchase through all four services, black box: HTTP in, HTTP and Redis out.
import { startApps, type AppProcess } from './support/app-process.js';
import type { Invoice, OrderView, Shipment, StockLevel } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson, putJson } from './support/http.js';
import { groupDrained, ORDERS_STREAM, placeOrder, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 60_000;

describe('purchase flow (checkout → stock, invoice, distribution)', () => {
  const redis = useRedis();
  let apps: Record<'checkout' | 'stock' | 'invoice' | 'distribution', AppProcess>;

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock', 'invoice', 'distribution'], { redisUrl: redis.url });
  }, T);

  const setStock = async (sku: string, available: number): Promise<void> => {
    const res = await putJson<StockLevel>(`${apps.stock.url}/stock/${encodeURIComponent(sku)}`, { available });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sku, available });
  };
  const stockOf = async (sku: string): Promise<number> => {
    const res = await getJson<StockLevel>(`${apps.stock.url}/stock/${encodeURIComponent(sku)}`);
    expect(res.status).toBe(200);
    return res.body.available;
  };
  const order = async (id: string): Promise<OrderView | undefined> => {
    const res = await getJson<OrderView>(`${apps.checkout.url}/orders/${encodeURIComponent(id)}`);
    return res.status === 200 ? res.body : undefined;
  };

  it(
    'POST /checkout answers 202 { orderId, eventId, status: "accepted" }',
    async () => {
      const sku = uniqueSku();
      await setStock(sku, 1);
      const accepted = await placeOrder(apps.checkout.url, [{ sku, quantity: 1, unitPrice: 1 }]);
      expect(accepted).toEqual(
        expect.objectContaining({
          orderId: expect.any(String) as unknown,
          eventId: expect.any(String) as unknown,
          status: 'accepted',
        }),
      );
    },
    T,
  );

  it(
    'reserves stock exactly, issues the invoice, creates the picking order and reports progress',
    async () => {
      const skuA = uniqueSku('A');
      const skuB = uniqueSku('B');
      await setStock(skuA, 10);
      await setStock(skuB, 5);
      const items = [
        { sku: skuA, quantity: 2, unitPrice: 10.5 },
        { sku: skuB, quantity: 1, unitPrice: 3 },
      ];

      const accepted = await placeOrder(apps.checkout.url, items);
      expect(accepted).toMatchObject({ status: 'accepted' });
      expect(typeof accepted.orderId).toBe('string');
      const { orderId } = accepted;

      const done = await eventually('order progress reserved/issued/picking', async () => {
        const view = await order(orderId);
        return view?.progress.stock === 'reserved' &&
          view.progress.invoice === 'issued' &&
          view.progress.distribution === 'picking'
          ? view
          : undefined;
      });
      expect(done).toMatchObject({ orderId, customerId: 'c-1', items });
      expect(done.total).toBeCloseTo(24, 6);
      expect(typeof done.createdAt).toBe('string');

      expect(await stockOf(skuA)).toBe(8);
      expect(await stockOf(skuB)).toBe(4);

      const invoice = await getJson<Invoice>(`${apps.invoice.url}/invoices/${encodeURIComponent(orderId)}`);
      expect(invoice.status).toBe(200);
      expect(invoice.body).toMatchObject({ orderId, items });
      expect(invoice.body.total).toBeCloseTo(24, 6);
      expect(['string', 'number']).toContain(typeof invoice.body.number);
      expect(typeof invoice.body.issuedAt).toBe('string');

      const shipment = await getJson<Shipment>(`${apps.distribution.url}/shipments/${encodeURIComponent(orderId)}`);
      expect(shipment.status).toBe(200);
      expect(shipment.body).toMatchObject({ orderId });
      expect(typeof shipment.body.pickingOrderId).toBe('string');
      expect(shipment.body.items.map((i) => ({ sku: i.sku, quantity: i.quantity }))).toEqual(
        items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
      );
      expect(typeof shipment.body.createdAt).toBe('string');

      // Nothing is left undelivered or unacknowledged.
      for (const group of ['stock', 'invoice', 'distribution']) {
        await eventually(`${group} drained`, () => groupDrained(apps.checkout.url, ORDERS_STREAM, group));
      }
      expect(await stockOf(skuA)).toBe(8);
    },
    T,
  );

  it(
    'rejects an order it cannot serve in full and changes no stock level',
    async () => {
      const skuA = uniqueSku('A');
      const skuB = uniqueSku('B');
      await setStock(skuA, 8);
      await setStock(skuB, 4);
      const { orderId } = await placeOrder(apps.checkout.url, [
        { sku: skuA, quantity: 1, unitPrice: 1 },
        { sku: skuB, quantity: 100, unitPrice: 1 },
      ]);

      await eventually('order progress.stock rejected', async () => (await order(orderId))?.progress.stock === 'rejected');
      await eventually('stock group drained', () => groupDrained(apps.checkout.url, ORDERS_STREAM, 'stock'));
      expect(await stockOf(skuA)).toBe(8);
      expect(await stockOf(skuB)).toBe(4);

      // A later servable order still works on the untouched levels.
      const next = await placeOrder(apps.checkout.url, [
        { sku: skuA, quantity: 8, unitPrice: 1 },
        { sku: skuB, quantity: 4, unitPrice: 1 },
      ]);
      await eventually('second order reserved', async () => (await order(next.orderId))?.progress.stock === 'reserved');
      expect(await stockOf(skuA)).toBe(0);
      expect(await stockOf(skuB)).toBe(0);
    },
    T,
  );
});
