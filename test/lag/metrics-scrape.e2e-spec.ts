// /metrics of the built apps: Redis-derived gauges current at every scrape (issue 7 point 6), the
// bus' counters and histogram, and a scrape that still answers with Redis away (issue 7 point 2).
import { startApp, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { request } from '../support/http.js';
import { ORDERS_STREAM, placeOrder } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

const T = 90_000;

/** `name{labels} value` lines of a Prometheus text answer, by series. */
function samples(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

async function scrape(app: AppProcess): Promise<Map<string, number>> {
  const res = await request('GET', `${app.url}/metrics`, { headers: { accept: 'text/plain' }, timeoutMs: 15_000 });
  expect(res.status).toBe(200);
  return samples(res.text);
}

const ordersLength = `eventbus_stream_length{stream="${ORDERS_STREAM}"}`;

describe('/metrics', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });
  let checkout: AppProcess;
  let stock: AppProcess;

  beforeAll(async () => {
    // Entries before the app starts: a stale gauge would show none of them on the first scrape.
    for (let i = 0; i < 7; i++) await redis.client.xadd(ORDERS_STREAM, '*', 'raw', String(i));
    checkout = await startApp('checkout', { redisUrl: redis.url });
  }, T);

  it(
    'shows the stream length Redis has on the first scrape of a fresh app, and on the next after appends',
    async () => {
      expect((await scrape(checkout)).get(ordersLength)).toBe(await redis.client.xlen(ORDERS_STREAM));
      for (let i = 0; i < 5; i++) await redis.client.xadd(ORDERS_STREAM, '*', 'raw', String(i));
      const next = await scrape(checkout);
      expect(next.get(ordersLength)).toBe(await redis.client.xlen(ORDERS_STREAM));
      expect(next.get(`eventbus_stream_lag{stream="${ORDERS_STREAM}",group="distribution"}`)).toBe(12);
      expect(next.get('eventbus_redis_up')).toBe(1);
    },
    T,
  );

  it(
    'counts published and handled events, times handlers, and gives each group its status and time lag',
    async () => {
      stock = await startApp('stock', { redisUrl: redis.url });
      const order = await placeOrder(checkout.url);
      expect(order.orderId).toBeDefined();
      const published = await scrape(checkout);
      expect(published.get(`eventbus_events_published_total{stream="${ORDERS_STREAM}",type="order.approved"}`)).toBe(1);
      const handled = await eventually('stock handled the order', async () => {
        const series = await scrape(stock);
        const labels = `stream="${ORDERS_STREAM}",group="stock",type="order.approved"`;
        return (series.get(`eventbus_handler_duration_seconds_count{${labels}}`) ?? 0) >= 1 &&
          (series.get(`eventbus_events_handled_total{${labels},outcome="ack"}`) ?? 0) >= 1
          ? series
          : undefined;
      });
      expect(handled.get(`eventbus_group_status{stream="${ORDERS_STREAM}",group="stock",status="OK"}`)).toBe(1);
      expect(handled.get(`eventbus_group_status{stream="${ORDERS_STREAM}",group="stock",status="STOP"}`)).toBe(0);
      // Invoice never ran: its backlog waits, it is stopped, and its oldest entry has an age.
      expect(handled.get(`eventbus_group_status{stream="${ORDERS_STREAM}",group="invoice",status="STOP"}`)).toBe(1);
      expect(handled.get(`eventbus_stream_time_lag_seconds{stream="${ORDERS_STREAM}",group="invoice"}`)).toBeGreaterThan(0);
      for (const name of [
        'eventbus_stream_pending',
        'eventbus_stream_consumers',
        'eventbus_dead_letters',
        'eventbus_stream_lost',
      ]) {
        expect({ name, value: handled.get(`${name}{stream="${ORDERS_STREAM}",group="stock"}`) }).toEqual({
          name,
          value: expect.any(Number) as unknown,
        });
      }
    },
    T,
  );

  it(
    'answers 200 with the process metrics and counters while Redis is away, the Redis gauges left out',
    async () => {
      await redis.server.stop();
      const started = Date.now();
      const away = await scrape(checkout);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(away.get('eventbus_redis_up')).toBe(0);
      expect(away.has(ordersLength)).toBe(false);
      expect([...away.keys()].some((key) => key.startsWith('eventbus_stream_lag'))).toBe(false);
      expect(away.get(`eventbus_events_published_total{stream="${ORDERS_STREAM}",type="order.approved"}`)).toBe(1);
      expect(away.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    },
    T,
  );
});
