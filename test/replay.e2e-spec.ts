// Replay and inspection on the built apps: moving stock's, invoice's and distribution's groups back
// to 0 delivers every order again and changes nothing (the dedupe records absorb it); `$`, an
// entry id and a time move a group where they say; pending entries are listed with their
// consumer and delivery count; bad calls get 400/401/404/409.
import { flatRecord } from '../libs/eventbus/src/redis/flat-record.js';
import { startApp, type AppProcess } from './support/app-process.js';
import type { Invoice, Shipment, StockLevel } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson, putJson, request, sleep } from './support/http.js';
import { groupDrained, ORDERS_STREAM, placeOrder, SHIPMENTS_STREAM, STOCK_STREAM, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 180_000;
const TOKEN = 'replay-admin-token-0123456789';
const env = { EVENTBUS_ADMIN_TOKEN: TOKEN, EVENTBUS_CLAIM_IDLE_MS: '1000' };
const CONSUMING = ['stock', 'invoice', 'distribution'] as const;
type Consuming = (typeof CONSUMING)[number];

interface Moved {
  stream: string;
  group: string;
  lastDeliveredId: string;
}

describe('replay and pending inspection (built apps)', () => {
  const redis = useRedis();
  let checkout: AppProcess;
  const apps = {} as Record<Consuming, AppProcess>;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url, env });
    for (const name of CONSUMING) apps[name] = await startApp(name, { redisUrl: redis.url, env });
  }, T);

  const groupPath = (group: string, stream = ORDERS_STREAM) =>
    `${checkout.url}/admin/groups/${encodeURIComponent(stream)}/${group}`;
  const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}` });
  const move = (group: string, to: unknown, url = groupPath(group), token = TOKEN) =>
    request<Moved & { message?: string }>('POST', `${url}/position`, { json: { to }, headers: auth(token) });
  const groupInfo = async (group: string) => {
    const groups = (await redis.client.xinfo('GROUPS', ORDERS_STREAM)) as unknown[];
    return groups.map((flat) => flatRecord<string | number>(flat)).find((g) => g['name'] === group)!;
  };
  const streamInfo = async () => flatRecord<string | number>(await redis.client.xinfo('STREAM', ORDERS_STREAM));
  const drained = async () => {
    for (const group of CONSUMING)
      await eventually(`${group} drained`, () => groupDrained(checkout.url, ORDERS_STREAM, group), 30_000);
  };
  const stopAll = async () => {
    for (const name of CONSUMING) expect(await apps[name].stop()).toBe(0);
  };
  const startAll = async () => {
    for (const name of CONSUMING) apps[name] = await startApp(name, { redisUrl: redis.url, env });
  };

  it(
    'moved to 0, every group gets every order again and stock, invoices and shipments stay as they were',
    async () => {
      const sku = uniqueSku('REPLAY');
      expect((await putJson(`${apps.stock.url}/stock/${sku}`, { available: 100 })).status).toBe(200);
      const orderIds: string[] = [];
      for (let i = 0; i < 5; i++) orderIds.push((await placeOrder(checkout.url, [{ sku, quantity: 2, unitPrice: 5 }])).orderId);
      for (const orderId of orderIds) {
        await eventually(
          `shipment of ${orderId}`,
          async () => (await getJson(`${apps.distribution.url}/shipments/${orderId}`)).status === 200,
        );
        await eventually(
          `invoice of ${orderId}`,
          async () => (await getJson(`${apps.invoice.url}/invoices/${orderId}`)).status === 200,
        );
      }
      await drained();
      const state = async () => ({
        available: (await getJson<StockLevel>(`${apps.stock.url}/stock/${sku}`)).body.available,
        invoices: await Promise.all(
          orderIds.map(async (id) => (await getJson<Invoice>(`${apps.invoice.url}/invoices/${id}`)).body.number),
        ),
        shipments: await Promise.all(
          orderIds.map(async (id) => (await getJson<Shipment>(`${apps.distribution.url}/shipments/${id}`)).body.pickingOrderId),
        ),
        // Effects that ran again would announce themselves again; a dedupe hit writes no event.
        stockEvents: await redis.client.xlen(STOCK_STREAM),
        shipmentEvents: await redis.client.xlen(SHIPMENTS_STREAM),
      });
      const before = await state();
      expect(before.available).toBe(90);

      await stopAll();
      const { length, 'entries-added': added } = await streamInfo();
      for (const group of CONSUMING) {
        const res = await move(group, '0');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ stream: ORDERS_STREAM, group, lastDeliveredId: '0-0' });
        // Entries-read set with the move: Redis' lag stays exact.
        expect(await groupInfo(group)).toMatchObject({ lag: length, 'entries-read': Number(added) - Number(length) });
      }
      await startAll();
      await drained();
      for (const group of CONSUMING) expect((await groupInfo(group))['entries-read']).toBe(added);
      expect(await state()).toEqual(before);

      // Stock's outcome record is a dedupe record only: it expires (2 x retention.maxAgeMs, default 7 days);
      // the invoice and the picking order are business records: kept.
      const ttl = await redis.client.ttl(`stock:{stock}:order:${orderIds[0]}`);
      expect(ttl).toBeGreaterThan(1_209_600 - 600);
      expect(ttl).toBeLessThanOrEqual(1_209_600);
      expect(await redis.client.ttl(`invoice:{invoices}:order:${orderIds[0]}`)).toBe(-1);
      expect(await redis.client.ttl(`distribution:{shipments}:order:${orderIds[0]}`)).toBe(-1);
    },
    T,
  );

  it(
    'an entry id makes that entry next, a time the first entry at or after it, $ skips; pending entries are listed',
    async () => {
      expect(await apps.distribution.stop()).toBe(0);
      const placed: { orderId: string; entryId: string }[] = [];
      for (let i = 0; i < 3; i++) {
        const { orderId } = await placeOrder(checkout.url);
        const [[entryId]] = await redis.client.xrevrange(ORDERS_STREAM, '+', '-', 'COUNT', 1);
        placed.push({ orderId, entryId });
        await sleep(5); // distinct milliseconds, so a time names one entry
      }
      const [a, b, c] = placed;

      let res = await move('distribution', b.entryId);
      expect(res.body).toEqual({ stream: ORDERS_STREAM, group: 'distribution', lastDeliveredId: a.entryId });
      expect((await groupInfo('distribution'))['lag']).toBe(2);

      const time = new Date(Number(c.entryId.split('-')[0])).toISOString();
      res = await move('distribution', time);
      expect(res.body.lastDeliveredId).toBe(b.entryId);
      expect((await groupInfo('distribution'))['lag']).toBe(1);

      // An inspector takes c and holds it; a claim makes it a second delivery.
      await redis.client.xreadgroup('GROUP', 'distribution', 'inspector', 'COUNT', 1, 'STREAMS', ORDERS_STREAM, '>');
      await redis.client.xclaim(ORDERS_STREAM, 'distribution', 'inspector', 0, c.entryId);
      const pending = await request<{ pending: { idleMs: number }[] }>('GET', `${groupPath('distribution')}/pending?count=10`, {
        headers: auth(),
      });
      expect(pending.status).toBe(200);
      const [held] = pending.body.pending;
      expect(pending.body.pending).toEqual([{ id: c.entryId, consumer: 'inspector', idleMs: held.idleMs, deliveries: 2 }]);
      expect(held.idleMs).toBeGreaterThanOrEqual(0);
      expect(held.idleMs).toBeLessThan(30_000);
      const byOther = await request<{ pending: unknown[] }>('GET', `${groupPath('distribution')}/pending?consumer=someone-else`, {
        headers: auth(),
      });
      expect(byOther.body).toEqual({ pending: [] });
      for (const count of ['0', '1001', 'abc', '-1']) {
        const bad = await request('GET', `${groupPath('distribution')}/pending?count=${count}`, { headers: auth() });
        expect({ count, status: bad.status }).toEqual({ count, status: 400 });
      }
      await redis.client.xack(ORDERS_STREAM, 'distribution', c.entryId);

      res = await move('distribution', '$');
      expect(res.body.lastDeliveredId).toBe(c.entryId);
      expect((await groupInfo('distribution'))['lag']).toBe(0);

      apps.distribution = await startApp('distribution', { redisUrl: redis.url, env });
      const { orderId: later } = await placeOrder(checkout.url);
      await eventually(
        'the later order shipped',
        async () => (await getJson(`${apps.distribution.url}/shipments/${later}`)).status === 200,
      );
      for (const skipped of [a, b, c]) {
        expect((await getJson(`${apps.distribution.url}/shipments/${skipped.orderId}`)).status).toBe(404);
      }
    },
    T,
  );

  it(
    'answers 401 without the token, 404 for an undeclared group or stream, 400 for a bad "to", 409 past the replay window',
    async () => {
      expect((await move('stock', '0', groupPath('stock'), 'wrong-token-0123456789')).status).toBe(401);
      expect((await request('POST', `${groupPath('stock')}/position`, { json: { to: '0' } })).status).toBe(401);
      expect((await request('GET', `${groupPath('stock')}/pending`)).status).toBe(401);
      expect((await move('nobody', '0')).status).toBe(404);
      expect((await move('stock', '0', groupPath('stock', 'events:{nowhere}'))).status).toBe(404);
      expect((await request('GET', `${groupPath('nobody')}/pending`, { headers: auth() })).status).toBe(404);
      for (const to of ['yesterday', '12', '', 5, undefined]) {
        const res = await move('stock', to);
        expect({ to, status: res.status }).toEqual({ to, status: 400 });
        expect(res.body.message).toMatch(/entry id .*"0".*"\$".*ISO-8601/);
      }

      // An app whose retention keeps 1 s of history: the orders above are older than that, so
      // replaying them could outlive their dedupe records. Skipping forward stays allowed.
      const strict = await startApp('checkout', {
        redisUrl: redis.url,
        env: { ...env, EVENTBUS_RETENTION_MAX_AGE_MS: '1000', EVENTBUS_RETENTION_INTERVAL_MS: '86400000' },
      });
      const strictPath = `${strict.url}/admin/groups/${encodeURIComponent(ORDERS_STREAM)}/stock`;
      const refused = await move('stock', '0', strictPath);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/older than the replay window/);
      expect((await move('stock', '$', strictPath)).status).toBe(200);
    },
    T,
  );
});
