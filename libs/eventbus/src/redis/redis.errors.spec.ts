import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';
import { isRedisUnavailable, redisRefusal } from './redis.errors.js';

const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('isRedisUnavailable', () => {
  it('recognises refusals and lost connections, also wrapped by a handler', () => {
    expect(isRedisUnavailable(reply("OOM command not allowed when used memory > 'maxmemory'."))).toBe(true);
    expect(isRedisUnavailable(reply("READONLY You can't write against a read only replica."))).toBe(true);
    expect(isRedisUnavailable(reply('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isRedisUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnavailable(new Error('Command timed out'))).toBe(true);
    expect(isRedisUnavailable(new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'))).toBe(true);
    expect(isRedisUnavailable(new Error("Cluster isn't ready and enableOfflineQueue options is false"))).toBe(true);
    expect(isRedisUnavailable(reply('CLUSTERDOWN The cluster is down'))).toBe(true);
    expect(isRedisUnavailable(reply('MOVED 105 127.0.0.1:7000'))).toBe(true);
    expect(isRedisUnavailable(new RedisUnavailableError('publish', new Error('x')))).toBe(true);
    expect(isRedisUnavailable(new Error('could not issue invoice', { cause: reply('OOM no memory') }))).toBe(true);
  });

  it('leaves real failures to the retry budget', () => {
    expect(isRedisUnavailable(reply('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isRedisUnavailable(reply('ERR Error running script'))).toBe(false);
    expect(isRedisUnavailable(new Error('invoice service refused'))).toBe(false);
    expect(isRedisUnavailable('OOM')).toBe(false);
  });
});

describe('redisRefusal', () => {
  it("names Redis' reason for refusing a write, also wrapped, and nothing else", () => {
    expect(redisRefusal(reply("OOM command not allowed when used memory > 'maxmemory'. script: 1a2b, on @user_script:3."))).toBe(
      'OOM',
    );
    expect(redisRefusal(new Error('handler', { cause: reply("READONLY You can't write against a read only replica.") }))).toBe(
      'READONLY',
    );
    expect(redisRefusal(reply('MISCONF Redis is configured to save RDB snapshots'))).toBe('MISCONF');
    expect(redisRefusal(reply('WRONGTYPE Operation against a key'))).toBeUndefined();
    expect(redisRefusal(new Error('Connection is closed.'))).toBeUndefined();
  });

  it('makes a refused write a RedisUnavailableError that was not applied', () => {
    const refused = new RedisUnavailableError('an atomic step', reply('OOM command not allowed'));
    expect({ refusal: refused.refusal, maybeApplied: refused.maybeApplied }).toEqual({ refusal: 'OOM', maybeApplied: false });
    expect(new RedisUnavailableError('publish', new Error('Command timed out')).maybeApplied).toBe(true);
  });
});
