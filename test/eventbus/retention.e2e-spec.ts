// Retention at the bus level, against a real redis-server: the trim script on its own (the floor
// of every declared group, undeclared groups, a missing group, age, the hard cap and its `lost`
// count, the bound per run), and the trimmer of a running bus (dead letters, the lock).
import { trimStreamOnce, type TrimBounds } from '../../libs/eventbus/src/retention/trim-stream.script.js';
import { StreamTrimmer } from '../../libs/eventbus/src/retention/stream.trimmer.js';
import { deadLetterStream } from '@app/eventbus';
import { useRedis } from '../support/test-redis.js';
import { useBuses } from './bus-harness.js';

const S = 'retention:{r}:events';
const STATS = `${S}:retention`;

const bounds = (overrides: Partial<TrimBounds>): TrimBounds => ({
  maxLength: 1_000_000,
  hardMaxLength: 1_000_000,
  maxAgeMs: 86_400_000,
  maxRemoved: 10_000,
  groups: ['a', 'b'],
  ...overrides,
});

describe('retention', () => {
  const redis = useRedis();
  const { bus } = useBuses(redis);

  /** `count` entries; returns their ids in order. */
  const append = async (count: number, idOf?: (i: number) => string): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await redis.client.xadd(S, idOf?.(i) ?? '*', 'n', String(i)))!);
    return ids;
  };
  const group = (name: string, from = '0') => redis.client.xgroup('CREATE', S, name, from, 'MKSTREAM');
  /** Delivers `count` entries to `name`'s consumer c and acknowledges the first `acked` of them. */
  const read = async (name: string, count: number, acked = count): Promise<void> => {
    const reply = (await redis.client.xreadgroup('GROUP', name, 'c', 'COUNT', count, 'STREAMS', S, '>')) as
      [string, [string, string[]][]][] | null;
    const ids = (reply?.[0]?.[1] ?? []).map(([id]) => id);
    expect(ids).toHaveLength(count);
    if (acked > 0) await redis.client.xack(S, name, ...ids.slice(0, acked));
  };
  const firstId = async () => (await redis.client.xrange(S, '-', '+', 'COUNT', 1))[0]?.[0];

  it('keeps what any declared group has not acknowledged: its oldest pending entry, or its next undelivered one', async () => {
    const ids = await append(10);
    await group('a');
    await group('b');
    await read('a', 8, 5); // a: entries 6-8 pending (index 5 is its oldest)
    await read('b', 3); // b: 3 acknowledged, entry 4 (index 3) not delivered yet

    const first = await trimStreamOnce(redis.client, S, bounds({ maxLength: 1 }));
    expect(first).toEqual({ stream: S, trimmed: 3, lost: {} });
    expect(await firstId()).toBe(ids[3]);

    await read('b', 7); // b is done; a's oldest pending entry is the floor now
    expect((await trimStreamOnce(redis.client, S, bounds({ maxLength: 1 }))).trimmed).toBe(2);
    expect(await firstId()).toBe(ids[5]);

    expect(await redis.client.hget(STATS, 'trimmed')).toBe('5');
    expect(Number(await redis.client.hget(STATS, 'lastRunAt'))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('is not held back by a group nobody declared, and is held entirely by a declared group that does not exist', async () => {
    await append(10);
    await group('a', '$');
    await group('stranger'); // reads nothing, but is not declared
    expect((await trimStreamOnce(redis.client, S, bounds({ maxLength: 4, groups: ['a'] }))).trimmed).toBe(6);

    await append(6);
    expect((await trimStreamOnce(redis.client, S, bounds({ maxLength: 4, groups: ['a', 'restoring'] }))).trimmed).toBe(0);
    expect(await redis.client.xlen(S)).toBe(10);
  });

  it('trims by age within the floor, and leaves a young stream alone', async () => {
    const now = Date.now();
    const old = await append(5, (i) => `${now - 3_600_000 + i}-0`);
    await append(3);
    await group('a');
    await read('a', 3); // a acknowledged 3 of the 5 old ones
    const trimmed = await trimStreamOnce(redis.client, S, bounds({ maxAgeMs: 60_000, groups: ['a'] }));
    expect(trimmed.trimmed).toBe(3);
    expect(await firstId()).toBe(old[3]);

    await read('a', 5);
    expect((await trimStreamOnce(redis.client, S, bounds({ maxAgeMs: 60_000, groups: ['a'] }))).trimmed).toBe(2);
    expect(await redis.client.xlen(S)).toBe(3); // the young entries stay
    expect((await trimStreamOnce(redis.client, S, bounds({ maxAgeMs: 60_000, groups: ['a'] }))).trimmed).toBe(0);
  });

  it('trims past the hard cap anyway and counts, per group, the entries it lost', async () => {
    await append(10);
    await group('a'); // has read nothing
    await group('b');
    await read('b', 4, 2); // b: 2 acknowledged, 2 pending, 6 not delivered
    const result = await trimStreamOnce(redis.client, S, bounds({ maxLength: 2, hardMaxLength: 5, groups: ['a', 'b', 'gone'] }));
    expect(result).toEqual({ stream: S, trimmed: 5, lost: { a: 5, b: 3, gone: 5 } });
    expect(await redis.client.xlen(S)).toBe(5);
    expect(await redis.client.hgetall(STATS)).toMatchObject({ trimmed: '5', 'lost:a': '5', 'lost:b': '3', 'lost:gone': '5' });
  });

  it('removes at most maxRemoved entries per call; the rest goes on the next', async () => {
    await append(2_500);
    await group('a', '$');
    const once = () => trimStreamOnce(redis.client, S, bounds({ maxLength: 100, maxRemoved: 1_000, groups: ['a'] }));
    expect((await once()).trimmed).toBe(1_000);
    expect((await once()).trimmed).toBe(1_000);
    expect((await once()).trimmed).toBe(400);
    expect((await once()).trimmed).toBe(0);
    expect(await redis.client.xlen(S)).toBe(100);
  });

  it('leaves a missing stream alone', async () => {
    expect(await trimStreamOnce(redis.client, 'retention:{r}:nothing', bounds({}))).toEqual({
      stream: 'retention:{r}:nothing',
      trimmed: 0,
      lost: {},
    });
    expect(await redis.client.exists('retention:{r}:nothing', 'retention:{r}:nothing:retention')).toBe(0);
  });

  describe('the trimmer of a running bus', () => {
    // Groups a and b of S are declared, but no running instance reads S: the test plays them.
    const options = (service: string) => ({
      url: redis.url,
      service,
      topology: [{ stream: S, groups: ['a', 'b'] }],
      retention: { maxLength: 5, deadLetterMaxLength: 3, intervalMs: 600_000 },
    });

    it('bounds the streams and dead-letter streams; of two trimmers at once, one runs', async () => {
      const one = await bus(options('one'), []);
      const two = await bus(options('two'), []);
      await append(20);
      await redis.client.xgroup('SETID', S, 'a', '$');
      await redis.client.xgroup('SETID', S, 'b', '$');
      const dlq = deadLetterStream(S, 'b');
      for (let i = 0; i < 10; i++) await redis.client.xadd(dlq, '*', 'n', String(i));

      const runs = await Promise.all([one, two].map((instance) => instance.app.get(StreamTrimmer).runOnce()));
      expect(runs.filter((run) => run === undefined)).toHaveLength(1);
      const results = runs.find((run) => run !== undefined)!;
      expect(results).toEqual(
        expect.arrayContaining([
          { stream: S, trimmed: 15, lost: {} },
          { stream: dlq, trimmed: 7, lost: {} },
          { stream: deadLetterStream(S, 'a'), trimmed: 0, lost: {} },
        ]),
      );
      expect(await redis.client.xlen(S)).toBe(5);
      expect(await redis.client.xlen(dlq)).toBe(3);
      // The lock is left to expire after one interval: no second run before it.
      expect(await one.app.get(StreamTrimmer).runOnce()).toBeUndefined();
    });

    it('keeps calling the script while each call removes its maximum, so one run catches up with a fast producer', async () => {
      const one = await bus(options('one'), []);
      const pipeline = redis.client.pipeline();
      for (let i = 0; i < 25_000; i++) pipeline.xadd(S, '*', 'n', String(i));
      await pipeline.exec();
      await redis.client.xgroup('SETID', S, 'a', '$');
      await redis.client.xgroup('SETID', S, 'b', '$');
      const results = await one.app.get(StreamTrimmer).runOnce();
      expect(results?.find((result) => result.stream === S)).toEqual({ stream: S, trimmed: 24_995, lost: {} });
      expect(await redis.client.xlen(S)).toBe(5);
    });

    it('runs on its own every interval, in an app that did not turn it off', async () => {
      await bus({ ...options('one'), retention: false }, []);
      await bus({ ...options('two'), retention: { maxLength: 1, intervalMs: 100 } }, []);
      await append(20);
      await redis.client.xgroup('SETID', S, 'a', '$');
      await redis.client.xgroup('SETID', S, 'b', '$');
      for (let i = 0; i < 50 && (await redis.client.xlen(S)) > 1; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await redis.client.xlen(S)).toBe(1);
      expect(await redis.client.get('eventbus:{retention}:lock')).toMatch(/^two-/);
    });
  });
});
