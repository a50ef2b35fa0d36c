import { EventBusConfigError } from '../errors/eventbus-config.error.js';
import { parseSentinels, reconnectOnReadonly, sentinelRedisOptions } from './sentinel.options.js';

describe('parseSentinels', () => {
  it('reads host:port pairs, IPv6 in brackets included', () => {
    expect(parseSentinels('REDIS_SENTINELS', '10.0.0.1:26379, sentinel-b:26380,[::1]:26381')).toEqual([
      { host: '10.0.0.1', port: 26379 },
      { host: 'sentinel-b', port: 26380 },
      { host: '::1', port: 26381 },
    ]);
  });

  it.each(['10.0.0.1', '10.0.0.1:0', 'a:70000', 'a:1,,b:2', 'redis://a:1'])('refuses "%s", naming the option', (value) => {
    expect(() => parseSentinels('REDIS_SENTINELS', value)).toThrow(EventBusConfigError);
    expect(() => parseSentinels('REDIS_SENTINELS', value)).toThrow('REDIS_SENTINELS');
  });
});

describe('sentinelRedisOptions', () => {
  const sentinel = { sentinels: [{ host: '127.0.0.1', port: 26379 }], name: 'bus', password: 's3cret' };

  it('asks the sentinels for the master and reconnects on READONLY without re-sending', () => {
    const options = sentinelRedisOptions(sentinel, 'redis://app:pw@ignored:1');
    expect(options).toMatchObject({ sentinels: sentinel.sentinels, name: 'bus', role: 'master', sentinelPassword: 's3cret' });
    expect(options.enableTLSForSentinelMode).toBeUndefined();
    expect(reconnectOnReadonly(new Error("READONLY You can't write against a read only replica."))).toBe(1);
    expect(reconnectOnReadonly(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
  });

  it('uses TLS towards the master and the sentinels with rediss://', () => {
    expect(sentinelRedisOptions(sentinel, 'rediss://app:pw@ignored:1')).toMatchObject({
      enableTLSForSentinelMode: true,
      sentinelTLS: {},
    });
  });
});
