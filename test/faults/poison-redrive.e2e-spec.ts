// Poison entries (not JSON, wrong schema, a handler that always fails) end in the stock group's
// dead-letter stream with their reason; the entries behind them keep flowing; the admin API lists,
// redrives (to the stock group only) and deletes them, behind the bearer token.
import type { StockLevel } from '../support/api.js';
import { startApp, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, putJson, request } from '../support/http.js';
import { pendingCount, readStream } from '../support/redis-client.js';
import { INVOICES_STREAM, ORDERS_STREAM, placeOrder, uniqueSku } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

const TOKEN = 'test-admin-token-0123456789';
const DLQ = `${ORDERS_STREAM}:dlq:stock`;
const ADMIN = `/admin/dead-letters/${encodeURIComponent(ORDERS_STREAM)}/stock`;

interface DeadLetterView {
  id: string;
  reason: string;
  error: string;
  entryId: string;
  deliveries: number;
  fields: Record<string, string>;
}

describe('poison entries, dead letters and redrive', () => {
  const redis = useRedis();
  let checkout: AppProcess;
  let stock: AppProcess;
  const admin = (method: string, path = '', token: string | null = TOKEN) =>
    request<{ deadLetters?: DeadLetterView[]; redriven?: number; deleted?: number }>(method, `${stock.url}${ADMIN}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    const env = { EVENTBUS_MAX_DELIVERIES: '3', EVENTBUS_ADMIN_TOKEN: TOKEN };
    [checkout, stock] = await Promise.all([
      startApp('checkout', { redisUrl: redis.url }),
      startApp('stock', { redisUrl: redis.url, env }),
      startApp('invoice', { redisUrl: redis.url }),
    ]);
  });

  it('dead-letters each poison entry with its reason while later orders flow, then redrives it', async () => {
    const good = uniqueSku('G');
    const broken = uniqueSku('X');
    expect((await putJson(`${stock.url}/stock/${good}`, { available: 100 })).status).toBe(200);
    // A SKU key of the wrong type makes the stock script fail on every delivery.
    await redis.client.hset(`stock:{stock}:sku:${broken}`, 'oops', '1');

    const order = (sku: string) => placeOrder(checkout.url, [{ sku, quantity: 1, unitPrice: 1 }]);
    const failing = await order(broken);
    const [template] = await readStream(redis.client, ORDERS_STREAM);
    await redis.client.xadd(ORDERS_STREAM, '*', ...Object.entries({ ...template.fields, id: 'not-json', data: '{oops' }).flat());
    await redis.client.xadd(
      ORDERS_STREAM,
      '*',
      ...Object.entries({ ...template.fields, id: 'bad-schema', data: '{"orderId":7}' }).flat(),
    );
    await Promise.all(Array.from({ length: 10 }, () => order(good)));

    await eventually(
      'the 10 good orders applied',
      async () => (await getJson<StockLevel>(`${stock.url}/stock/${good}`)).body.available === 90,
    );
    const listed = await eventually(
      'three dead letters',
      async () => {
        const response = await admin('GET');
        return response.body.deadLetters?.length === 3 ? response.body.deadLetters : undefined;
      },
      30_000,
    );
    const byReason = Object.fromEntries(listed.map((d) => [d.reason, d]));
    expect(Object.keys(byReason).sort()).toEqual(['handler-failed', 'invalid', 'undecodable']);
    expect(byReason['handler-failed']).toMatchObject({ deliveries: 3, fields: { id: failing.eventId, type: 'order.approved' } });
    expect(byReason['handler-failed'].error).toMatch(/WRONGTYPE/);
    expect(byReason['undecodable'].fields.id).toBe('not-json');
    expect(byReason['invalid'].error).toMatch(/customerId/);
    expect(await pendingCount(redis.client, ORDERS_STREAM, 'stock')).toBe(0);
    const lag = await getJson<{ streams: { stream: string; groups: { group: string; deadLetters: number }[] }[] }>(
      `${checkout.url}/streams/lag`,
    );
    const orders = lag.body.streams.find((s) => s.stream === ORDERS_STREAM)!;
    expect(orders.groups.find((g) => g.group === 'stock')!.deadLetters).toBe(3);
    expect(orders.groups.find((g) => g.group === 'invoice')!.deadLetters).toBe(2);

    // The token guards every admin call.
    expect((await admin('GET', '', null)).status).toBe(401);
    expect((await admin('GET', '', 'wrong-token-wrong-token')).status).toBe(401);
    expect((await request('GET', `${checkout.url}${ADMIN}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(403);
    expect((await admin('POST', '/1-0/redrive')).status).toBe(404);
    expect((await admin('GET', '?after=nonsense')).status).toBe(400);
    expect(
      (await request('GET', `${stock.url}/admin/dead-letters/nope/stock`, { headers: { authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(404);

    // Repair the data, redrive the handler failure: stock applies it; invoice does not see it again.
    await redis.client.del(`stock:{stock}:sku:${broken}`);
    await redis.client.set(`stock:{stock}:sku:${broken}`, '5');
    const invoicesBefore = await redis.client.xlen(INVOICES_STREAM);
    const redrive = await admin('POST', `/${byReason['handler-failed'].id}/redrive`);
    expect(redrive.status).toBe(201);
    expect(redrive.body.redriven).toBe(1);
    await eventually(
      'redriven order applied',
      async () => (await getJson<StockLevel>(`${stock.url}/stock/${broken}`)).body.available === 4,
    );
    expect(await redis.client.xlen(INVOICES_STREAM)).toBe(invoicesBefore);

    const deleted = await admin('DELETE', `/${byReason['undecodable'].id}`);
    expect(deleted.body.deleted).toBe(1);
    expect((await admin('GET')).body.deadLetters?.map((d) => d.reason)).toEqual(['invalid']);
    expect((await admin('DELETE')).body.deleted).toBe(1);
    expect(await redis.client.xlen(DLQ)).toBe(0);
  });
});
