import {
  AtomicStep,
  assertOneHashTag,
  dedupeRecordTtlSeconds,
  hashTagOf,
  packAtomicStep,
  readAtomicReply,
} from './atomic-step.js';

const event = (id: string, stream: string, ...fields: string[]) => ({ id, stream, type: 'test.event', fields });

describe('packAtomicStep', () => {
  it('packs KEYS as dedupe key, effect keys, one stream per event', () => {
    const { keys } = packAtomicStep(
      { dedupeKey: 'stock:{stock}:order:o-1', keys: ['stock:{stock}:sku:A', 'stock:{stock}:sku:B'] },
      [event('e-1', 'events:{stock}', 'type', 'stock.reserved')],
    );
    expect(keys).toEqual(['stock:{stock}:order:o-1', 'stock:{stock}:sku:A', 'stock:{stock}:sku:B', 'events:{stock}']);
  });

  it('packs ARGV as guarded, ttl, counts, the args, then id, field count and fields per event', () => {
    const { args } = packAtomicStep({ dedupeKey: 'x:{t}:d', keys: ['x:{t}:k'], args: ['a', 7], ttlSeconds: 60 }, [
      event('e-1', 's:{t}', 'type', 'one', 'id', 'e-1'),
      event('e-2', 's:{t}', 'type', 'two'),
    ]);
    expect(args).toEqual([1, 60, 1, 2, 0, 'a', 7, 'e-1', 4, 'type', 'one', 'id', 'e-1', 'e-2', 2, 'type', 'two']);
  });

  it('defaults to guarded, kept for good, no keys, args or events', () => {
    expect(packAtomicStep({ dedupeKey: 'd' }, [])).toEqual({ keys: ['d'], args: [1, 0, 0, 0, 0] });
    expect(packAtomicStep({ dedupeKey: 'd', guarded: false }, []).args[0]).toBe(0);
  });

  it("resolves ttlSeconds: 'retention' to the lifetime the bus computed from its retention", () => {
    expect(packAtomicStep({ dedupeKey: 'd', ttlSeconds: 'retention' }, [], 1_209_600).args[1]).toBe(1_209_600);
    expect(packAtomicStep({ dedupeKey: 'd', ttlSeconds: 'retention' }, []).args[1]).toBe(0);
    expect(packAtomicStep({ dedupeKey: 'd', ttlSeconds: 5 }, [], 1_209_600).args[1]).toBe(5);
  });

  it('packs a fence as its token after the counts and its key, in the slot of the dedupe key, last', () => {
    const fence = { stream: 'events:{orders.1.7}', group: 'stock', token: 12 };
    const { keys, args } = packAtomicStep({ dedupeKey: 'stock:{stock}:order:o-1' }, [event('e-1', 'events:{stock}')], 0, fence);
    expect(keys).toEqual(['stock:{stock}:order:o-1', 'events:{stock}', 'eventbus:{stock}:fence:events:{orders.1.7}:stock']);
    expect(args.slice(0, 5)).toEqual([1, 0, 0, 0, 12]);
  });

  it('refuses keys of different hash tags, and a bad ttl', () => {
    expect(() => packAtomicStep({ dedupeKey: 'checkout:{orders}:x' }, [event('e', 'events:{stock}')])).toThrow(
      /"checkout:\{orders\}:x" and "events:\{stock\}" do not/,
    );
    expect(() => packAtomicStep({ dedupeKey: 'd', ttlSeconds: -1 }, [])).toThrow(RangeError);
    expect(() => packAtomicStep({ dedupeKey: 'd', ttlSeconds: 1.5 }, [])).toThrow(RangeError);
  });
});

describe('hash tags', () => {
  it('follows Redis: the first non-empty {...}, else the whole key', () => {
    expect(hashTagOf('a:{orders}:b')).toBe('orders');
    expect(hashTagOf('a:{}:{b}')).toBe('a:{}:{b}');
    expect(hashTagOf('{x}{y}')).toBe('x');
    expect(hashTagOf('plain')).toBe('plain');
    expect(() => assertOneHashTag(['{a}1', 'b{a}2', '{a}'])).not.toThrow();
    expect(() => assertOneHashTag(['plain', 'plain'])).not.toThrow();
    expect(() => assertOneHashTag(['plain', 'other'])).toThrow(/one hash tag/);
  });
});

describe('readAtomicReply', () => {
  it('tells a commit, a repeat and a conflict apart', () => {
    expect(readAtomicReply([1, 'r'])).toEqual({ outcome: 'committed', result: 'r' });
    expect(readAtomicReply([0, 'r'])).toEqual({ outcome: 'repeated', result: 'r' });
    expect(readAtomicReply([2])).toEqual({ outcome: 'conflict' });
  });
});

describe('AtomicStep', () => {
  it('wraps the effect in one script that checks the fence, then the record, and writes events last', () => {
    const source = (new AtomicStep('return args[1]').script as unknown as { source: string }).source;
    expect(source.startsWith('#!lua\n')).toBe(true);
    const order = [
      "redis.call('GET', KEYS[#KEYS])",
      "redis.call('GET', dedupeKey)",
      'return args[1]',
      "redis.call('SET', dedupeKey",
      'XADD',
    ].map((word) => source.indexOf(word));
    expect(order.every((at, i) => at > (order[i - 1] ?? -1))).toBe(true);
  });
});

describe('dedupeRecordTtlSeconds', () => {
  it('keeps a record twice the replay window (maxAgeMs), rounded up; for good when retention is off', () => {
    expect(dedupeRecordTtlSeconds({ enabled: true, maxAgeMs: 604_800_000 })).toBe(1_209_600);
    expect(dedupeRecordTtlSeconds({ enabled: true, maxAgeMs: 1_500 })).toBe(3);
    expect(dedupeRecordTtlSeconds({ enabled: true, maxAgeMs: 1_001 })).toBe(3);
    expect(dedupeRecordTtlSeconds({ enabled: false, maxAgeMs: 604_800_000 })).toBe(0);
  });
});
