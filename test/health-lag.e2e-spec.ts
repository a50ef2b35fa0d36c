// /streams/lag, /metrics and /health, including Redis going away and coming back.
import { startApp, type AppProcess } from './support/app-process.js';
import type { LagReport } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getJson, postJson, request } from './support/http.js';
import { connectRedis } from './support/redis-client.js';
import { orderBody, ORDERS_STREAM, placeOrder, STREAM_GROUPS, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 90_000;

describe('health, lag and metrics', () => {
  // AOF: the restart below brings the streams and groups back, as a real Redis restart would.
  const redis = useRedis({ aof: true }, { hookTimeoutMs: T });
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url });
  }, T);

  it(
    'lists every stream and every group with numeric counters while only checkout runs',
    async () => {
      const res = await getJson<LagReport>(`${checkout.url}/streams/lag`);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.streams)).toBe(true);
      for (const [stream, groups] of Object.entries(STREAM_GROUPS)) {
        const entry = res.body.streams.find((s) => s.stream === stream);
        expect(entry).toBeDefined();
        expect(typeof entry?.length).toBe('number');
        expect(entry?.groups.map((g) => g.group).sort()).toEqual(expect.arrayContaining([...groups].sort()));
        for (const group of entry?.groups ?? []) {
          for (const field of ['consumers', 'pending', 'lag', 'deadLetters'] as const) {
            expect({ stream, group: group.group, field, type: typeof group[field] }).toEqual({
              stream,
              group: group.group,
              field,
              type: 'number',
            });
          }
        }
      }
    },
    T,
  );

  it(
    'counts an undelivered order as lag of the groups whose apps do not run',
    async () => {
      const before = await getJson<LagReport>(`${checkout.url}/streams/lag`);
      const lagOf = (report: LagReport, group: string): number =>
        report.streams.find((s) => s.stream === ORDERS_STREAM)?.groups.find((g) => g.group === group)?.lag ?? -1;
      await placeOrder(checkout.url);
      const after = await getJson<LagReport>(`${checkout.url}/streams/lag`);
      for (const group of STREAM_GROUPS[ORDERS_STREAM]) {
        expect(lagOf(after.body, group)).toBe(lagOf(before.body, group) + 1);
      }
      expect(after.body.streams.find((s) => s.stream === ORDERS_STREAM)?.length).toBe(
        (before.body.streams.find((s) => s.stream === ORDERS_STREAM)?.length ?? 0) + 1,
      );
    },
    T,
  );

  it(
    'exposes a Prometheus lag gauge per stream and group on /metrics',
    async () => {
      const res = await request('GET', `${checkout.url}/metrics`, { headers: { accept: 'text/plain' } });
      expect(res.status).toBe(200);
      const samples = res.text.split('\n').filter((line) => line.length > 0 && !line.startsWith('#'));
      const lagSample = (group: string): string | undefined =>
        samples.find((line) => {
          const name = line.split(/[{\s]/, 1)[0];
          return (
            /lag/i.test(name) &&
            line.includes(ORDERS_STREAM) &&
            line.includes(`"${group}"`) &&
            /\s-?[\d.eE+]+(\s+\d+)?$/.test(line)
          );
        });
      for (const group of STREAM_GROUPS[ORDERS_STREAM]) {
        expect({ group, line: lagSample(group) ?? `no lag sample for ${group} in:\n${res.text.slice(0, 2000)}` }).toEqual({
          group,
          line: expect.stringContaining(ORDERS_STREAM) as unknown,
        });
      }
      // A gauge is declared as such.
      expect(res.text).toMatch(/^# TYPE \S*lag\S* gauge$/im);
    },
    T,
  );

  it(
    'reports 503 while Redis is down, refuses a checkout within 5 s, and recovers after a restart',
    async () => {
      const invoice = await startApp('invoice', { redisUrl: redis.url });
      expect((await getJson(`${checkout.url}/health`)).status).toBe(200);
      const client = connectRedis(redis.url);
      const lengthBefore = await client.xlen(ORDERS_STREAM);
      client.disconnect();
      await redis.server.stop();

      const down = await eventually(
        'GET /health 503 after Redis stopped',
        async () => {
          const res = await getJson(`${checkout.url}/health`, { timeoutMs: 10_000 });
          return res.status === 503 ? res : undefined;
        },
        30_000,
      );
      expect(typeof down.body).toBe('object');

      const body = orderBody([{ sku: uniqueSku(), quantity: 1, unitPrice: 1 }]);
      const started = Date.now();
      const refused = await postJson(`${checkout.url}/checkout`, body, { timeoutMs: 15_000 });
      const elapsed = Date.now() - started;
      expect(refused.status).toBe(503);
      expect(elapsed).toBeLessThan(5_000);
      await eventually(
        'invoice GET /health 503 while Redis is down',
        async () => (await getJson(`${invoice.url}/health`, { timeoutMs: 10_000 })).status === 503,
        30_000,
      );

      await redis.server.restart();
      for (const app of [checkout, invoice]) {
        await eventually(
          `${app.name} GET /health 200 after Redis restarted`,
          async () => {
            const res = await getJson(`${app.url}/health`);
            return res.status === 200;
          },
          30_000,
        );
      }
      // The refused checkout left nothing behind (AOF keeps everything that was written).
      const after = connectRedis(redis.url);
      try {
        expect(await after.xlen(ORDERS_STREAM)).toBe(lengthBefore);
        const accepted = await placeOrder(checkout.url, body);
        expect(await after.xlen(ORDERS_STREAM)).toBe(lengthBefore + 1);
        expect((await getJson(`${checkout.url}/orders/${accepted.orderId}`)).status).toBe(200);
        // The consumers came back too: the new order is invoiced.
        await eventually(
          'invoice issued after the outage',
          async () => (await getJson(`${invoice.url}/invoices/${accepted.orderId}`)).status === 200,
          30_000,
        );
      } finally {
        after.disconnect();
      }
    },
    T,
  );
});
