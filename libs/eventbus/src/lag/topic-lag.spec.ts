import type { GroupLag, StreamLag } from './stream-lag.interface.js';
import { topicLag } from './topic-lag.js';

function group(name: string, counts: Partial<GroupLag>): GroupLag {
  return {
    group: name,
    status: 'OK',
    consumers: 1,
    pending: 0,
    lag: 0,
    timeLagMs: 0,
    rateOut: 0,
    drainSeconds: 0,
    deadLetters: 0,
    lost: 0,
    lastDeliveredId: '0-0',
    consumerDetails: [],
    oldestPending: null,
    ...counts,
  };
}

function stream(name: string, length: number, rateIn: number, groups: GroupLag[]): StreamLag {
  return { stream: name, exists: true, length, firstEntryId: null, lastEntryId: null, rateIn, trimmed: 0, groups };
}

describe('topicLag', () => {
  it("sums a group's partitions, keeps the oldest time lag and the worst status, ignores other streams", () => {
    const streams = [
      stream('events:{orders.0.1}', 10, 2, [
        group('stock', { lag: 3, pending: 1, rateOut: 1.5, timeLagMs: 200, deadLetters: 1 }),
      ]),
      stream('events:{orders.1.0}', 7, 1.5, [
        group('stock', { lag: 4, pending: 2, rateOut: 0.5, timeLagMs: 900, status: 'STALL', lost: 2 }),
      ]),
      stream('events:{stock}', 99, 50, [group('checkout', { lag: 40 })]),
    ];
    expect(topicLag('events:{orders}', ['events:{orders.0.1}', 'events:{orders.1.0}'], streams)).toEqual({
      topic: 'events:{orders}',
      partitions: ['events:{orders.0.1}', 'events:{orders.1.0}'],
      length: 17,
      rateIn: 3.5,
      groups: [{ group: 'stock', lag: 7, pending: 3, deadLetters: 1, lost: 2, rateOut: 2, timeLagMs: 900, status: 'STALL' }],
    });
  });

  it('a STOP in any partition is the topic group STOP', () => {
    const streams = [
      stream('t.0', 1, 0, [group('g', { status: 'WARN' })]),
      stream('t.1', 1, 0, [group('g', { status: 'STOP' })]),
      stream('t.2', 1, 0, [group('g', { status: 'STALL' })]),
    ];
    expect(topicLag('t', ['t.0', 't.1', 't.2'], streams).groups[0].status).toBe('STOP');
  });
});
