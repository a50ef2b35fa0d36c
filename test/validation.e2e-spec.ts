// Bad input is refused with a 4xx and a JSON message, and nothing reaches Redis.
import { startApps, type AppProcess } from './support/app-process.js';
import type { CheckoutAccepted, ErrorBody, StockLevel } from './support/api.js';
import { getJson, postJson, putJson, request } from './support/http.js';
import { scanKeys } from './support/redis-client.js';
import { orderBody, ORDERS_STREAM, placeOrder, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 60_000;
const item = { sku: 'SKU-1', quantity: 2, unitPrice: 10.5 };

interface BadRequestCase {
  name: string;
  /** JSON body, or a raw string when `raw` is set. */
  body: unknown;
  raw?: boolean;
}

const badCheckoutBodies: BadRequestCase[] = [
  { name: 'missing customerId', body: { items: [item] } },
  { name: 'empty customerId', body: { customerId: '', items: [item] } },
  { name: 'missing items', body: { customerId: 'c-1' } },
  { name: 'empty items', body: { customerId: 'c-1', items: [] } },
  { name: 'items not an array', body: { customerId: 'c-1', items: item } },
  { name: 'quantity 0', body: orderBody([{ ...item, quantity: 0 }]) },
  { name: 'negative quantity', body: orderBody([{ ...item, quantity: -1 }]) },
  { name: 'fractional quantity', body: orderBody([{ ...item, quantity: 1.5 }]) },
  { name: 'negative unitPrice', body: orderBody([{ ...item, unitPrice: -1 }]) },
  { name: 'missing sku', body: orderBody([{ quantity: 1, unitPrice: 1 } as unknown as typeof item]) },
  { name: 'string instead of number', body: { customerId: 'c-1', items: [{ ...item, quantity: 'two' }] } },
  { name: 'numeric string instead of number', body: { customerId: 'c-1', items: [{ ...item, unitPrice: '10.5' }] } },
  { name: 'unknown top-level field', body: { ...orderBody([item]), discount: 5 } },
  { name: 'unknown item field', body: orderBody([{ ...item, colour: 'red' } as typeof item]) },
  { name: 'not JSON', body: '{"customerId": "c-1", "items": [', raw: true },
  { name: 'JSON array instead of object', body: [orderBody([item])] },
  { name: 'JSON null', body: 'null', raw: true },
];

describe('input validation', () => {
  const redis = useRedis();
  let apps: Record<'checkout' | 'stock' | 'invoice' | 'distribution', AppProcess>;

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock', 'invoice', 'distribution'], { redisUrl: redis.url });
  }, T);

  const snapshot = async (): Promise<{ length: number; keys: string[] }> => ({
    length: await redis.client.xlen(ORDERS_STREAM),
    keys: await scanKeys(redis.client, 'checkout:*'),
  });

  const expectJsonError = (status: number, body: unknown, text: string, allowed: number[]): void => {
    expect(allowed.includes(status) ? 'ok' : `status ${status}, expected ${allowed.join('/')}: ${text.slice(0, 300)}`).toBe('ok');
    expect(typeof body).toBe('object');
    expect(body).not.toBeNull();
    const message = (body as ErrorBody).message;
    expect(typeof message === 'string' ? message.length : Array.isArray(message) ? message.length : 0).toBeGreaterThan(0);
  };

  it.each(badCheckoutBodies.map((c, i) => ({ ...c, i })))(
    'POST /checkout refuses $name with 400 and writes nothing',
    async ({ body, raw, i }) => {
      const before = await snapshot();
      // Every other case carries an Idempotency-Key: a refused request must not store it either.
      const headers: Record<string, string> = i % 2 === 0 ? { 'Idempotency-Key': `bad-body-${i}` } : {};
      const res = raw
        ? await request<ErrorBody>('POST', `${apps.checkout.url}/checkout`, { rawBody: String(body), headers })
        : await postJson<ErrorBody>(`${apps.checkout.url}/checkout`, body, { headers });
      expectJsonError(res.status, res.body, res.text, [400]);
      expect(await snapshot()).toEqual(before);
    },
    T,
  );

  it(
    'POST /checkout refuses a body over the size limit with 413 (or 400) and writes nothing',
    async () => {
      const before = await snapshot();
      const items = Array.from({ length: 40_000 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1, unitPrice: 1 }));
      const huge = JSON.stringify({ customerId: 'c-1', items, padding: 'x'.repeat(1024 * 1024) });
      expect(huge.length).toBeGreaterThan(2 * 1024 * 1024);
      const res = await request<ErrorBody>('POST', `${apps.checkout.url}/checkout`, {
        rawBody: huge,
        headers: { 'Idempotency-Key': 'huge-body' },
      });
      expectJsonError(res.status, res.body, res.text, [413, 400]);
      expect(await snapshot()).toEqual(before);
    },
    T,
  );

  it(
    'PUT /stock/:sku refuses a bad available with 400',
    async () => {
      const sku = uniqueSku();
      for (const body of [{ available: -1 }, { available: 'x' }, {}, { available: 1.5 }]) {
        const res = await putJson<ErrorBody>(`${apps.stock.url}/stock/${sku}`, body);
        expectJsonError(res.status, res.body, `${JSON.stringify(body)} → ${res.text}`, [400]);
      }
      expect((await getJson(`${apps.stock.url}/stock/${sku}`)).status).toBe(404);
    },
    T,
  );

  it(
    'answers 404 for unknown resources',
    async () => {
      expect((await getJson(`${apps.stock.url}/stock/${uniqueSku('NOPE')}`)).status).toBe(404);
      expect((await getJson(`${apps.checkout.url}/orders/unknown`)).status).toBe(404);
      expect((await getJson(`${apps.invoice.url}/invoices/unknown`)).status).toBe(404);
      expect((await getJson(`${apps.distribution.url}/shipments/unknown`)).status).toBe(404);
    },
    T,
  );

  it(
    'a valid PUT /stock answers 200 and is readable back',
    async () => {
      const sku = uniqueSku();
      const res = await putJson<StockLevel>(`${apps.stock.url}/stock/${sku}`, { available: 10 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ sku, available: 10 });
      expect((await getJson<StockLevel>(`${apps.stock.url}/stock/${sku}`)).body).toMatchObject({ sku, available: 10 });
    },
    T,
  );

  it(
    'Idempotency-Key: a repeated POST returns the same orderId and publishes one event',
    async () => {
      const key = `idem-${Date.now()}-${process.pid}`;
      const body = orderBody([{ sku: uniqueSku(), quantity: 1, unitPrice: 5 }]);
      const before = await redis.client.xlen(ORDERS_STREAM);
      const first = await placeOrder(apps.checkout.url, body, { 'Idempotency-Key': key });
      const second = await postJson<CheckoutAccepted>(`${apps.checkout.url}/checkout`, body, {
        headers: { 'Idempotency-Key': key },
      });
      expect(second.status).toBeGreaterThanOrEqual(200);
      expect(second.status).toBeLessThan(300);
      expect(second.body.orderId).toBe(first.orderId);
      expect(await redis.client.xlen(ORDERS_STREAM)).toBe(before + 1);

      // The same key with another body is refused (422), writes nothing, and names the first order.
      const other = await postJson<{ message: string }>(
        `${apps.checkout.url}/checkout`,
        orderBody([{ sku: uniqueSku(), quantity: 2, unitPrice: 5 }]),
        {
          headers: { 'Idempotency-Key': key },
        },
      );
      expect(other.status).toBe(422);
      expect(other.body.message).toContain(first.orderId);
      expect(await redis.client.xlen(ORDERS_STREAM)).toBe(before + 1);

      // A different key is a different order.
      const third = await placeOrder(apps.checkout.url, body, { 'Idempotency-Key': `${key}-2` });
      expect(third.orderId).not.toBe(first.orderId);
      expect(await redis.client.xlen(ORDERS_STREAM)).toBe(before + 2);

      // A key first sent with a refused body is not used up: a valid body with it places an order.
      const reused = await placeOrder(apps.checkout.url, body, { 'Idempotency-Key': 'bad-body-0' });
      expect(reused.replayed ?? false).toBe(false);
      expect(await redis.client.xlen(ORDERS_STREAM)).toBe(before + 3);
    },
    T,
  );
});
