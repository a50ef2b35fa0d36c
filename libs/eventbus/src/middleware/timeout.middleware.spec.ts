import { testDelivery } from '../pipeline/delivery.fixture.js';
import { HandlerTimeoutError } from '../errors/handler-timeout.error.js';
import type { Next } from '../pipeline/middleware.js';
import { ACK, RELEASE } from '../pipeline/outcome.js';
import { timeout } from './timeout.middleware.js';

const deliveryOf = () => testDelivery();

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('timeout', () => {
  it('fails a slow handler with HandlerTimeoutError after the limit and aborts its signal', async () => {
    const delivery = deliveryOf();
    const slow = after(100).then(() => ACK);
    const started = Date.now();
    const outcome = timeout(5)(delivery, () => slow);
    await expect(outcome).rejects.toThrow(HandlerTimeoutError);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4);
    expect(elapsed).toBeLessThan(100);
    expect(delivery.signal.aborted).toBe(true);
    expect(delivery.signal.reason).toBeInstanceOf(HandlerTimeoutError);
    expect((delivery.signal.reason as Error).message).toBe('Handler did not finish within 5 ms');
    await slow; // finishing late changes nothing
    await expect(outcome).rejects.toBe(delivery.signal.reason);
  });

  it('aborts the signal a running handler already holds, so it can stop its work', async () => {
    const delivery = deliveryOf();
    let reason: unknown;
    const next: Next = (d) =>
      new Promise((resolve) => {
        d.context().signal.addEventListener('abort', () => {
          reason = d.context().signal.reason;
          resolve(RELEASE);
        });
      });
    await expect(timeout(5)(delivery, next)).rejects.toThrow(HandlerTimeoutError);
    expect(reason).toBeInstanceOf(HandlerTimeoutError);
  });

  it('passes a fast outcome through, and its deadline never fires later', async () => {
    const limit = timeout(10);
    const delivery = deliveryOf();
    expect(await limit(delivery, async () => ACK)).toBe(ACK);
    const sync = deliveryOf();
    expect(await limit(sync, () => RELEASE)).toBe(RELEASE);
    await after(30);
    expect(delivery.signal.aborted).toBe(false);
    expect(sync.signal.aborted).toBe(false);
  });

  it('passes a handler failure through as it is, thrown or rejected, without aborting', async () => {
    const limit = timeout(10);
    const failure = new Error('boom');
    const thrown = deliveryOf();
    const rejected = deliveryOf();
    await expect(
      limit(thrown, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(limit(rejected, async () => Promise.reject(failure))).rejects.toBe(failure);
    await after(30);
    expect(thrown.signal.aborted).toBe(false);
    expect(rejected.signal.aborted).toBe(false);
  });

  it('gives each delivery its own deadline', async () => {
    const limit = timeout(20);
    const fast = deliveryOf();
    const slow = deliveryOf();
    const slowFails = expect(limit(slow, () => after(200).then(() => ACK))).rejects.toThrow(HandlerTimeoutError);
    await after(10);
    expect(await limit(fast, () => after(1).then(() => ACK))).toBe(ACK);
    await slowFails;
    await after(30);
    expect(slow.signal.aborted).toBe(true);
    expect(fast.signal.aborted).toBe(false);
  });

  // BUG (pipeline/delivery.ts, not this middleware): the context's `signal` getter reads the
  // delivery's *current* attempt. Once the retry policy starts the next attempt
  // (`delivery.nextAttempt`), the timed-out attempt, if it looks at `context.signal` only then,
  // gets the new attempt's fresh signal, not aborted, and goes on working beside the retry.
  it('keeps the timed-out attempt aborted after the next attempt starts', async () => {
    const delivery = deliveryOf();
    const context = delivery.context();
    await expect(timeout(5)(delivery, () => after(50).then(() => ACK))).rejects.toThrow(HandlerTimeoutError);
    delivery.nextAttempt(2); // what the retry policy does before running again
    expect(context.signal.aborted).toBe(true);
  });
});
