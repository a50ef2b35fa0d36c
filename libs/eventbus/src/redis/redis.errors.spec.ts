import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';
import { isRedisUnavailable } from './redis.errors.js';

const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('isRedisUnavailable', () => {
  it('recognises refusals and lost connections, also wrapped by a handler', () => {
    expect(isRedisUnavailable(reply("OOM command not allowed when used memory > 'maxmemory'."))).toBe(true);
    expect(isRedisUnavailable(reply("READONLY You can't write against a read only replica."))).toBe(true);
    expect(isRedisUnavailable(reply('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isRedisUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnavailable(new Error('Command timed out'))).toBe(true);
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
