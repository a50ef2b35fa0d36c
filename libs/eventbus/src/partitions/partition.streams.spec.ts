import { CLUSTER_SLOTS, slotOf } from './crc16.js';
import { partitionOf, partitionStream, partitionStreams, partitionTag } from './partition.streams.js';

describe('partition streams', () => {
  it('computes the slots Redis Cluster documents', () => {
    // From the Redis Cluster specification and `CLUSTER KEYSLOT`.
    expect(slotOf('123456789')).toBe(0x31c3 % CLUSTER_SLOTS);
    expect(slotOf('foo')).toBe(12182);
    expect(slotOf('orders')).toBe(slotOf('orders'));
  });

  it.each(Array.from({ length: 16 }, (_, i) => i + 1))('puts each of %i partitions in its own equal slot range', (n) => {
    const tags = Array.from({ length: n }, (_, i) => partitionTag('orders', i, n));
    expect(new Set(tags).size).toBe(n);
    tags.forEach((tag, i) => {
      if (n === 1) return expect(tag).toBe('orders');
      const slot = slotOf(tag);
      expect(slot).toBeGreaterThanOrEqual(Math.ceil((i * CLUSTER_SLOTS) / n));
      expect(slot).toBeLessThan(Math.ceil(((i + 1) * CLUSTER_SLOTS) / n));
    });
  });

  it('keeps the topic name with one partition and replaces only the hash tag otherwise', () => {
    expect(partitionStreams('events:{orders}', 1)).toEqual(['events:{orders}']);
    const streams = partitionStreams('events:{orders}', 4);
    expect(streams).toHaveLength(4);
    for (const [i, stream] of streams.entries()) expect(stream).toMatch(new RegExp(`^events:\\{orders\\.${i}\\.\\d+\\}$`));
    expect(partitionStream('events:{orders}', 2, 4)).toBe(streams[2]);
    expect(() => partitionStream('events', 0, 2)).toThrow(/hash tag/);
  });

  it('sends one key to one partition, always, and spreads keys evenly', () => {
    expect(partitionOf('order-1', 1)).toBe(0);
    const first = Array.from({ length: 100 }, (_, i) => partitionOf(`order-${i}`, 4));
    expect(Array.from({ length: 100 }, (_, i) => partitionOf(`order-${i}`, 4))).toEqual(first);
    expect(partitionOf('order-42', 4)).toBe(first[42]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[partitionOf(`key-${i}`, 4)]++;
    for (const count of counts) expect(count).toBeGreaterThan(850);
  });
});
