import { deadLetterStream, StreamLagService } from '@app/eventbus';
// The codec is internal: the test writes a hand-made entry in the library's wire format.
import { encodeEnvelope } from '../../libs/eventbus/src/envelope/envelope.codec.js';
import { startRedis } from '../support/redis-server.js';
import { waitFor, sleep } from '../support/http.js';
import { useRedis } from '../support/test-redis.js';
import { idsOf, PING_STREAM, PingSent, publishPings, useBuses, type Delivery } from './bus-harness.js';

/**
 * The library's universal pub/sub conformance suite (in the spirit of Watermill's), run against a
 * real redis-server: every property a transport of this bus must keep.
 */
describe('event bus conformance', () => {
  const redis = useRedis();
  const { bus, close, closeAll, producer } = useBuses(redis);
  const exactlyOnce = (deliveries: Delivery[], ids: string[]) => {
    expect([...idsOf(deliveries)].sort()).toEqual([...ids].sort());
  };

  it('publish then subscribe: every event arrives once, payload and metadata intact', async () => {
    const deliveries: Delivery[] = [];
    await bus({ url: redis.url, service: 'reader' }, deliveries);
    const { publisher } = await producer();
    const cause = { id: 'cause-1', correlationId: 'corr-1' };
    const first = await publisher.publish(PingSent, { name: 'first', seq: 0 }, { causedBy: cause });
    const ids = [first.id, ...(await publishPings(publisher, 49, 1))];

    await waitFor(() => deliveries.length >= 50, { description: '50 deliveries' });
    await sleep(300);
    exactlyOnce(deliveries, ids);
    const delivered = deliveries.find((d) => d.context.id === first.id)!;
    expect(delivered.event).toBeInstanceOf(PingSent);
    expect(delivered.event).toEqual({ name: 'first', seq: 0 });
    expect(delivered.context).toMatchObject({
      type: 'ping.sent',
      version: 1,
      producer: 'producer',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      stream: PING_STREAM,
      group: 'reader',
      entryId: first.entryId,
    });
    const [, fields] = (await redis.client.xrange(PING_STREAM, first.entryId, first.entryId))[0];
    expect(fields).toEqual(expect.arrayContaining(['type', 'ping.sent', 'id', first.id, 'data', '{"name":"first","seq":0}']));
  });

  it('concurrent consumers of one group share the stream, none lost, none twice', async () => {
    const deliveries: Delivery[] = [];
    // Without leases: every instance reads the one stream and the group shares it (under leases,
    // the default, one instance per partition reads; see partitions.e2e-spec.ts).
    await Promise.all([1, 2, 3].map(() => bus({ url: redis.url, service: 'shared', batchSize: 10, leases: false }, deliveries)));
    const { publisher } = await producer();
    const ids = await publishPings(publisher, 300);

    await waitFor(() => deliveries.length >= 300, { description: '300 deliveries' });
    await sleep(300);
    exactlyOnce(deliveries, ids);
    expect(new Set(deliveries.map((d) => d.consumer)).size).toBeGreaterThan(1);
  });

  it('several groups each get every event', async () => {
    const a: Delivery[] = [];
    const b: Delivery[] = [];
    await bus({ url: redis.url, service: 'group-a' }, a);
    await bus({ url: redis.url, service: 'group-b' }, b);
    const ids = await publishPings((await producer()).publisher, 100);

    await waitFor(() => a.length >= 100 && b.length >= 100, { description: 'both groups complete' });
    exactlyOnce(a, ids);
    exactlyOnce(b, ids);
  });

  it('resends an event whose handler failed, after a backoff, without holding back the others', async () => {
    const deliveries: Delivery[] = [];
    const failedAt = new Map<string, number>();
    await bus({ url: redis.url, service: 'flaky' }, deliveries, (event, context, attempt) => {
      if (event.seq % 5 === 0 && attempt < 3) {
        failedAt.set(context.id, Date.now());
        throw new Error(`failing ${event.seq} on attempt ${attempt}`);
      }
    });
    const ids = await publishPings((await producer()).publisher, 20);

    await waitFor(() => deliveries.length >= 20, { description: 'all 20 handled' });
    exactlyOnce(deliveries, ids);
    expect(failedAt.size).toBe(4);
    const pending = (await redis.client.xpending(PING_STREAM, 'flaky')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('continues after errors: a poison event is dead-lettered and later events still arrive', async () => {
    const deliveries: Delivery[] = [];
    await bus({ url: redis.url, service: 'strict', maxDeliveries: 3 }, deliveries, (event) => {
      if (event.name === 'poison') throw new Error('cannot handle poison');
    });
    const { publisher } = await producer();
    const poison = await publisher.publish(PingSent, { name: 'poison', seq: 0 });
    const ids = await publishPings(publisher, 30, 1);
    await redis.client.xadd(PING_STREAM, '*', 'type', 'ping.sent', 'garbage', 'yes');
    await redis.client.xadd(
      PING_STREAM,
      '*',
      ...encodeEnvelope({
        id: 'bad-schema',
        type: 'ping.sent',
        version: 1,
        data: '{"name":5,"seq":-1}',
        occurredAt: new Date().toISOString(),
        producer: 'test',
        correlationId: 'bad-schema',
      }),
    );
    const after = await publishPings(publisher, 5, 100);

    await waitFor(async () => (await redis.client.xlen(deadLetterStream(PING_STREAM, 'strict'))) === 3, {
      description: '3 dead letters',
    });
    await waitFor(() => deliveries.length >= 35, { description: 'the 35 good events' });
    exactlyOnce(deliveries, [...ids, ...after]);
    const dead = await redis.client.xrange(deadLetterStream(PING_STREAM, 'strict'), '-', '+');
    const reasons = dead.map(([, fields]) => fields[fields.indexOf('deadLetter.reason') + 1]).sort();
    expect(reasons).toEqual(['handler-failed', 'invalid', 'undecodable']);
    const failed = dead.find(([, fields]) => fields.includes(poison.id))![1];
    expect(failed).toEqual(
      expect.arrayContaining([
        'deadLetter.stream',
        PING_STREAM,
        'deadLetter.entryId',
        poison.entryId,
        'deadLetter.group',
        'strict',
        'deadLetter.deliveries',
        '3',
        'deadLetter.error',
        'cannot handle poison',
      ]),
    );
    const pending = (await redis.client.xpending(PING_STREAM, 'strict')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('continues after consumers are closed and reopened again and again', async () => {
    const deliveries: Delivery[] = [];
    const { publisher } = await producer();
    const ids: string[] = [];
    for (let round = 0; round < 5; round++) {
      ids.push(...(await publishPings(publisher, 20, round * 20)));
      const reader = await bus({ url: redis.url, service: 'reopened', consumer: 'same-name' }, deliveries);
      await waitFor(() => deliveries.length >= ids.length, { description: `round ${round}` });
      await close(reader);
    }
    exactlyOnce(deliveries, ids);
  });

  it('a group created after the events were published receives them all', async () => {
    const ids = await publishPings((await producer()).publisher, 25);
    const late: Delivery[] = [];
    await bus({ url: redis.url, service: 'late-comer' }, late);
    await waitFor(() => late.length >= 25, { description: 'late group caught up' });
    exactlyOnce(late, ids);
  });

  it('reconnects across a Redis restart mid-stream and loses nothing', async () => {
    const durable = await startRedis({ aof: true });
    try {
      const deliveries: Delivery[] = [];
      await bus({ url: durable.url, service: 'survivor' }, deliveries);
      const { publisher } = await bus({ url: durable.url, service: 'producer' }, []);
      const before = await publishPings(publisher, 20);
      await waitFor(() => deliveries.length >= 20, { description: 'before the restart' });
      await durable.restart();
      const after = await waitFor(
        async () => {
          try {
            return await publishPings(publisher, 20, 20);
          } catch {
            return undefined;
          }
        },
        { description: 'publishing again after the restart', timeoutMs: 20_000, intervalMs: 200 },
      );
      await waitFor(() => deliveries.length >= 40, { description: 'after the restart', timeoutMs: 20_000 });
      exactlyOnce(deliveries, [...before, ...after]);
    } finally {
      await closeAll();
      await durable.destroy();
    }
  });

  it('claims idle pending entries from a consumer that never acknowledges', async () => {
    const ids = await publishPings((await producer()).publisher, 10);
    await redis.client.xgroup('CREATE', PING_STREAM, 'rescuers', '0');
    await redis.client.xreadgroup('GROUP', 'rescuers', 'ghost', 'COUNT', 10, 'STREAMS', PING_STREAM, '>');
    const deliveries: Delivery[] = [];
    await bus({ url: redis.url, service: 'rescuers', claimIdleMs: 300 }, deliveries);
    await waitFor(() => deliveries.length >= 10, { description: 'claimed from the ghost' });
    exactlyOnce(deliveries, ids);
    const pending = (await redis.client.xpending(PING_STREAM, 'rescuers')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('removes consumers that are gone and hold nothing, never one that holds entries', async () => {
    await publishPings((await producer()).publisher, 2);
    await redis.client.xgroup('CREATE', PING_STREAM, 'tidy', '$');
    await redis.client.xgroup('CREATECONSUMER', PING_STREAM, 'tidy', 'gone-empty');
    const [holding] = await publishPings((await producer()).publisher, 1);
    await redis.client.xreadgroup('GROUP', 'tidy', 'gone-holding', 'COUNT', 1, 'STREAMS', PING_STREAM, '>');
    await sleep(150);
    const deliveries: Delivery[] = [];
    // Without leases: a new lease holder takes every pending entry over at once, gone-holding's too.
    await bus({ url: redis.url, service: 'tidy', deadConsumerIdleMs: 100, claimIdleMs: 60_000, leases: false }, deliveries);
    const names = async () =>
      ((await redis.client.xinfo('CONSUMERS', PING_STREAM, 'tidy')) as unknown[][]).map((consumer) => String(consumer[1]));
    await waitFor(async () => !(await names()).includes('gone-empty'), { description: 'gone-empty removed' });
    expect(await names()).toContain('gone-holding');
    expect(idsOf(deliveries)).not.toContain(holding);
  });

  it('recreates a group that vanished and goes on', async () => {
    const deliveries: Delivery[] = [];
    await bus({ url: redis.url, service: 'phoenix' }, deliveries);
    const { publisher } = await producer();
    const first = await publishPings(publisher, 5);
    await waitFor(() => deliveries.length >= 5, { description: 'before the loss' });
    await redis.client.del(PING_STREAM);
    const later = await publishPings(publisher, 5, 5);
    await waitFor(() => deliveries.length >= 10, { description: 'after the group was recreated', timeoutMs: 20_000 });
    exactlyOnce(deliveries, [...first, ...later]);
  });

  it('times out a hanging handler, retries it, then dead-letters it', async () => {
    const deliveries: Delivery[] = [];
    let attempts = 0;
    await bus({ url: redis.url, service: 'patient', handlerTimeoutMs: 100, maxDeliveries: 3 }, deliveries, async (event) => {
      if (event.name !== 'hang') return;
      attempts += 1;
      await sleep(1_000);
    });
    const { publisher } = await producer();
    await publisher.publish(PingSent, { name: 'hang', seq: 0 });
    const ids = await publishPings(publisher, 3, 1);
    await waitFor(async () => (await redis.client.xlen(deadLetterStream(PING_STREAM, 'patient'))) === 1, {
      description: 'dead-lettered',
    });
    expect(attempts).toBe(3);
    const [[, fields]] = await redis.client.xrange(deadLetterStream(PING_STREAM, 'patient'), '-', '+');
    expect(fields[fields.indexOf('deadLetter.error') + 1]).toMatch(/did not finish within 100 ms/);
    exactlyOnce(deliveries, ids);
  });

  it("keeps a slow handler's entry from being claimed by another live consumer", async () => {
    const deliveries: Delivery[] = [];
    const attempts = new Map<string, number>();
    const slow = async (event: PingSent, context: { id: string }) => {
      attempts.set(context.id, (attempts.get(context.id) ?? 0) + 1);
      if (event.name === 'slow') await sleep(1_500);
    };
    const options = { url: redis.url, service: 'patient-pair', claimIdleMs: 300, handlerTimeoutMs: 5_000 };
    await bus(options, deliveries, slow);
    await bus(options, deliveries, slow);
    const { publisher } = await producer();
    const slowOne = await publisher.publish(PingSent, { name: 'slow', seq: 0 });
    const rest = await publishPings(publisher, 20, 1);
    await waitFor(() => deliveries.length >= 21, { description: 'all handled', timeoutMs: 10_000 });
    await sleep(500);
    exactlyOnce(deliveries, [slowOne.id, ...rest]);
    expect(attempts.get(slowOne.id)).toBe(1);
  });

  it('has no more entries in flight per consumer than its batch size', async () => {
    const deliveries: Delivery[] = [];
    let inFlight = 0;
    let most = 0;
    await bus({ url: redis.url, service: 'bounded', batchSize: 5 }, deliveries, async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(20);
      inFlight -= 1;
    });
    const ids = await publishPings((await producer()).publisher, 40);
    await waitFor(() => deliveries.length >= 40, { description: 'all handled' });
    exactlyOnce(deliveries, ids);
    expect(most).toBe(5);
  });

  it('reports lag and pending per group, counting entries itself when Redis cannot', async () => {
    // The observer app declares two groups it does not read itself: nobody consumes for them.
    const instance = await bus(
      { url: redis.url, service: 'observer', topology: [{ stream: PING_STREAM, groups: ['watcher', 'never-started'] }] },
      [],
    );
    const ids = await publishPings((await producer()).publisher, 6);
    await redis.client.xreadgroup('GROUP', 'watcher', 'w1', 'COUNT', 2, 'STREAMS', PING_STREAM, '>');
    const lag = instance.app.get(StreamLagService);
    const report = async () => (await lag.report()).streams.find((s) => s.stream === PING_STREAM)!;
    const group = async (name: string) => (await report()).groups.find((g) => g.group === name)!;

    expect(await group('watcher')).toMatchObject({ consumers: 1, pending: 2, lag: 4, deadLetters: 0 });
    expect(await group('never-started')).toMatchObject({ consumers: 0, pending: 0, lag: 6 });
    // A deletion past the group's position makes Redis report no lag: the service counts instead.
    const entries = await redis.client.xrange(PING_STREAM, '-', '+');
    await redis.client.xdel(PING_STREAM, entries[3][0]);
    const info = ((await redis.client.xinfo('GROUPS', PING_STREAM)) as unknown[][]).find((g) => g[1] === 'watcher')!;
    expect(info[info.indexOf('lag') + 1]).toBeNull();
    expect(await group('watcher')).toMatchObject({ pending: 2, lag: 3 });
    expect((await report()).length).toBe(ids.length - 1);
  });

  it('applies an ioredis keyPrefix to every stream command', async () => {
    const deliveries: Delivery[] = [];
    await bus(
      {
        url: redis.url,
        service: 'prefixed',
        redis: { keyPrefix: 'tenant-a:' },
        topology: [{ stream: PING_STREAM, groups: ['prefixed', 'idle'] }],
      },
      deliveries,
    );
    const { publisher } = await bus({ url: redis.url, service: 'producer', redis: { keyPrefix: 'tenant-a:' } }, []);
    const ids = await publishPings(publisher, 10);
    await waitFor(() => deliveries.length >= 10, { description: 'prefixed delivery' });
    exactlyOnce(deliveries, ids);
    expect(await redis.client.exists(PING_STREAM)).toBe(0);
    const groups = ((await redis.client.xinfo('GROUPS', `tenant-a:${PING_STREAM}`)) as unknown[][]).map((group) =>
      String(group[1]),
    );
    expect(groups.sort()).toEqual(['idle', 'prefixed', 'producer']);
  });
  it('a burst published in one tick travels in batches, and each publish learns its own entry', async () => {
    const { publisher } = await producer();
    const published = await Promise.all(
      Array.from({ length: 250 }, (_, seq) => publisher.publish(PingSent, { name: `burst-${seq}`, seq })),
    );
    const entries = await redis.client.xrange(PING_STREAM, '-', '+');
    expect(entries).toHaveLength(250);
    const idOfEntry = new Map(entries.map(([entryId, fields]) => [entryId, fields[fields.indexOf('id') + 1]]));
    for (const { id, entryId } of published) expect(idOfEntry.get(entryId)).toBe(id);
    // Stream order is publish order.
    expect(entries.map(([, fields]) => fields[fields.indexOf('data') + 1])).toEqual(
      Array.from({ length: 250 }, (_, seq) => JSON.stringify({ name: `burst-${seq}`, seq })),
    );
  });
});
