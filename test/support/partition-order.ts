// What the partition tests (one Redis or a Redis Cluster) check besides the effects: who holds which
// partition, which events each instance handled and in which order (`LOG_LEVEL=debug` JSON lines),
// and that no app printed a Redis error.
import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
// Internal helpers: the tests write extra events of an order into the order's partition itself.
import { encodeEnvelope } from '../../libs/eventbus/src/envelope/envelope.codec.js';
import { partitionOf } from '../../libs/eventbus/src/partitions/partition.streams.js';
import type { CheckoutBody } from './api.js';
import type { AppProcess } from './app-process.js';
import { connectRedis, scanKeys } from './redis-client.js';
import type { RedisCluster } from './redis-cluster.js';

/** The environment of one instance: its consumer name, short leases, JSON debug logs. */
export const partitionedEnv = (partitions: number, consumer: string): Record<string, string> => ({
  EVENTBUS_PARTITIONS: String(partitions),
  EVENTBUS_LEASE_MS: '2000',
  EVENTBUS_CONSUMER: consumer,
  LOG_FORMAT: 'json',
  LOG_LEVEL: 'debug',
});

/** What an app prints when Redis refused or failed a command (or a read or write failed at all). */
const REDIS_ERRORS = /CROSSSLOT|ReplyError|Too many Cluster redirections|Cluster isn't ready|MOVED|ASK |NOSCRIPT|ERR |failed \(/;

export const redisErrors = (app: AppProcess): string[] =>
  app
    .output()
    .split('\n')
    .filter((line) => REDIS_ERRORS.test(line));

/** All keys matching `pattern` on every master (SCAN reaches one node only). */
export async function scanCluster(cluster: RedisCluster, pattern: string): Promise<string[]> {
  const keys = await Promise.all(
    cluster.masters.map(async (master) => {
      const node = connectRedis(master.url);
      try {
        return await scanKeys(node, pattern);
      } finally {
        node.disconnect();
      }
    }),
  );
  return keys.flat().sort();
}

/** The consumer holding each of `streams` for `group` (undefined: free). */
export const leaseHolders = (
  client: Redis | Cluster,
  streams: readonly string[],
  group: string,
): Promise<(string | undefined)[]> =>
  Promise.all(streams.map(async (stream) => (await client.get(`${stream}:lease:${group}`))?.split(' ')[0]));

/** Partitions held per consumer. */
export function splitOf(held: readonly (string | undefined)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const holder of held) if (holder) counts.set(holder, (counts.get(holder) ?? 0) + 1);
  return counts;
}

/** `a,b,c` of the partitions held per instance, smallest first: `1,1,2` for 4 over 3. */
export const splitShape = (counts: Map<string, number>): string => [...counts.values()].sort((x, y) => x - y).join();

/** An even split of `partitions` over `instances`, as `splitShape` prints it, every partition held. */
export function evenShape(partitions: number, instances: number): string {
  const base = Math.floor(partitions / instances);
  const extra = partitions % instances;
  return Array.from({ length: instances }, (_, i) => base + (i < instances - extra ? 0 : 1))
    .filter((count) => count > 0)
    .join();
}

/** `XINFO GROUPS` of `stream`, one record per group. */
async function groupsOf(client: Cluster, stream: string): Promise<Record<string, unknown>[]> {
  const rows = (await client.xinfo('GROUPS', stream)) as unknown[][];
  return rows.map((row) =>
    Object.fromEntries(Array.from({ length: row.length / 2 }, (_, i) => [String(row[2 * i]), row[2 * i + 1]])),
  );
}

/** True when every group of every stream has nothing undelivered and nothing unacknowledged. */
export async function drained(client: Cluster, streams: readonly string[]): Promise<boolean> {
  for (const stream of streams)
    if ((await groupsOf(client, stream)).some((info) => info.lag !== 0 || info.pending !== 0)) return false;
  return true;
}

/** Entries of `streams` that `group` has not acknowledged yet (undelivered + pending). */
export async function unacknowledged(client: Cluster, streams: readonly string[], group: string): Promise<number> {
  let waiting = 0;
  for (const stream of streams) {
    const info = (await groupsOf(client, stream)).find((fields) => fields.name === group);
    waiting += Number(info?.lag ?? 0) + Number(info?.pending ?? 0);
  }
  return waiting;
}

/**
 * Two more `order.approved` events of an accepted order, written into its partition after
 * checkout's: repeats every service absorbs by its dedupe record, but handles, in this order,
 * after the first. Returns their ids.
 */
export async function appendRepeats(
  client: Redis | Cluster,
  partitionStreams: readonly string[],
  orderId: string,
  body: CheckoutBody,
  count = 2,
): Promise<string[]> {
  const stream = partitionStreams[partitionOf(orderId, partitionStreams.length)];
  const total = body.items.reduce((sum, { quantity, unitPrice }) => sum + quantity * unitPrice, 0);
  const ids: string[] = [];
  for (let repeat = 0; repeat < count; repeat++) {
    const id = randomUUID();
    const fields = encodeEnvelope({
      id,
      type: 'order.approved',
      version: 1,
      data: JSON.stringify({ orderId, customerId: body.customerId, items: body.items, total }),
      occurredAt: new Date().toISOString(),
      producer: 'test',
      correlationId: orderId,
      key: orderId,
    });
    await client.xadd(stream, '*', ...fields);
    ids.push(id);
  }
  return ids;
}

export interface Handled {
  instance: string;
  eventId: string;
  stream: string;
  entryId: string;
  time: number;
}

/** Every acknowledged delivery an instance logged (`LOG_LEVEL=debug`), in its log order. */
export function handledBy(app: AppProcess, instance: string): Handled[] {
  const lines: Handled[] = [];
  for (const line of app.stdout().split('\n')) {
    if (!line.includes('"Handled"')) continue;
    const record = JSON.parse(line) as { msg: string; eventId: string; stream: string; entryId: string; time: string };
    if (record.msg !== 'Handled') continue;
    lines.push({
      instance,
      eventId: record.eventId,
      stream: record.stream,
      entryId: record.entryId,
      time: Date.parse(record.time),
    });
  }
  return lines;
}

/** "1700000000000-3" → comparable. */
export const entryOrder = (a: string, b: string): number => {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || as - bs;
};

export interface OrderCheck {
  /** Orders whose events were handled out of publication order (should be empty). */
  violations: string[];
  /** Orders with a handling missing from the logs (a killed instance loses what its pipe held). */
  unlogged: number;
  /** Handlings logged per instance. */
  handled: Map<string, number>;
}

/**
 * Per-key order for one group: per order, the first handling of each of its events (over all
 * instances, by log time) follows publication order, and within one instance an order's events
 * never go backwards. `eventsOf`: each order's event ids in publication order.
 */
export function checkOrderPerKey(
  instances: ReadonlyMap<string, AppProcess>,
  eventsOf: ReadonlyMap<string, string[]>,
): OrderCheck {
  const handled = [...instances].flatMap(([name, app]) => handledBy(app, name));
  const eventOrder = new Map<string, { orderId: string; index: number }>();
  for (const [orderId, ids] of eventsOf) ids.forEach((id, index) => eventOrder.set(id, { orderId, index }));
  const firstSeen = new Map<string, Handled>();
  for (const record of [...handled].sort((x, y) => x.time - y.time))
    if (!firstSeen.has(record.eventId)) firstSeen.set(record.eventId, record);

  const violations: string[] = [];
  let unlogged = 0;
  for (const [orderId, ids] of eventsOf) {
    const seen = ids.map((id) => firstSeen.get(id));
    if (seen.some((record) => record === undefined)) {
      unlogged += 1;
      continue;
    }
    const times = seen.map((record) => record!.time);
    const entries = seen.map((record) => record!.entryId);
    if (
      times.some((time, i) => i > 0 && time < times[i - 1]) ||
      entries.some((id, i) => i > 0 && entryOrder(id, entries[i - 1]) < 0)
    )
      violations.push(`${orderId}: first handled at ${times.join(', ')} (entries ${entries.join(', ')})`);
  }
  for (const [name] of instances) {
    const last = new Map<string, number>();
    for (const record of handled) {
      const position = record.instance === name ? eventOrder.get(record.eventId) : undefined;
      if (!position) continue;
      if (position.index < (last.get(position.orderId) ?? 0))
        violations.push(`${position.orderId}: ${name} handled event ${position.index} after a later one`);
      last.set(position.orderId, position.index);
    }
  }
  const counts = new Map(
    [...instances.keys()].map((name) => [name, handled.filter((record) => record.instance === name).length]),
  );
  return { violations, unlogged, handled: counts };
}
