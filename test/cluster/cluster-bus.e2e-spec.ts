// The library on a Redis Cluster, in process: through the `cluster` option, and through a `Cluster`
// connection the app made itself (`connection`), whose duplicate each consumer reads on.
import { Cluster } from 'ioredis';
import { idsOf, PING_STREAM, publishPings, startBus, type BusInstance, type Delivery } from '../eventbus/bus-harness.js';
import { eventually } from '../support/eventually.js';
import { useRedisCluster } from '../support/redis-cluster.js';

const T = 60_000;

describe('the library on a Redis Cluster', () => {
  const redis = useRedisCluster();
  const running: BusInstance[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((bus) => bus.close()));
  });
  const start = async (...args: Parameters<typeof startBus>) => {
    const bus = await startBus(...args);
    running.push(bus);
    return bus;
  };

  it(
    'cluster: { nodes }: every event published is delivered once',
    async () => {
      const deliveries: Delivery[] = [];
      const nodes = redis.cluster.nodes.split(',');
      // `url` points nowhere: with `cluster` set it is not used.
      const options = { url: 'redis://127.0.0.1:1', cluster: { nodes }, topology: [{ stream: PING_STREAM, groups: ['pong'] }] };
      await start({ ...options, service: 'pong' }, deliveries);
      const { publisher } = await start({ ...options, service: 'producer' }, []);
      const ids = await publishPings(publisher, 100);
      await eventually('100 deliveries', () => deliveries.length >= 100);
      expect(idsOf(deliveries).sort()).toEqual([...ids].sort());
    },
    T,
  );

  it(
    'connection: a Cluster of the app: used for commands, duplicated for reads, left open',
    async () => {
      const connection = new Cluster(
        redis.cluster.masters.map((master) => ({ host: '127.0.0.1', port: master.port })),
        { enableOfflineQueue: false, redisOptions: { commandTimeout: 2_000 } },
      );
      await new Promise((resolve) => connection.once('ready', resolve));
      try {
        const deliveries: Delivery[] = [];
        const bus = await start({ url: 'redis://127.0.0.1:1', connection, service: 'handed' }, deliveries);
        const ids = await publishPings(bus.publisher, 50);
        // The group starts at 0: it also gets the first test's 100 pings, each once.
        await eventually('150 deliveries', () => deliveries.length >= 150);
        const delivered = idsOf(deliveries);
        expect(new Set(delivered).size).toBe(delivered.length);
        expect(ids.filter((id) => !delivered.includes(id))).toEqual([]);
        await bus.close();
        running.splice(running.indexOf(bus), 1);
        expect(connection.status).toBe('ready');
      } finally {
        connection.disconnect();
      }
    },
    T,
  );
});
