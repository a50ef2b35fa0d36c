import type { GroupTrend } from './lag.history.js';
import { drainSeconds, groupStatus, isLive } from './lag.status.js';

const WINDOW = 60_000;
const trend = (acked: number, unacked: number[], spanMs = WINDOW): GroupTrend => ({
  spanMs,
  acked,
  rateOut: acked / 60,
  unacked,
});
const rules = { readGraceMs: 5_000, claimIdleMs: 30_000 };

describe('groupStatus', () => {
  it('is OK when nothing waits, whatever else', () => {
    expect(groupStatus({ waiting: 0, liveConsumers: 0, trend: trend(0, [0, 0]), windowMs: WINDOW })).toBe('OK');
  });

  it('is STOP when entries wait and no consumer is live, even without history', () => {
    expect(groupStatus({ waiting: 3, liveConsumers: 0, trend: trend(0, [], 0), windowMs: WINDOW })).toBe('STOP');
  });

  it('is STALL when live consumers acknowledged nothing over the window while entries wait', () => {
    expect(groupStatus({ waiting: 3, liveConsumers: 1, trend: trend(0, [3, 3, 3]), windowMs: WINDOW })).toBe('STALL');
  });

  it('is WARN when the backlog only grew while the group made progress', () => {
    expect(groupStatus({ waiting: 9, liveConsumers: 2, trend: trend(40, [2, 4, 4, 9]), windowMs: WINDOW })).toBe('WARN');
  });

  it('is OK when the backlog shrank at some point, or did not grow overall', () => {
    expect(groupStatus({ waiting: 9, liveConsumers: 1, trend: trend(40, [2, 5, 3, 9]), windowMs: WINDOW })).toBe('OK');
    expect(groupStatus({ waiting: 2, liveConsumers: 1, trend: trend(40, [2, 2, 2]), windowMs: WINDOW })).toBe('OK');
  });

  it('judges neither STALL nor WARN with less than half a window of history', () => {
    expect(groupStatus({ waiting: 3, liveConsumers: 1, trend: trend(0, [3, 3], WINDOW / 2 - 1), windowMs: WINDOW })).toBe('OK');
    expect(groupStatus({ waiting: 3, liveConsumers: 1, trend: trend(0, [3, 3], WINDOW / 2), windowMs: WINDOW })).toBe('STALL');
  });
});

describe('isLive', () => {
  it('counts a consumer that was handed or renewed entries within the read grace as live', () => {
    expect(isLive({ name: 'a', pending: 0, idleMs: 4_999 }, 60_000, rules)).toBe(true);
  });

  it('counts a consumer holding entries as live until its claims would have been renewed', () => {
    expect(isLive({ name: 'a', pending: 2, idleMs: 29_999 }, 60_000, rules)).toBe(true);
    expect(isLive({ name: 'a', pending: 2, idleMs: 30_000 }, 0, rules)).toBe(false);
  });

  it('counts an idle consumer holding nothing as stopped once an entry has waited past the read grace', () => {
    expect(isLive({ name: 'a', pending: 0, idleMs: 600_000 }, 4_000, rules)).toBe(true);
    expect(isLive({ name: 'a', pending: 0, idleMs: 600_000 }, 5_000, rules)).toBe(false);
  });
});

describe('drainSeconds', () => {
  it('is 0 when nothing waits', () => {
    expect(drainSeconds(0, 5, 0)).toBe(0);
  });

  it('divides what waits by how fast it shrinks', () => {
    expect(drainSeconds(100, 10, 30)).toBe(5);
  });

  it('is null when the backlog does not shrink', () => {
    expect(drainSeconds(100, 30, 30)).toBeNull();
    expect(drainSeconds(100, 0, 0)).toBeNull();
  });
});
