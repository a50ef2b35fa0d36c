// A bad configuration value stops start-up with a message naming the variable.
import { startApp, type AppName } from './support/app-process.js';
import { useRedis } from './support/test-redis.js';

const T = 60_000;

const badValues: { app: AppName; variable: string; value: string }[] = [
  { app: 'checkout', variable: 'REDIS_URL', value: 'http://127.0.0.1:6379' },
  { app: 'stock', variable: 'REDIS_CLUSTER_NODES', value: '127.0.0.1:7000,127.0.0.1:7001' },
  { app: 'stock', variable: 'PORT', value: 'not-a-port' },
  { app: 'invoice', variable: 'EVENTBUS_CLAIM_IDLE_MS', value: '-5' },
  { app: 'distribution', variable: 'EVENTBUS_MAX_DELIVERIES', value: 'many' },
  { app: 'checkout', variable: 'EVENTBUS_ADMIN_TOKEN', value: 'not a token' },
  { app: 'invoice', variable: 'EVENTBUS_CONSUMER', value: 'has spaces/and slashes' },
];

describe('configuration errors', () => {
  const redis = useRedis();

  it.each(badValues)(
    '$app refuses to start with $variable=$value and names the variable',
    async ({ app, variable, value }) => {
      // REDIS_URL and PORT are set by the harness; a bad one is passed through `env` after them.
      const proc = await startApp(app, {
        redisUrl: variable === 'REDIS_URL' ? value : redis.url,
        env: variable === 'REDIS_URL' ? {} : { [variable]: value },
        waitForHealthy: false,
        portOverride: variable === 'PORT' ? value : undefined,
      });
      const code = await proc.exit(15_000);
      expect({ exited: code !== undefined, output: proc.output().slice(-2000) }).toEqual({
        exited: true,
        output: expect.stringContaining(variable) as unknown,
      });
      expect(code).not.toBe(0);
    },
    T,
  );
});
