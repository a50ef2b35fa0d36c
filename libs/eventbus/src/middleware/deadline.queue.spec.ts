import { jest } from '@jest/globals';
import { DeadlineQueue } from './deadline.queue.js';

describe('DeadlineQueue', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('expires each deadline once its time has passed, in the order they were added', () => {
    const queue = new DeadlineQueue(10);
    const expired: string[] = [];
    queue.add(() => expired.push('a'));
    jest.advanceTimersByTime(3);
    queue.add(() => expired.push('b'));
    jest.advanceTimersByTime(3);
    queue.add(() => expired.push('c'));
    jest.advanceTimersByTime(3);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1); // t = 10
    expect(expired).toEqual(['a']);
    jest.advanceTimersByTime(2);
    expect(expired).toEqual(['a']);
    jest.advanceTimersByTime(1); // t = 13
    expect(expired).toEqual(['a', 'b']);
    jest.advanceTimersByTime(3); // t = 16
    expect(expired).toEqual(['a', 'b', 'c']);
    jest.advanceTimersByTime(100);
    expect(expired).toEqual(['a', 'b', 'c']);
  });

  it('never expires a settled deadline, and a settled head holds nothing back', () => {
    const queue = new DeadlineQueue(10);
    const expired: string[] = [];
    const a = queue.add(() => expired.push('a'));
    jest.advanceTimersByTime(5);
    const b = queue.add(() => expired.push('b'));
    queue.add(() => expired.push('c'));
    a.settled = true;
    jest.advanceTimersByTime(5); // t = 10: a's time, a settled
    expect(expired).toEqual([]);
    b.settled = true;
    jest.advanceTimersByTime(5); // t = 15
    expect(expired).toEqual(['c']);
    expect(a.settled && b.settled).toBe(true);
  });

  it('marks an expired deadline settled', () => {
    const queue = new DeadlineQueue(1);
    const handle = queue.add(() => undefined);
    expect(handle.settled).toBe(false);
    jest.advanceTimersByTime(1);
    expect(handle.settled).toBe(true);
  });

  it('serves many deadlines with one timer, and none once all are done', () => {
    const queue = new DeadlineQueue(10);
    let expired = 0;
    for (let i = 0; i < 50; i++) {
      queue.add(() => expired++);
      jest.advanceTimersByTime(i % 3 === 0 ? 1 : 0);
    }
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(5);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(100);
    expect(expired).toBe(50);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('starts again after running empty', () => {
    const queue = new DeadlineQueue(10);
    const expired: string[] = [];
    queue.add(() => expired.push('a'));
    jest.advanceTimersByTime(10);
    expect(jest.getTimerCount()).toBe(0);
    queue.add(() => expired.push('b'));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(9);
    expect(expired).toEqual(['a']);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['a', 'b']);
  });

  it('keeps the order across its compaction of a long queue', () => {
    const queue = new DeadlineQueue(10);
    const expired: number[] = [];
    for (let i = 0; i < 1500; i++) queue.add(() => expired.push(i));
    jest.advanceTimersByTime(5);
    for (let i = 1500; i < 3000; i++) queue.add(() => expired.push(i));
    jest.advanceTimersByTime(5);
    expect(expired).toHaveLength(1500);
    for (let i = 3000; i < 3010; i++) queue.add(() => expired.push(i));
    jest.advanceTimersByTime(10);
    expect(expired).toEqual(Array.from({ length: 3010 }, (_, i) => i));
  });

  it('lets settled deadlines leave from the front at once, so it holds about what is in flight', () => {
    const queue = new DeadlineQueue(30_000);
    const first = queue.add(() => undefined);
    const rest = Array.from({ length: 5_000 }, () => queue.add(() => undefined));
    for (const deadline of rest) queue.settle(deadline);
    // One unsettled deadline at the front holds the settled ones behind it...
    expect(queue.size).toBe(5_001);
    queue.settle(first);
    // ...and they all leave once it settles, long before any timer fires.
    expect(queue.size).toBe(0);
    for (let i = 0; i < 10_000; i++) queue.settle(queue.add(() => undefined));
    expect(queue.size).toBe(0);
  });
});
