// Structured logs of the built apps with LOG_FORMAT=json, and the request id → correlation id link.
import { startApp, startApps, type AppProcess } from './support/app-process.js';
import { eventually } from './support/eventually.js';
import { ORDERS_STREAM, uniqueSku } from './support/system.js';
import { postJson } from './support/http.js';
import { useRedis } from './support/test-redis.js';

const T = 90_000;

type LogLine = Record<string, unknown>;

/** Every non-empty stdout line as JSON; a line that does not parse fails the test, naming it. */
function jsonLines(app: AppProcess): LogLine[] {
  return app
    .stdout()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`${app.name} wrote a stdout line that is not JSON: ${line}`);
      }
    });
}

describe('logs (LOG_FORMAT=json)', () => {
  const redis = useRedis();
  let apps: Record<'checkout' | 'stock', AppProcess>;

  beforeAll(async () => {
    apps = await startApps(['checkout', 'stock'], { redisUrl: redis.url, env: { LOG_FORMAT: 'json' } });
  }, T);

  it(
    'a request id becomes the correlation id of its event, and every log line about the delivery carries the event fields',
    async () => {
      const sku = uniqueSku();
      // A hash where stock expects a number: its handler fails (WRONGTYPE) until the key is fixed.
      await redis.client.hset(`stock:{stock}:sku:${sku}`, 'broken', '1');
      const res = await postJson<{ orderId: string; eventId: string }>(
        `${apps.checkout.url}/checkout`,
        { customerId: 'c-1', items: [{ sku, quantity: 1, unitPrice: 2 }] },
        { headers: { 'x-request-id': 'req-abc' } },
      );
      expect(res.status).toBe(202);
      expect(res.headers.get('x-request-id')).toBe('req-abc');
      const { eventId } = res.body;

      const entries = await redis.client.xrange(ORDERS_STREAM, '-', '+');
      const entry = entries.find(([, fields]) => fields[fields.indexOf('id') + 1] === eventId);
      expect(entry).toBeDefined();
      const [entryId, fields] = entry!;
      expect((JSON.parse(fields[fields.indexOf('meta') + 1]) as unknown[])[4]).toBe('req-abc');

      const aboutEvent = () => jsonLines(apps.stock).filter((line) => line.eventId === eventId);
      await eventually('stock logs the failed attempt', () => aboutEvent().some((line) => line.level === 'warn'));
      await redis.client.del(`stock:{stock}:sku:${sku}`);
      await redis.client.set(`stock:{stock}:sku:${sku}`, '5');
      await eventually('stock logs the event handled after its retry', () =>
        aboutEvent().some((line) => String(line.msg).startsWith('Handled order.approved')),
      );

      const lines = aboutEvent();
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) {
        expect(line).toMatchObject({
          eventId,
          correlationId: 'req-abc',
          type: 'order.approved',
          stream: ORDERS_STREAM,
          group: 'stock',
          entryId,
        });
      }
      expect(await redis.client.get(`stock:{stock}:sku:${sku}`)).toBe('4');

      // Checkout's request line names the request id; the harness' /health polls leave none.
      const requests = jsonLines(apps.checkout).filter((line) => line.msg === 'request completed');
      expect(requests).toContainEqual(
        expect.objectContaining({ requestId: 'req-abc', req: { method: 'POST', url: '/checkout' }, res: { statusCode: 202 } }),
      );
      expect(requests.filter((line) => String((line.req as { url: string }).url).startsWith('/health'))).toEqual([]);
      // Nest's own start-up lines came through pino too.
      expect(jsonLines(apps.checkout)).toContainEqual(expect.objectContaining({ context: 'NestApplication', level: 'info' }));
    },
    T,
  );

  it(
    'replaces an unsafe x-request-id with a UUID',
    async () => {
      const res = await postJson(
        `${apps.checkout.url}/checkout`,
        { customerId: 'c-1', items: [{ sku: uniqueSku(), quantity: 1, unitPrice: 1 }] },
        { headers: { 'x-request-id': 'a b<script>' } },
      );
      expect(res.status).toBe(202);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    },
    T,
  );

  it(
    'a bad LOG_FORMAT stops start-up naming the variable',
    async () => {
      const app = await startApp('invoice', { redisUrl: redis.url, env: { LOG_FORMAT: 'xml' }, waitForHealthy: false });
      const code = await app.exit(15_000);
      expect(code).toBe(1);
      expect(app.output()).toContain('LOG_FORMAT');
    },
    T,
  );
});
