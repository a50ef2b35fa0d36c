import { testDelivery } from '../pipeline/delivery.fixture.js';
import { ACK, RELEASE, dead } from '../pipeline/outcome.js';
import { handlerTimer, metrics, type HandledRecorder } from './metrics.middleware.js';

const deliveryOf = (failures = 0, decoded = true) => {
  const delivery = testDelivery({ decoded });
  delivery.failures = failures;
  return delivery;
};

function recording() {
  const calls: unknown[][] = [];
  const durations: [string, string, string, number][] = [];
  const recorder: HandledRecorder = {
    handled: (...args) => void calls.push(args),
    handlerDuration: (...args) => void durations.push(args),
  };
  return { calls, durations, counting: metrics(recorder), timing: handlerTimer(recorder) };
}

describe('metrics', () => {
  it('counts an acknowledgement by stream, group and type', async () => {
    const { calls, counting } = recording();
    expect(await counting(deliveryOf(), () => ACK)).toBe(ACK);
    expect(calls).toEqual([['orders', 'stock', 'order.approved', 'ack']]);
  });

  it('counts a dead letter', async () => {
    const { calls, counting } = recording();
    const outcome = dead('invalid');
    expect(await counting(deliveryOf(), async () => outcome)).toBe(outcome);
    expect(calls).toEqual([['orders', 'stock', 'order.approved', 'dead']]);
  });

  it('counts the retries a delivery took, from its failures', async () => {
    const { calls, counting } = recording();
    await counting(deliveryOf(2), () => ACK);
    expect(calls).toEqual([
      ['orders', 'stock', 'order.approved', 'retry', 2],
      ['orders', 'stock', 'order.approved', 'ack'],
    ]);
  });

  it('counts nothing for a released delivery', async () => {
    const { calls, counting } = recording();
    expect(await counting(deliveryOf(), () => RELEASE)).toBe(RELEASE);
    expect(calls).toEqual([]);
  });

  it('still counts the retries a released delivery took', async () => {
    const { calls, counting } = recording();
    await counting(deliveryOf(1), async () => RELEASE);
    expect(calls).toEqual([['orders', 'stock', 'order.approved', 'retry', 1]]);
  });

  it('counts an entry that could not be decoded under type "unknown"', async () => {
    const { calls, counting } = recording();
    await counting(deliveryOf(0, false), () => dead('undecodable'));
    expect(calls).toEqual([['orders', 'stock', 'unknown', 'dead']]);
  });

  it('counts nothing and lets an error through', async () => {
    const { calls, counting } = recording();
    const failure = new Error('boom');
    await expect(counting(deliveryOf(), () => Promise.reject(failure))).rejects.toBe(failure);
    expect(calls).toEqual([]);
  });
});

describe('handlerTimer', () => {
  it('times a handler that answers at once', () => {
    const { durations, timing } = recording();
    expect(timing(deliveryOf(), () => ACK)).toBe(ACK);
    expect(durations).toEqual([['orders', 'stock', 'order.approved', expect.any(Number)]]);
    expect(durations[0][3]).toBeGreaterThanOrEqual(0);
  });

  it('times an asynchronous handler until it settles', async () => {
    const { durations, timing } = recording();
    const outcome = timing(deliveryOf(), () => new Promise((resolve) => setTimeout(() => resolve(ACK), 30)));
    expect(durations).toEqual([]);
    expect(await outcome).toBe(ACK);
    expect(durations[0][3]).toBeGreaterThanOrEqual(0.02);
  });

  it('times a failed run and lets the error through, thrown or rejected', async () => {
    const { durations, timing } = recording();
    const failure = new Error('boom');
    expect(() =>
      timing(deliveryOf(), () => {
        throw failure;
      }),
    ).toThrow(failure);
    await expect(timing(deliveryOf(), () => Promise.reject(failure))).rejects.toBe(failure);
    expect(durations).toHaveLength(2);
  });
});
