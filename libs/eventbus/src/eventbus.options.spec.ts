import { DEFAULT_BATCH_SIZE, DEFAULT_CLAIM_IDLE_MS, DEFAULT_MAX_DELIVERIES } from './eventbus.constants.js';
import { resolveEventBusConfig } from './eventbus.options.js';

describe('resolveEventBusConfig', () => {
  it('applies the named defaults and a unique consumer name', () => {
    const a = resolveEventBusConfig({ service: 'stock' });
    const b = resolveEventBusConfig({ service: 'stock' });
    expect(a.batchSize).toBe(DEFAULT_BATCH_SIZE);
    expect(a.claimIdleMs).toBe(DEFAULT_CLAIM_IDLE_MS);
    expect(a.maxDeliveries).toBe(DEFAULT_MAX_DELIVERIES);
    expect(a.consumer).not.toBe(b.consumer);
  });

  it.each([
    [{ service: '' }, /"service"/],
    [{ service: 'has space' }, /"service"/],
    [{ service: 's', batchSize: 0 }, /"batchSize".*from 1/],
    [{ service: 's', maxDeliveries: 1.5 }, /"maxDeliveries"/],
    [{ service: 's', url: 'http://x' }, /"url".*protocol/],
    [{ service: 's', url: 'not a url' }, /"url"/],
    [{ service: 's', retryBaseMs: 1_000, retryMaxMs: 10 }, /"retryMaxMs"/],
  ])('refuses %j, naming the option', (options, message) => {
    expect(() => resolveEventBusConfig(options)).toThrow(message);
  });
});
