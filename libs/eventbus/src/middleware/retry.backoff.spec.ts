import { retryDelay } from './retry.backoff.js';

describe('retryDelay', () => {
  it('doubles with each delivery, half fixed and half random', () => {
    expect(retryDelay(1, 500, 30_000, () => 0)).toBe(250);
    expect(retryDelay(1, 500, 30_000, () => 1)).toBe(500);
    expect(retryDelay(3, 500, 30_000, () => 0)).toBe(1_000);
    expect(retryDelay(3, 500, 30_000, () => 1)).toBe(2_000);
  });

  it('never exceeds the ceiling and never retries at once', () => {
    for (let deliveries = 1; deliveries < 60; deliveries++) {
      const delay = retryDelay(deliveries, 500, 30_000);
      expect(delay).toBeGreaterThanOrEqual(250);
      expect(delay).toBeLessThanOrEqual(30_000);
    }
  });
});
