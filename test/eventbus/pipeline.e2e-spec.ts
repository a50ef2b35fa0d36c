import { Redis } from 'ioredis';
import { deadLetterStream, UnrecoverableEventError } from '@app/eventbus';
import { pendingCount, connectRedis } from '../support/redis-client.js';
// The codec is internal: the test writes entries in the library's wire format by hand.
import { encodeEnvelope } from '../../libs/eventbus/src/envelope/envelope.codec.js';
import { sleep, waitFor } from '../support/http.js';
import { useRedis } from '../support/test-redis.js';
import { idsOf, PING_STREAM, PingSent, publishPings, startBus, useBuses, type Delivery } from './bus-harness.js';

/**
 * What the rebuilt consumer promises beyond the conformance suite: a rolling window, ordered lanes,
 * no delivery spent on Redis' troubles, no stealing, signals, and both envelope layouts. Each test
 * names the defect of the lockstep loop it guards against.
 */
describe('consumer pipeline', () => {
  const redis = useRedis();
  const { bus, producer } = useBuses(redis);

  it('a hanging handler holds back nothing: the window refills as soon as any entry ends', async () => {
    const deliveries: Delivery[] = [];
    let release!: () => void;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    await bus({ url: redis.url, service: 'window', batchSize: 5, handlerTimeoutMs: 30_000 }, deliveries, async (event) => {
      if (event.name === 'hang') await hanging;
    });
    const { publisher } = await producer();
    await publisher.publish(PingSent, { name: 'hang', seq: 0 });
    const ids = await publishPings(publisher, 60, 1);
    // Lockstep batches of 5 would wait for the hanging one before reading any further.
    await waitFor(() => deliveries.length >= 60, { description: '60 entries past the hanging one', timeoutMs: 5_000 });
    expect(new Set(idsOf(deliveries))).toEqual(new Set(ids));
    release();
    await waitFor(() => deliveries.length >= 61, { description: 'the hanging one finishes' });
  });

  it('entries with one key run one at a time in stream order, through a retry; other keys run meanwhile', async () => {
    const deliveries: Delivery[] = [];
    const running = new Map<string, number>();
    let overlapAcrossKeys = 0;
    let overlapWithinKey = 0;
    await bus(
      { url: redis.url, service: 'ordered', batchSize: 50, retryBaseMs: 20, retryMaxMs: 40 },
      deliveries,
      async (event, _context, attempt) => {
        const key = event.name;
        if ((running.get(key) ?? 0) > 0) overlapWithinKey += 1;
        running.set(key, (running.get(key) ?? 0) + 1);
        if ([...running.values()].filter((n) => n > 0).length > 1) overlapAcrossKeys += 1;
        try {
          await sleep(1 + (event.seq % 4));
          if (event.seq % 10 === 3 && attempt === 1) throw new Error(`first attempt of ${key}#${event.seq} fails`);
        } finally {
          running.set(key, running.get(key)! - 1);
        }
      },
    );
    const { publisher } = await producer();
    const keys = ['order-a', 'order-b', 'order-c', 'order-d'];
    for (let seq = 0; seq < 40; seq++) {
      await Promise.all(keys.map((name) => publisher.publish(PingSent, { name, seq })));
    }
    await waitFor(() => deliveries.length >= 160, { description: '160 handled', timeoutMs: 20_000 });
    for (const key of keys) {
      const seqs = deliveries.filter((d) => d.event.name === key).map((d) => d.event.seq);
      expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
    expect(overlapWithinKey).toBe(0);
    expect(overlapAcrossKeys).toBeGreaterThan(0);
  });

  it('handles entries written in the previous envelope layout (one field per metadata item)', async () => {
    const deliveries: Delivery[] = [];
    await bus({ url: redis.url, service: 'upgraded' }, deliveries);
    const entryId = await redis.client.xadd(
      PING_STREAM,
      '*',
      'id',
      'layout-1-event',
      'type',
      'ping.sent',
      'version',
      '1',
      'data',
      '{"name":"old","seq":7}',
      'occurredAt',
      '2026-11-20T10:00:00.000Z',
      'producer',
      'previous-version',
      'correlationId',
      'corr-old',
      'causationId',
      'cause-old',
    );
    await waitFor(() => deliveries.length >= 1, { description: 'the layout 1 entry' });
    expect(deliveries[0].event).toEqual({ name: 'old', seq: 7 });
    expect(deliveries[0].context).toMatchObject({
      id: 'layout-1-event',
      entryId,
      producer: 'previous-version',
      correlationId: 'corr-old',
      causationId: 'cause-old',
      occurredAt: '2026-11-20T10:00:00.000Z',
    });
    expect(await redis.client.xlen(deadLetterStream(PING_STREAM, 'upgraded'))).toBe(0);
  });

  it('no delivered entry waits for a claim while its consumer lives, even when Redis pauses writes (as a FAILOVER does)', async () => {
    const deliveries: Delivery[] = [];
    // A short command timeout: the old reader's blockingTimeout (block + command timeout) expired
    // during the pause, and the reply that came after it was dropped.
    await bus({ url: redis.url, service: 'paused', blockMs: 200, commandTimeoutMs: 500, claimIdleMs: 60_000 }, deliveries);
    await sleep(300);
    const writer = connectRedis(redis.url);
    try {
      await redis.client.call('CLIENT', 'PAUSE', '2000', 'WRITE');
      // Written during the pause (Redis holds the XADD until it ends), read by the consumer's paused read.
      const fields = encodeEnvelope({
        id: 'during-pause',
        type: 'ping.sent',
        version: 1,
        data: '{"name":"paused","seq":0}',
        occurredAt: new Date().toISOString(),
        producer: 'test',
        correlationId: 'during-pause',
        key: 'paused',
      });
      await writer.xadd(PING_STREAM, '*', ...fields);
      await waitFor(() => deliveries.length >= 1, {
        description: 'delivered right after the pause, not after the claim period',
        timeoutMs: 8_000,
      });
      expect(idsOf(deliveries)).toEqual(['during-pause']);
    } finally {
      writer.disconnect();
    }
    await waitFor(async () => (await pendingCount(redis.client, PING_STREAM, 'paused')) === 0, { description: 'acknowledged' });
  });

  it('Redis refusing writes (out of memory) spends no delivery: nothing is dead-lettered, all is handled after', async () => {
    const deliveries: Delivery[] = [];
    let refusals = 0;
    let outOfMemory!: () => void;
    const redisFull = new Promise<void>((resolve) => (outOfMemory = resolve));
    await bus(
      { url: redis.url, service: 'patient', maxDeliveries: 2, retryBaseMs: 10, retryMaxMs: 20 },
      deliveries,
      async (event) => {
        await redisFull; // every handler meets the refusal, however fast it got its entry
        try {
          await redis.client.set(`effect:${event.seq}`, 'done');
        } catch (error) {
          refusals += 1;
          throw error;
        }
      },
    );
    const { publisher } = await producer();
    // Published before Redis refuses writes (publishing would be refused too).
    const ids = await Promise.all(
      [0, 1, 2].map(async (seq) => (await publisher.publish(PingSent, { name: `oom-${seq}`, seq })).id),
    );
    await redis.client.config('SET', 'maxmemory', '1');
    outOfMemory();
    await waitFor(() => refusals >= 10, {
      description: 'handlers refused by Redis many times (well past maxDeliveries)',
      timeoutMs: 10_000,
    });
    await redis.client.config('SET', 'maxmemory', '0');
    await waitFor(() => deliveries.length >= 3, { description: 'all handled once Redis takes writes again', timeoutMs: 10_000 });
    expect(new Set(idsOf(deliveries))).toEqual(new Set(ids));
    expect(await redis.client.xlen(deadLetterStream(PING_STREAM, 'patient'))).toBe(0);
    expect(await pendingCount(redis.client, PING_STREAM, 'patient')).toBe(0);
  });

  it('a retry never takes back an entry another consumer claimed meanwhile', async () => {
    const deliveries: Delivery[] = [];
    let attempts = 0;
    await bus({ url: redis.url, service: 'honest', retryBaseMs: 600, retryMaxMs: 600 }, deliveries, () => {
      attempts += 1;
      throw new Error('fails, to be retried after 300-600 ms');
    });
    const { entryId } = await (await producer()).publisher.publish(PingSent, { name: 'contested', seq: 0 });
    await waitFor(() => attempts >= 1, { description: 'first attempt' });
    await redis.client.xclaim(PING_STREAM, 'honest', 'rescuer', 0, entryId);
    await sleep(1_200);
    expect(attempts).toBe(1);
    const [[, owner]] = (await redis.client.xpending(PING_STREAM, 'honest', '-', '+', 10)) as [string, string][];
    expect(owner).toBe('rescuer');
  });

  it("aborts the handler's signal when it times out, and dead-letters at once what the handler calls unrecoverable", async () => {
    const deliveries: Delivery[] = [];
    const reasons: unknown[] = [];
    await bus(
      { url: redis.url, service: 'signalled', handlerTimeoutMs: 100, maxDeliveries: 5, retryBaseMs: 10, retryMaxMs: 20 },
      deliveries,
      async (event, context) => {
        if (event.name === 'refuse') throw new UnrecoverableEventError('this order can never be served');
        if (event.name !== 'slow' || context.deliveries > 1) return;
        await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
        reasons.push(context.signal.reason);
        throw context.signal.reason;
      },
    );
    const { publisher } = await producer();
    const slow = await publisher.publish(PingSent, { name: 'slow', seq: 0 });
    const refused = await publisher.publish(PingSent, { name: 'refuse', seq: 1 });
    await waitFor(() => deliveries.length >= 1, { description: 'the slow one handled on its second delivery' });
    expect(deliveries[0].context.id).toBe(slow.id);
    expect(deliveries[0].context.deliveries).toBe(2);
    expect(reasons).toHaveLength(1);
    expect(String(reasons[0])).toMatch(/did not finish within 100 ms/);
    await waitFor(async () => (await redis.client.xlen(deadLetterStream(PING_STREAM, 'signalled'))) === 1, {
      description: 'refused one dead-lettered',
    });
    const [[, fields]] = await redis.client.xrange(deadLetterStream(PING_STREAM, 'signalled'), '-', '+');
    expect(fields).toEqual(
      expect.arrayContaining(['id', refused.id, 'deadLetter.reason', 'unrecoverable', 'deadLetter.deliveries', '1']),
    );
  });
  it('runs on a connection the user made (commands on it, reads on a duplicate) and leaves it open', async () => {
    const connection = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 2_000 });
    try {
      await new Promise<void>((resolve) => connection.once('ready', () => resolve()));
      const deliveries: Delivery[] = [];
      const instance = await startBus({ url: 'redis://127.0.0.1:1', service: 'handed', connection }, deliveries);
      const ids = await publishPings(instance.publisher, 10);
      await waitFor(() => deliveries.length >= 10, { description: 'consumed through the handed connection' });
      expect(new Set(idsOf(deliveries))).toEqual(new Set(ids));
      await instance.close();
      expect(await connection.ping()).toBe('PONG');
    } finally {
      connection.disconnect();
    }
  });
});
