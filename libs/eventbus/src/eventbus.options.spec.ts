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

  it('waits for the replicas the app names under Sentinel and for none on one Redis, within the command timeout', () => {
    const sentinel = { sentinels: [{ host: '127.0.0.1', port: 26379 }], name: 'bus' };
    expect(resolveEventBusConfig({ service: 's' }).replicaAcks).toEqual({ min: 0, timeoutMs: 1_000 });
    expect(resolveEventBusConfig({ service: 's', sentinel, minReplicaAcks: 2 }).replicaAcks).toEqual({
      min: 2,
      timeoutMs: 1_000,
    });
    expect(resolveEventBusConfig({ service: 's', sentinel, minReplicaAcks: 0 }).replicaAcks.min).toBe(0);
    expect(resolveEventBusConfig({ service: 's', commandTimeoutMs: 300 }).replicaAcks.timeoutMs).toBe(299);
  });

  it.each([
    [{ service: '' }, /"service"/],
    [{ service: 'has space' }, /"service"/],
    [{ service: 's', batchSize: 0 }, /"batchSize".*from 1/],
    [{ service: 's', maxDeliveries: 1.5 }, /"maxDeliveries"/],
    [{ service: 's', url: 'http://x' }, /"url".*protocol/],
    [{ service: 's', url: 'not a url' }, /"url"/],
    [{ service: 's', retryBaseMs: 1_000, retryMaxMs: 10 }, /"retryMaxMs"/],
    [{ service: 's', cluster: { nodes: [] } }, /"cluster.nodes"/],
    [{ service: 's', cluster: { nodes: ['http://x:1'] } }, /"cluster.nodes".*protocol/],
    [{ service: 's', cluster: { nodes: ['redis://a:1', 'rediss://b:2'] } }, /"cluster.nodes".*same protocol/],
    [{ service: 's', sentinel: { sentinels: [], name: 'bus' } }, /"sentinel.sentinels"/],
    [{ service: 's', sentinel: { sentinels: [{ host: 'h', port: 1 }], name: '' } }, /"sentinel.name"/],
    [{ service: 's', minReplicaAcks: -1 }, /"minReplicaAcks"/],
    [
      { service: 's', sentinel: { sentinels: [{ host: 'h', port: 1 }], name: 'bus' } },
      /"minReplicaAcks".*required with Sentinel/,
    ],
    [{ service: 's', commandTimeoutMs: 500, replicaAckTimeoutMs: 500 }, /"replicaAckTimeoutMs".*to 499/],
  ])('refuses %j, naming the option', (options, message) => {
    expect(() => resolveEventBusConfig(options)).toThrow(message);
  });

  it("gives every cluster node the seed URLs' user, password and TLS, and drops the single-node URL", () => {
    const config = resolveEventBusConfig({
      service: 's',
      url: 'redis://ignored:1',
      cluster: { nodes: ['rediss://app:p%40ss@10.0.0.1:7000', 'rediss://app:p%40ss@10.0.0.2'] },
    });
    expect(config.url).toBeUndefined();
    expect(config.cluster?.nodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 6379 },
    ]);
    expect(config.cluster?.redis).toEqual({ username: 'app', password: 'p@ss', tls: {} });
  });
});
