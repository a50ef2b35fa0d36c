import { AtomicStep, DomainEvent, emit, LeaseLostError, type EventContext, type StreamTopology } from '@app/eventbus';
import { IsInt, IsString, Min } from 'class-validator';
import { leaseKey, leaseTokenKey } from '../../libs/eventbus/src/leases/lease.keys.js';
import { partitionStreams } from '../../libs/eventbus/src/partitions/partition.streams.js';
import { pendingCount } from '../support/redis-client.js';
import { sleep, waitFor } from '../support/http.js';
import { useRedis } from '../support/test-redis.js';
import {
  idsOf,
  PING_STREAM,
  PingSent,
  publishPings,
  useBuses,
  type Behaviour,
  type BusInstance,
  type Delivery,
} from './bus-harness.js';

/**
 * Partitioned topics under leases, at the bus level: each partition stream is read by one
 * instance of a group at a time; partitions spread evenly over the instances, move when one
 * leaves or dies, and a holder whose lease was taken over can neither acknowledge nor run an
 * atomic step any more.
 */
/** Each event's first handling, in handling order. */
const firstHandled = (deliveries: Delivery[]): Delivery[] => {
  const seen = new Set<string>();
  return deliveries.filter((d) => !seen.has(d.context.id) && seen.add(d.context.id));
};

describe('partitions under leases', () => {
  const redis = useRedis();
  const { bus, close } = useBuses(redis);
  const LEASE_MS = 1_500;
  const topology = (group: string): StreamTopology[] => [{ stream: PING_STREAM, groups: [group], partitions: 4 }];
  const streams = partitionStreams(PING_STREAM, 4);
  const member = (group: string, deliveries: Delivery[], more: object = {}, behaviour?: Behaviour) =>
    bus({ url: redis.url, service: group, topology: topology(group), leaseMs: LEASE_MS, ...more }, deliveries, behaviour);
  const pendingIn = async (group: string) =>
    (await Promise.all(streams.map((stream) => pendingCount(redis.client, stream, group)))).reduce((x, y) => x + y, 0);
  const producer = () => bus({ url: redis.url, service: 'producer', topology: topology('producer') }, []);
  const split = (instances: BusInstance[]) => instances.map((instance) => instance.consumers.heldStreams().length).sort();
  const heldBy = async (instances: BusInstance[], counts: number[]) =>
    waitFor(() => JSON.stringify(split(instances)) === JSON.stringify(counts), {
      description: `partitions split ${counts.join('/')} (now ${split(instances).join('/')})`,
      timeoutMs: 10 * LEASE_MS,
    });

  it('two, then three instances share 4 partitions evenly; every event once, each key in publication order', async () => {
    const deliveries: Delivery[] = [];
    const a = await member('shared', deliveries);
    const b = await member('shared', deliveries);
    await heldBy([a, b], [2, 2]);
    const c = await member('shared', deliveries);
    await heldBy([a, b, c], [1, 1, 2]);
    const held = [a, b, c].flatMap((instance) => instance.consumers.heldStreams());
    expect(held.sort()).toEqual([...streams].sort());

    const { publisher } = await producer();
    const published: string[] = [];
    const used = new Set<string>();
    for (let seq = 0; seq < 120; seq++) {
      const event = await publisher.publish(PingSent, { name: `key-${seq % 40}`, seq });
      published.push(event.id);
      used.add(event.stream);
    }
    expect(used).toEqual(new Set(streams));
    await waitFor(() => new Set(idsOf(deliveries)).size >= 120, { description: '120 events handled', timeoutMs: 20_000 });
    await sleep(300);
    // At least once: a partition that moved (a renewal late on this busy machine) may hand an
    // entry whose acknowledgement had not gone out to its new holder, which handles it again.
    expect([...new Set(idsOf(deliveries))].sort()).toEqual([...published].sort());
    // One key, one partition, one holder at a time: its events were first handled in publication order.
    for (let key = 0; key < 40; key++) {
      const seqs = firstHandled(deliveries.filter((d) => d.event.name === `key-${key}`)).map((d) => d.event.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    expect(new Set(deliveries.map((d) => d.context.stream))).toEqual(new Set(streams));
  });

  it("moves a stopped instance's partitions to the others within about the lease", async () => {
    const deliveries: Delivery[] = [];
    const [a, b, c] = [
      await member('movers', deliveries),
      await member('movers', deliveries),
      await member('movers', deliveries),
    ];
    await heldBy([a, b, c], [1, 1, 2]);
    const started = Date.now();
    await close(c);
    await heldBy([a, b], [2, 2]);
    const moved = Date.now() - started;
    expect(moved).toBeLessThan(3 * LEASE_MS);
    console.log(`partitions of a stopped instance moved in ${moved} ms (lease ${LEASE_MS} ms)`);
    const { publisher } = await producer();
    const ids = await publishPings(publisher, 40);
    await waitFor(() => new Set(idsOf(deliveries)).size >= 40, { description: '40 events handled after the move' });
    expect([...new Set(idsOf(deliveries))].sort()).toEqual([...ids].sort());
  });

  it("takes over a dead holder's pending entries at once, in stream order, not after claimIdleMs", async () => {
    const stream = streams[0];
    const { publisher } = await producer();
    const published = await Promise.all(
      Array.from({ length: 40 }, (_, seq) => publisher.publish(PingSent, { name: 'same-key', seq })),
    );
    const inFirst = published.filter((event) => event.stream === stream);
    expect(inFirst.length).toBeGreaterThan(0);
    // A holder that read every entry of partition 0, then died: its lease runs out by itself.
    await redis.client.xgroup('CREATE', stream, 'heirs', '0', 'MKSTREAM');
    await redis.client.xreadgroup('GROUP', 'heirs', 'dead-holder', 'COUNT', 100, 'STREAMS', stream, '>');
    await redis.client.set(leaseKey(stream, 'heirs'), 'dead-holder 7', 'PX', LEASE_MS);
    await redis.client.set(leaseTokenKey(stream, 'heirs'), 7);
    const deliveries: Delivery[] = [];
    const started = Date.now();
    await member('heirs', deliveries, { claimIdleMs: 600_000 });
    await waitFor(() => deliveries.filter((d) => d.context.stream === stream).length >= inFirst.length, {
      description: 'the dead holder’s entries handled',
      timeoutMs: 5 * LEASE_MS,
    });
    const tookOver = Date.now() - started;
    expect(tookOver).toBeLessThan(3 * LEASE_MS);
    console.log(
      `a dead holder's ${inFirst.length} pending entries handled ${tookOver} ms after start (lease ${LEASE_MS} ms, claimIdleMs 600000)`,
    );
    const handled = firstHandled(deliveries.filter((d) => d.context.stream === stream));
    expect(handled.map((d) => d.context.entryId)).toEqual(inFirst.map((event) => event.entryId));
    // One delivery counted by the takeover; the token follows the dead holder's.
    expect(handled.map((d) => [d.context.deliveries, d.context.leaseToken])).toEqual(handled.map(() => [2, 8]));
    await waitFor(async () => (await pendingCount(redis.client, stream, 'heirs')) === 0, { description: 'acknowledged' });
  });

  it('refuses the acknowledgement and the atomic step of a holder whose lease was taken over', async () => {
    const step = new AtomicStep(`redis.call('INCR', keys[1]) return 'done'`);
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const errors: unknown[] = [];
    const deliveries: Delivery[] = [];
    // The instance itself runs the step: known once it is started, used only after.
    const self: { bus?: BusInstance } = {};
    const behaviour = async (event: PingSent, context: EventContext) => {
      await gate;
      if (event.name !== 'with-step') return;
      try {
        await self.bus!.publisher.runAtomic(step, {
          dedupeKey: `test:{fenced}:done:${context.id}`,
          keys: ['test:{fenced}:count'],
          causedBy: context,
        });
      } catch (error) {
        errors.push(error);
        throw error;
      }
    };
    const stale = await member('fenced', deliveries, { leaseMs: 3_000, handlerTimeoutMs: 20_000 }, behaviour);
    self.bus = stale;
    await heldBy([stale], [4]);
    const { publisher } = await producer();
    const withStep = await publisher.publish(PingSent, { name: 'with-step', seq: 0 });
    const plain = await publisher.publish(PingSent, { name: 'plain', seq: 1 });
    await waitFor(async () => (await pendingIn('fenced')) === 2, { description: 'both delivered' });

    // Another instance takes both partitions over (as after this holder paused past its lease) and
    // runs a step in {fenced} for the same partition: its token is now the highest seen there.
    for (const stream of new Set([withStep.stream, plain.stream])) {
      const token = await redis.client.incr(leaseTokenKey(stream, 'fenced'));
      await redis.client.set(leaseKey(stream, 'fenced'), `successor ${token}`, 'PX', 60_000);
      await redis.client.set(`eventbus:{fenced}:fence:${stream}:fenced`, token);
    }
    openGate();
    await waitFor(() => errors.length === 1, { description: 'the stale step refused' });
    expect(errors[0]).toBeInstanceOf(LeaseLostError);
    expect(await redis.client.get('test:{fenced}:count')).toBeNull();
    expect(await redis.client.exists(`test:{fenced}:done:${withStep.id}`)).toBe(0);
    await sleep(1_500);
    // Neither entry was acknowledged by the stale holder: both wait for the successor.
    expect(await pendingIn('fenced')).toBe(2);
    expect(await redis.client.xlen(`${withStep.stream}:dlq:fenced`)).toBe(0);
    expect(stale.consumers.heldStreams()).not.toContain(withStep.stream);
    expect(stale.consumers.heldStreams()).not.toContain(plain.stream);
  });

  it('refuses the events a stale holder returns, appending none of them', async () => {
    const TARGET = 'conformance:{echoes}';
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const deliveries: Delivery[] = [];
    // Echoes go to a stream of their own, unpartitioned, in its own slot ({echoes}).
    const behaviour = async (event: PingSent) => {
      await gate;
      return emit(EchoSent, { name: event.name, seq: event.seq });
    };
    const stale = await member('echoing', deliveries, { leaseMs: 3_000, handlerTimeoutMs: 20_000 }, behaviour);
    await heldBy([stale], [4]);
    const { publisher } = await producer();
    const ping = await publisher.publish(PingSent, { name: 'echo-me', seq: 0 });
    await waitFor(async () => (await pendingIn('echoing')) === 1, { description: 'delivered' });

    // A successor of that partition has written to {echoes}: its token is the highest seen there.
    const token = await redis.client.incr(leaseTokenKey(ping.stream, 'echoing'));
    await redis.client.set(leaseKey(ping.stream, 'echoing'), `successor ${token}`, 'PX', 60_000);
    await redis.client.set(`eventbus:{echoes}:fence:${ping.stream}:echoing`, token);
    openGate();
    await sleep(1_500);
    expect(await redis.client.xlen(TARGET)).toBe(0);
    expect(await pendingIn('echoing')).toBe(1);
    expect(await redis.client.xlen(`${ping.stream}:dlq:echoing`)).toBe(0);
  });
});

@DomainEvent({ type: 'echo.sent', stream: 'conformance:{echoes}', version: 1 })
class EchoSent {
  @IsString()
  name!: string;

  @IsInt()
  @Min(0)
  seq!: number;
}
