import { eventBusOptionsFromEnv, validateEventBusEnv } from './eventbus.env.js';

describe('validateEventBusEnv', () => {
  it('reads numbers and defaults the Redis URL', () => {
    const env = validateEventBusEnv({ EVENTBUS_CLAIM_IDLE_MS: '1500', EVENTBUS_MAX_DELIVERIES: '3', PORT: '4000' });
    expect(env.PORT).toBe(4000);
    expect(eventBusOptionsFromEnv(env)).toEqual({
      url: 'redis://127.0.0.1:6379',
      consumer: undefined,
      claimIdleMs: 1500,
      maxDeliveries: 3,
      adminToken: undefined,
      lagWindowMs: undefined,
      retention: {
        maxLength: undefined,
        maxAgeMs: undefined,
        intervalMs: undefined,
        hardMaxLength: undefined,
        deadLetterMaxLength: undefined,
      },
    });
  });

  it.each([
    ['REDIS_URL', 'http://localhost'],
    ['REDIS_CLUSTER_NODES', 'redis://a:1 redis://b:2'],
    ['REDIS_CLUSTER_NODES', '127.0.0.1:7000'],
    ['PORT', '70000'],
    ['EVENTBUS_CLAIM_IDLE_MS', 'soon'],
    ['EVENTBUS_MAX_DELIVERIES', '0'],
    ['EVENTBUS_ADMIN_TOKEN', 'two words'],
    ['EVENTBUS_CONSUMER', 'a b'],
    ['HOST', 'localhost:80'],
    ['EVENTBUS_LAG_WINDOW_MS', '10'],
    ['EVENTBUS_RETENTION_MAX_LENGTH', '-1'],
    ['EVENTBUS_RETENTION_MAX_AGE_MS', '1 week'],
    ['EVENTBUS_RETENTION_INTERVAL_MS', '0'],
    ['EVENTBUS_RETENTION_HARD_MAX_LENGTH', '1.5'],
    ['EVENTBUS_DEAD_LETTER_MAX_LENGTH', '0'],
    ['EVENTBUS_PARTITIONS', '0'],
    ['EVENTBUS_PARTITIONS', '257'],
    ['EVENTBUS_PARTITIONS', 'four'],
    ['EVENTBUS_LEASE_MS', '100'],
    ['REDIS_SENTINELS', 'host-without-port'],
    ['REDIS_SENTINEL_PASSWORD', 'two words'],
    ['EVENTBUS_MIN_REPLICA_ACKS', '-1'],
    ['EVENTBUS_REPLICA_ACK_TIMEOUT_MS', '0'],
  ])('stops on a bad %s, naming it', (name, value) => {
    expect(() => validateEventBusEnv({ [name]: value })).toThrow(name);
  });

  it('runs on the cluster, not REDIS_URL, when REDIS_CLUSTER_NODES is set', () => {
    const env = validateEventBusEnv({
      REDIS_URL: 'redis://one:6379',
      REDIS_CLUSTER_NODES: 'redis://u:p@a:7000, rediss://b:7001',
    });
    const options = eventBusOptionsFromEnv(env);
    expect(options.url).toBeUndefined();
    expect(options.cluster).toEqual({ nodes: ['redis://u:p@a:7000', 'rediss://b:7001'] });
  });

  it('wants the sentinels and the master name together, each named when missing', () => {
    expect(() => validateEventBusEnv({ REDIS_SENTINELS: '127.0.0.1:26379' })).toThrow('REDIS_SENTINEL_MASTER');
    expect(() => validateEventBusEnv({ REDIS_SENTINEL_MASTER: 'bus' })).toThrow('REDIS_SENTINELS');
  });

  it('wants the replica acknowledgements spelt out with Sentinel: no default is safe', () => {
    expect(() => validateEventBusEnv({ REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_MASTER: 'bus' })).toThrow(
      'EVENTBUS_MIN_REPLICA_ACKS',
    );
  });

  it('turns the Sentinel variables into the sentinel option', () => {
    const env = validateEventBusEnv({
      REDIS_SENTINELS: '127.0.0.1:26379,127.0.0.1:26380',
      REDIS_SENTINEL_MASTER: 'bus',
      EVENTBUS_MIN_REPLICA_ACKS: '2',
    });
    expect(eventBusOptionsFromEnv(env)).toMatchObject({
      sentinel: {
        sentinels: [
          { host: '127.0.0.1', port: 26379 },
          { host: '127.0.0.1', port: 26380 },
        ],
        name: 'bus',
      },
      minReplicaAcks: 2,
    });
  });

  it('ignores variables it does not own', () => {
    expect(() => validateEventBusEnv({ PATH: '/bin', HOME: '/root' })).not.toThrow();
  });
});
