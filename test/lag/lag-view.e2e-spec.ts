// The lag view's judgement (status, time lag, rates, consumers) and the sampler's topology
// restore, with in-process buses on a real redis-server. Short lag window: 2 s.
import { StreamLagService, type GroupLag, type LagReport } from '@app/eventbus';
import { waitFor } from '../support/http.js';
import { useRedis } from '../support/test-redis.js';
import { PING_STREAM, PingSent, publishPings, useBuses, type BusInstance, type Delivery } from '../eventbus/bus-harness.js';

const WINDOW = { lagWindowMs: 2_000 };

describe('lag view', () => {
  const redis = useRedis();
  const { bus, close } = useBuses(redis);

  const groupOf = (report: LagReport, group: string): GroupLag | undefined =>
    report.streams.find((s) => s.stream === PING_STREAM)?.groups.find((g) => g.group === group);
  const viewOf = (instance: BusInstance) => instance.app.get(StreamLagService);
  /** Polls the report until `group` satisfies `test`; returns that group's entry. */
  const until = (instance: BusInstance, group: string, description: string, test: (lag: GroupLag) => boolean) =>
    waitFor(
      async () => {
        const lag = groupOf(await viewOf(instance).report(), group);
        return lag && test(lag) ? lag : undefined;
      },
      { description, timeoutMs: 20_000 },
    );

  it('shows a declared group nobody reads as STOP, with its backlog, time lag and what retention removed', async () => {
    const producer = await bus(
      { url: redis.url, service: 'producer', topology: [{ stream: PING_STREAM, groups: ['absent'] }], ...WINDOW },
      [],
    );
    const published = [];
    for (let seq = 0; seq < 3; seq++) published.push(await producer.publisher.publish(PingSent, { name: `p${seq}`, seq }));
    await redis.client.hset(`${PING_STREAM}:retention`, 'trimmed', 5, 'lost:absent', 2);
    const report = await viewOf(producer).report();
    const stream = report.streams.find((s) => s.stream === PING_STREAM)!;
    expect(stream).toMatchObject({
      length: 3,
      trimmed: 5,
      firstEntryId: published[0].entryId,
      lastEntryId: published[2].entryId,
    });
    const absent = groupOf(report, 'absent')!;
    expect(absent).toMatchObject({ lag: 3, pending: 0, consumers: 0, status: 'STOP', drainSeconds: null, lost: 2 });
    expect(absent.consumerDetails).toEqual([]);
    expect(absent.oldestPending).toBeNull();
    expect(absent.timeLagMs).toBeGreaterThanOrEqual(Date.now() - Number(published[0].entryId.split('-')[0]) - 1_000);
    expect(absent.timeLagMs).toBeLessThan(60_000);
    // The producer reads its own stream too: drained, nothing waits.
    const own = await until(producer, 'producer', 'producer drained', (lag) => lag.lag === 0 && lag.pending === 0);
    expect(own).toMatchObject({ status: 'OK', timeLagMs: 0, drainSeconds: 0, lost: 0 });
    expect(own.consumerDetails).toEqual([expect.objectContaining({ pending: 0, idleMs: expect.any(Number) as unknown })]);
  });

  it('shows STALL while a live consumer holds entries it does not finish, then OK with a rate once it does', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const deliveries: Delivery[] = [];
    const reader = await bus({ url: redis.url, service: 'reader', ...WINDOW }, deliveries, () => released);
    await publishPings(reader.publisher, 2);
    const stalled = await until(reader, 'reader', 'reader STALL', (lag) => lag.status === 'STALL');
    expect(stalled).toMatchObject({ lag: 0, pending: 2, rateOut: 0, drainSeconds: null });
    expect(stalled.oldestPending).toMatchObject({ consumer: stalled.consumerDetails[0].name, deliveries: 1 });
    expect(stalled.consumerDetails).toEqual([expect.objectContaining({ pending: 2 })]);
    expect(stalled.timeLagMs).toBeGreaterThan(0);
    release();
    const done = await until(reader, 'reader', 'reader drained with a rate', (lag) => lag.pending === 0 && lag.rateOut > 0);
    expect(done).toMatchObject({ status: 'OK', drainSeconds: 0, timeLagMs: 0, oldestPending: null });
    expect(deliveries).toHaveLength(2);
  });

  it('shows STOP once the only consumer of a group stopped while entries wait', async () => {
    const viewer = await bus({ url: redis.url, service: 'viewer', ...WINDOW }, []);
    const reader = await bus({ url: redis.url, service: 'reader', ...WINDOW }, []);
    await publishPings(viewer.publisher, 1);
    await until(viewer, 'reader', 'reader drained', (lag) => lag.lag === 0 && lag.pending === 0);
    await close(reader);
    await publishPings(viewer.publisher, 2);
    const stopped = await until(viewer, 'reader', 'reader STOP', (lag) => lag.status === 'STOP');
    expect(stopped).toMatchObject({ lag: 2, pending: 0, consumers: 1 });
    expect(stopped.timeLagMs).toBeGreaterThan(0);
  });

  it('measures entries appended and acknowledged per second over the window', async () => {
    const reader = await bus({ url: redis.url, service: 'reader', ...WINDOW }, []);
    const started = Date.now();
    for (let round = 0; round < 10 && Date.now() - started < 10_000; round++) {
      await publishPings(reader.publisher, 20, round * 20);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const report = await viewOf(reader).report();
    expect(report.streams.find((s) => s.stream === PING_STREAM)!.rateIn).toBeGreaterThan(0);
    expect(groupOf(report, 'reader')!.rateOut).toBeGreaterThan(0);
  });

  it('restores a declared group and stream that vanished, whichever app declared it', async () => {
    await bus({ url: redis.url, service: 'viewer', topology: [{ stream: PING_STREAM, groups: ['elsewhere'] }], ...WINDOW }, []);
    const groups = async () => ((await redis.client.xinfo('GROUPS', PING_STREAM)) as unknown[][]).map((g) => String(g[1])).sort();
    await waitFor(async () => (await groups()).includes('elsewhere'), { description: 'group created', timeoutMs: 10_000 });
    await redis.client.xgroup('DESTROY', PING_STREAM, 'elsewhere');
    await waitFor(async () => (await groups()).includes('elsewhere'), { description: 'group restored', timeoutMs: 10_000 });
    await redis.client.del(PING_STREAM);
    await waitFor(async () => (await redis.client.exists(PING_STREAM)) === 1 && (await groups()).length === 2, {
      description: 'stream and both groups restored',
      timeoutMs: 10_000,
    });
    expect(await groups()).toEqual(['elsewhere', 'viewer']);
  });
});
