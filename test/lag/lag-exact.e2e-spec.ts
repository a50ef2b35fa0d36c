// Lag that stays true after trims and deletions (issue 7 point 7), on a real redis-server: Redis
// 7.0's own counter is shown beside each case, since it is what the view used to report.
import type { Redis } from 'ioredis';
import { resolveEventBusConfig } from '../../libs/eventbus/src/eventbus.options.js';
import { StreamLagService } from '../../libs/eventbus/src/lag/stream-lag.service.js';
import { StreamTopologyRegistry } from '../../libs/eventbus/src/redis/stream-topology.registry.js';
import { connectRedis } from '../support/redis-client.js';
import { useRedis } from '../support/test-redis.js';

const STREAM = 'lag:{exact}';
const GROUP = 'reader';

describe('exact lag after trims and deletions', () => {
  const redis = useRedis();
  let client: Redis;
  let connections: Redis[] = [];

  /** A lag view of its own (fresh memory), as a newly started app would have. */
  const lagView = (): StreamLagService => {
    const connection = connectRedis(redis.url);
    connections.push(connection);
    const config = resolveEventBusConfig({ service: 'viewer', topology: [{ stream: STREAM, groups: [GROUP] }] });
    return new StreamLagService(connection, new StreamTopologyRegistry(config), config);
  };
  const lagOf = async (view: StreamLagService): Promise<number> => {
    const report = await view.report();
    return report.streams.find((s) => s.stream === STREAM)!.groups.find((g) => g.group === GROUP)!.lag;
  };
  const redisLag = async (): Promise<number | null> => {
    const groups = (await client.xinfo('GROUPS', STREAM)) as unknown[][];
    const fields = groups[0];
    const value = fields[fields.indexOf('lag') + 1];
    return value === null ? null : Number(value);
  };
  const append = async (count: number): Promise<void> => {
    const pipeline = client.pipeline();
    for (let i = 0; i < count; i++) pipeline.xadd(STREAM, '*', 'n', String(i));
    await pipeline.exec();
  };
  const read = (count: number) => client.xreadgroup('GROUP', GROUP, 'c1', 'COUNT', count, 'STREAMS', STREAM, '>');
  const xrangeCalls = async (): Promise<number> => {
    const info = await client.info('commandstats');
    return Number(/cmdstat_xrange:calls=(\d+)/.exec(info)?.[1] ?? 0);
  };

  beforeEach(async () => {
    client = redis.client;
    await client.flushall();
    await client.config('RESETSTAT');
    await append(1);
    await client.xgroup('CREATE', STREAM, GROUP, '0');
    await read(1); // the group's read counter is now valid, as in a running system
  });

  afterEach(async () => {
    for (const connection of connections) connection.disconnect();
    connections = [];
  });

  it('counts what remains after a trim passed the group, as it reads on, and 0 once it drained', async () => {
    const view = lagView();
    await append(10);
    expect(await lagOf(view)).toBe(10);
    await client.xtrim(STREAM, 'MAXLEN', 3);
    expect(await redisLag()).toBe(10); // Redis keeps its counter across the trim
    expect(await lagOf(view)).toBe(3);
    await read(1);
    expect(await redisLag()).toBe(9);
    expect(await lagOf(view)).toBe(2);
    expect(await lagOf(lagView())).toBe(2); // an app that never saw the trim finds the counter off too
    await append(5); // from here Redis' counter, less the offset learnt, without counting again
    const before = await xrangeCalls();
    expect(await lagOf(view)).toBe(7);
    expect((await xrangeCalls()) - before).toBe(1); // the oldest waiting entry's id, for the time lag
    await read(100);
    expect(await redisLag()).toBe(7); // the case: drained, and Redis still says 7
    expect(await lagOf(view)).toBe(0);
  });

  it('takes Redis’ counter as it is when nothing was removed, without counting', async () => {
    const view = lagView();
    await append(20);
    await read(5);
    const before = await xrangeCalls();
    expect(await lagOf(view)).toBe(15);
    expect((await xrangeCalls()) - before).toBe(1);
  });

  it('reports the whole stream for a group the trim left behind', async () => {
    await append(50);
    await client.xtrim(STREAM, 'MAXLEN', 20);
    expect(await lagOf(lagView())).toBe(20);
  });

  it('counts once after a deletion ahead of the group, then keeps the count while only appends happen', async () => {
    const view = lagView();
    await append(20);
    await read(5);
    const [[tenth]] = (await client.xrange(STREAM, '-', '+')).slice(10, 11);
    await client.xdel(STREAM, tenth);
    expect(await redisLag()).toBeNull(); // Redis cannot tell any more
    expect(await lagOf(view)).toBe(14);
    await append(3);
    const before = await xrangeCalls();
    expect(await lagOf(view)).toBe(17);
    expect((await xrangeCalls()) - before).toBe(1);
    await read(4);
    expect(await lagOf(view)).toBe(13);
  });

  it('bounds the count behind a large backlog after a deletion', async () => {
    await append(30_000);
    const ids = (await client.xrange(STREAM, '-', '+', 'COUNT', 20)).map(([id]) => id);
    await client.xdel(STREAM, ids[10]);
    expect(await redisLag()).toBeNull();
    const before = await xrangeCalls();
    const lag = await lagOf(lagView());
    // Past the bound: entries-added minus entries-read (30,000, the deleted entry included),
    // clamped to the entries that can wait (the length less the first, which the group read).
    expect(lag).toBe(29_999);
    expect((await xrangeCalls()) - before).toBeLessThanOrEqual(12);
  });

  it('counts past the bound only once while a stale counter does not drop', async () => {
    const view = lagView();
    await append(12_000);
    await client.xtrim(STREAM, 'MAXLEN', 11_500); // passes the group, which read only the first entry
    expect(await lagOf(view)).toBe(11_500);
    await read(1);
    const first = await xrangeCalls();
    const lag = await lagOf(view);
    expect((await xrangeCalls()) - first).toBeGreaterThan(10); // the bounded count, given up past 10,000
    expect(lag).toBe(11_499); // Redis' counter (11,999) clamped to the length less the entry read
    await append(10);
    const second = await xrangeCalls();
    expect(await lagOf(view)).toBe(11_509);
    expect((await xrangeCalls()) - second).toBe(1); // no count again: only the oldest waiting entry's id
  });
});
