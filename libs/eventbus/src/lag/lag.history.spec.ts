import { LagHistory } from './lag.history.js';
import type { GroupCounters, StreamSnapshot } from './stream.snapshot.js';

const group = (name: string, entriesRead: number | null, pending: number): GroupCounters => ({
  group: name,
  lastDeliveredId: '0-0',
  consumers: 1,
  pending,
  redisLag: null,
  entriesRead,
});

const snapshot = (entriesAdded: number, groups: GroupCounters[]): StreamSnapshot => ({
  stream: 'orders',
  exists: true,
  length: entriesAdded,
  firstEntryId: null,
  lastEntryId: null,
  entriesAdded,
  maxDeletedId: '0-0',
  groups,
  trimmed: 0,
  lost: new Map(),
});

describe('LagHistory', () => {
  it('derives rates from counter differences: appended, and acknowledged (read minus pending)', () => {
    const history = new LagHistory(60_000);
    history.record(snapshot(100, [group('stock', 90, 5)]), 0);
    history.record(snapshot(120, [group('stock', 110, 0)]), 10_000);
    expect(history.stream('orders')).toEqual({ spanMs: 10_000, rateIn: 2 });
    expect(history.group('orders', 'stock')).toEqual({ spanMs: 10_000, acked: 25, rateOut: 2.5, unacked: [15, 10] });
  });

  it('keeps only the samples within the window', () => {
    const history = new LagHistory(10_000);
    history.record(snapshot(0, []), 0);
    history.record(snapshot(50, []), 5_000);
    history.record(snapshot(60, []), 15_000);
    expect(history.stream('orders')).toEqual({ spanMs: 10_000, rateIn: 1 });
  });

  it('has no rate from fewer than two samples', () => {
    const history = new LagHistory(60_000);
    history.record(snapshot(10, [group('stock', 5, 0)]), 0);
    expect(history.stream('orders')).toEqual({ spanMs: 0, rateIn: 0 });
    expect(history.group('orders', 'stock').spanMs).toBe(0);
  });

  it('starts afresh when a counter goes backwards (a recreated stream or group)', () => {
    const history = new LagHistory(60_000);
    history.record(snapshot(500, [group('stock', 500, 0)]), 0);
    history.record(snapshot(3, [group('stock', 0, 0)]), 1_000);
    history.record(snapshot(5, [group('stock', 2, 0)]), 2_000);
    expect(history.stream('orders')).toEqual({ spanMs: 1_000, rateIn: 2 });
    expect(history.group('orders', 'stock')).toMatchObject({ spanMs: 1_000, acked: 2 });
  });

  it('skips a group whose read counter Redis lost (null)', () => {
    const history = new LagHistory(60_000);
    history.record(snapshot(10, [group('stock', null, 0)]), 0);
    history.record(snapshot(10, [group('stock', null, 0)]), 1_000);
    expect(history.group('orders', 'stock').spanMs).toBe(0);
  });
});
