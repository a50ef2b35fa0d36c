import { jest } from '@jest/globals';
import { sleep } from './sleep.js';

describe('sleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const settledValue = async (promise: Promise<boolean>) => {
    let value: boolean | undefined;
    void promise.then((v) => (value = v));
    await jest.advanceTimersByTimeAsync(0);
    return value;
  };

  it('resolves true once the time has passed', async () => {
    const slept = sleep(20, new AbortController().signal);
    await jest.advanceTimersByTimeAsync(19);
    expect(await settledValue(slept)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(await settledValue(slept)).toBe(true);
  });

  it('resolves false at once, without a timer, when the signal has already aborted', async () => {
    const stopping = new AbortController();
    stopping.abort();
    const slept = sleep(1_000, stopping.signal);
    expect(jest.getTimerCount()).toBe(0);
    expect(await settledValue(slept)).toBe(false);
  });

  it('resolves false as soon as the signal aborts, and clears its timer', async () => {
    const stopping = new AbortController();
    const slept = sleep(1_000, stopping.signal);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(5);
    stopping.abort();
    expect(await settledValue(slept)).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('leaves no listener on the signal once it has slept', async () => {
    const stopping = new AbortController();
    let listeners = 0;
    const { signal } = stopping;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
    const slept = sleep(10, signal);
    expect(listeners).toBe(1);
    await jest.advanceTimersByTimeAsync(10);
    expect(await slept).toBe(true);
    expect(listeners).toBe(0);
  });
});
