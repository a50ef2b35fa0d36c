// Fault injection under Redis Sentinel: a master, two replicas and three sentinels on loopback;
// the four apps reach Redis through the sentinels. The master fails in the middle of a burst of
// orders (kill -9, then a SENTINEL FAILOVER that demotes a live master). Every order answered 202
// must be on the new master and fully handled exactly once; an order answered 503 is either fully
// there or absent; acknowledgements lost with the old master come back as redeliveries, absorbed.
import type { Redis } from 'ioredis';
import type { CheckoutAccepted, OrderView } from '../support/api.js';
import { startApps, stopAllApps, type AppName, type AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { getJson, postJson, putJson, request } from '../support/http.js';
import { runPool } from '../support/pool.js';
import { fieldsToRecord, scanKeys } from '../support/redis-client.js';
import type { RedisServer } from '../support/redis-server.js';
import { startSentinelSetup, type SentinelSetup } from '../support/redis-sentinel.js';
import { ORDERS_STREAM, uniqueSku } from '../support/system.js';

const ORDERS = 240;
/** The fault strikes when this order is sent; orders from `AFTER` on wait until checkout is healthy again. */
const FAULT_AT = 60;
const AFTER = 180;
const INITIAL = 100_000;
const CONSUMERS: readonly AppName[] = ['stock', 'invoice', 'distribution', 'checkout'];

interface Answer {
  index: number;
  status: number;
  orderId?: string;
  outcome?: string;
  startedAt: number;
}

describe('Redis Sentinel failover during a burst', () => {
  let setup: SentinelSetup;
  let apps: Record<AppName, AppProcess>;

  /** The four apps through the sentinels. */
  async function startAll(): Promise<void> {
    apps = await startApps(['checkout', 'stock', 'invoice', 'distribution'], {
      // Under Sentinel only the URL's credentials and scheme count; its host and port are not used.
      redisUrl: 'redis://127.0.0.1:1',
      // Every replica acknowledges each write: whichever the sentinels promote has it (see the README).
      env: { ...setup.env, EVENTBUS_CLAIM_IDLE_MS: '5000', EVENTBUS_MIN_REPLICA_ACKS: '2' },
      healthTimeoutMs: 30_000,
    });
  }

  beforeAll(async () => {
    setup = await startSentinelSetup({ replicas: 2, downAfterMs: 1_000, failoverTimeoutMs: 5_000 });
    await startAll();
  }, 90_000);

  afterAll(async () => {
    await stopAllApps();
    await setup?.destroy();
  }, 60_000);

  /** Sends `ORDERS` orders, 8 at a time, striking with `fault` at `FAULT_AT`; resolves every answer. */
  async function burst(sku: string, fault: () => Promise<void>): Promise<{ answers: Answer[]; faultAt: number }> {
    let faultAt = 0;
    let struck: Promise<void> | undefined;
    let healthy: Promise<unknown> | undefined;
    const answers = await runPool(
      Array.from({ length: ORDERS }, (_, i) => i),
      8,
      async (index): Promise<Answer> => {
        if (index === FAULT_AT) {
          faultAt = Date.now();
          struck = fault();
        }
        if (index >= AFTER) {
          healthy ??= struck!.then(() =>
            eventually(
              'checkout healthy again',
              async () => (await getJson(`${apps.checkout.url}/health`)).status === 200,
              30_000,
            ),
          );
          await healthy;
        }
        const startedAt = Date.now();
        const response = await postJson<CheckoutAccepted>(
          `${apps.checkout.url}/checkout`,
          { customerId: `c-${index}`, items: [{ sku, quantity: 1 + (index % 3), unitPrice: 2 }] },
          { timeoutMs: 10_000 },
        );
        const body = response.body as Partial<CheckoutAccepted> & { outcome?: string };
        return { index, status: response.status, orderId: body?.orderId, outcome: body?.outcome, startedAt };
      },
    );
    await struck;
    return { answers, faultAt };
  }

  /** Entries each consuming app acknowledged (its own counter: it survives the failover, Redis' does not). */
  async function acknowledged(): Promise<number> {
    let total = 0;
    for (const name of CONSUMERS) {
      const text = (await request('GET', `${apps[name].url}/metrics`)).text;
      // (Label values hold braces: `stream="events:{orders}"`.)
      for (const match of text.matchAll(/^eventbus_events_handled_total\{.*outcome="ack".*\} (\d+)$/gm))
        total += Number(match[1]);
    }
    return total;
  }

  /** Entries the consuming groups had to acknowledge: each orders entry three times, each reply once. */
  async function entriesToAcknowledge(client: Redis): Promise<number> {
    let total = 0;
    for (const [stream, groups] of [
      [ORDERS_STREAM, 3],
      ['events:{stock}', 1],
      ['events:{invoices}', 1],
      ['events:{shipments}', 1],
    ] as const) {
      total += groups * (await client.xlen(stream));
    }
    return total;
  }

  async function checkNothingLost(
    sku: string,
    answers: Answer[],
    client: Redis,
    recovered: boolean,
  ): Promise<{ stored: string[] }> {
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 503);
    expect(answers.filter((a) => a.status !== 202 && a.status !== 503)).toEqual([]);
    expect(refused.every((a) => a.outcome === 'unknown' || a.outcome === 'not-applied')).toBe(true);
    if (recovered) expect(answers.slice(AFTER).filter((a) => a.status !== 202)).toEqual([]);

    // This burst's orders on the new master: the order records and the order.approved entries.
    const announced = new Map<string, number>();
    for (const [, fields] of await client.xrange(ORDERS_STREAM, '-', '+')) {
      const data = JSON.parse(fields[fields.indexOf('data') + 1]) as {
        orderId: string;
        items: { sku: string; quantity: number }[];
      };
      if (data.items[0].sku === sku) announced.set(data.orderId, data.items[0].quantity);
    }
    const recorded = new Set<string>();
    for (const key of await scanKeys(client, 'checkout:{orders}:order:*')) {
      if ((await client.hget(key, 'items'))?.includes(sku)) recorded.add(key.split(':').pop()!);
    }
    // Never half: an order record exists exactly when its event does.
    expect([...recorded].sort()).toEqual([...announced.keys()].sort());
    // Every 202 is there; anything else there was announced as "unknown", never as "not applied".
    const acceptedIds = new Set(accepted.map((a) => a.orderId!));
    expect(accepted.filter((a) => !announced.has(a.orderId!))).toEqual([]);
    const mayExist = new Set(refused.filter((a) => a.outcome === 'unknown').map((a) => a.orderId));
    expect([...announced.keys()].filter((id) => !acceptedIds.has(id) && !mayExist.has(id))).toEqual([]);

    const stored = [...announced.keys()];
    let unfinished = '';
    await eventually(
      'every stored order fully handled',
      async () => {
        for (const orderId of stored) {
          const { progress } = (await getJson<OrderView>(`${apps.checkout.url}/orders/${orderId}`)).body;
          unfinished =
            `${orderId}: ${JSON.stringify(progress)}; groups: ${JSON.stringify(await groupsOf(client))}; ` +
            `picking order: ${await client.get(`distribution:{shipments}:order:${orderId}`)}; ` +
            `picking.created: ${JSON.stringify((await client.xrange('events:{shipments}', '-', '+')).filter(([, f]) => f.join(' ').includes(orderId)))}`;
          if (progress?.stock !== 'reserved' || progress.invoice !== 'issued' || progress.distribution !== 'picking')
            return false;
        }
        return true;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${unfinished}\n${error.message}`);
    });
    const lowered = [...announced.values()].reduce((sum, quantity) => sum + quantity, 0);
    expect((await getJson<{ available: number }>(`${apps.stock.url}/stock/${sku}`)).body.available).toBe(INITIAL - lowered);
    for (const orderId of stored) {
      expect(await client.exists(`invoice:{invoices}:order:${orderId}`)).toBe(1);
      expect(await client.exists(`distribution:{shipments}:order:${orderId}`)).toBe(1);
    }
    return { stored };
  }

  async function checkInvoicesUnique(client: Redis): Promise<void> {
    const keys = await scanKeys(client, 'invoice:{invoices}:order:*');
    const numbers = await Promise.all(
      keys.map(async (key) => (JSON.parse((await client.get(key))!) as { number: string }).number),
    );
    expect(new Set(numbers).size).toBe(keys.length);
    expect(Number(await client.get('invoice:{invoices}:sequence'))).toBe(keys.length);
    expect((await scanKeys(client, 'distribution:{shipments}:order:*')).length).toBe(keys.length);
  }

  /** One burst through `fault`, every check, and the report line; resolves the master the fault struck. */
  async function run(
    label: string,
    fault: (old: RedisServer) => Promise<void>,
    { failover = true }: { failover?: boolean } = {},
  ): Promise<RedisServer> {
    const sku = uniqueSku('F');
    expect((await putJson(`${apps.stock.url}/stock/${sku}`, { available: INITIAL })).status).toBe(200);
    const old = await setup.master();
    const before = setup.client(old);
    let acknowledgedBefore: number;
    let toAcknowledgeBefore: number;
    try {
      // Both replicas in sync, the stock level included (written directly, not through the publisher).
      await eventually('both replicas in sync', async () => (await before.wait(2, 500)) === 2, 30_000);
      acknowledgedBefore = await acknowledged();
      toAcknowledgeBefore = await entriesToAcknowledge(before);
    } finally {
      before.disconnect();
    }

    let failedOverAt = 0;
    const { answers, faultAt } = await burst(sku, async () => {
      await fault(old);
      await setup.awaitMaster({ timeoutMs: 30_000, replicas: 2, notOn: failover ? old : undefined });
      failedOverAt = Date.now();
    });
    const master = await setup.master();
    if (failover) expect(master.port).not.toBe(old.port);
    const client = setup.client(master);
    try {
      const { stored } = await checkNothingLost(sku, answers, client, failover);
      await checkInvoicesUnique(client);
      await eventually('every group drained', () => drained(client), 30_000).catch(async (error: Error) => {
        throw new Error(`groups (pending, lag): ${JSON.stringify(await groupsOf(client))}\n${error.message}`);
      });
      const redeliveries =
        (await acknowledged()) - acknowledgedBefore - ((await entriesToAcknowledge(client)) - toAcknowledgeBefore);
      expect(redeliveries).toBeGreaterThanOrEqual(0);
      const accepted = answers.filter((a) => a.status === 202);
      const firstAfter = accepted.filter((a) => a.startedAt > faultAt).sort((a, b) => a.startedAt - b.startedAt)[0];
      console.log(
        `Sentinel ${label}: ${ORDERS} orders, ${accepted.length} accepted (202), ` +
          `${answers.filter((a) => a.outcome === 'not-applied').length} refused as not applied (503), ` +
          `${answers.filter((a) => a.outcome === 'unknown').length} refused as unknown (503), ` +
          `${stored.length - accepted.length} of those present; ${redeliveries} redeliveries absorbed; ` +
          `${failover ? 'new master' : 'master'} ready ${failedOverAt - faultAt} ms after the fault, first 202 sent ${firstAfter.startedAt - faultAt} ms after it`,
      );
    } finally {
      client.disconnect();
    }
    return old;
  }

  /** Each group's pending and lag on `client`'s node, as `stream/group` → [pending, lag]. */
  async function groupsOf(client: Redis): Promise<Record<string, [number, number]>> {
    const groups: Record<string, [number, number]> = {};
    for (const stream of [ORDERS_STREAM, 'events:{stock}', 'events:{invoices}', 'events:{shipments}']) {
      for (const group of (await client.xinfo('GROUPS', stream)) as string[][]) {
        const record = fieldsToRecord(group);
        groups[`${stream}/${record.name}`] = [Number(record.pending), Number(record.lag)];
      }
    }
    return groups;
  }

  /**
   * Every group on the new master has nothing pending and was delivered the stream's last entry.
   * (Not XINFO's `lag`: its entries-read counter can go stale through a restart or a failover.)
   */
  async function drained(client: Redis): Promise<boolean> {
    for (const stream of [ORDERS_STREAM, 'events:{stock}', 'events:{invoices}', 'events:{shipments}']) {
      const last = (await client.xrevrange(stream, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
      for (const group of (await client.xinfo('GROUPS', stream)) as string[][]) {
        const record = fieldsToRecord(group);
        if (Number(record.pending) !== 0 || record['last-delivered-id'] !== last) return false;
      }
    }
    return true;
  }

  // Back (AOF, fsync always) about when the sentinels would judge it down: the apps reconnect to it,
  // or a failover follows; either way nothing accepted may be lost (whether every later order is
  // accepted depends on which, so that is not checked here).
  it('the master restarted: nothing accepted is lost', async () => {
    await run('master restart', (master) => master.restart(), { failover: false });
  }, 180_000);

  // The crashed master comes back (AOF) once a replica was promoted, and the sentinels turn it into
  // a replica of the new one: until then the new master has one replica and writes wait (503).
  it('kill -9 of the master: nothing accepted is lost, lost acknowledgements are absorbed', async () => {
    await run('kill -9', async (master) => {
      await master.kill9();
      await setup.awaitMaster({ timeoutMs: 30_000, replicas: 1, notOn: master });
      await master.restart();
    });
  }, 180_000);

  // A live master demoted by the sentinels keeps taking writes until they reconfigure it, and a
  // replica other than the promoted one acknowledges them meanwhile: with one acknowledgement of two
  // replicas, about a second of 202s is lost (see the README); with every replica's, nothing.
  it('SENTINEL FAILOVER of a live master: nothing accepted is lost', async () => {
    await run('SENTINEL FAILOVER', () => setup.failover());
  }, 180_000);
});
