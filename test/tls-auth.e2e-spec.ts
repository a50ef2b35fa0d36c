// REDIS_URL with rediss:// (TLS) and an ACL user with a password.
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { startApp } from './support/app-process.js';
import { freePort } from './support/free-port.js';
import { getJson } from './support/http.js';
import { ORDERS_STREAM, placeOrder } from './support/system.js';
import { useRedis } from './support/test-redis.js';
import { makeTestCertificates, type TestCertificates } from './support/tls-cert.js';

const T = 60_000;
const USER = 'bus-app';
const PASSWORD = 'e2e-secret-password-1234';

describe('TLS and authenticated Redis', () => {
  let certs: TestCertificates | undefined;
  let tlsPort = 0;

  useRedis(async () => {
    certs = await makeTestCertificates();
    tlsPort = await freePort();
    return {
      extraArgs: [
        '--tls-port',
        String(tlsPort),
        '--tls-cert-file',
        certs.certFile,
        '--tls-key-file',
        certs.keyFile,
        '--tls-ca-cert-file',
        certs.caFile,
        '--tls-auth-clients',
        'no',
        '--user',
        'default',
        'off',
        '--user',
        USER,
        'on',
        `>${PASSWORD}`,
        '~*',
        '&*',
        '+@all',
      ],
    };
  });

  // Runs after useRedis' teardown (hooks run in declaration order).
  afterAll(async () => {
    await certs?.remove();
  }, T);

  it(
    'runs checkout on rediss://user:password@ and writes the order through TLS',
    async () => {
      const url = `rediss://${USER}:${PASSWORD}@127.0.0.1:${tlsPort}`;
      const checkout = await startApp('checkout', {
        redisUrl: url,
        env: { NODE_EXTRA_CA_CERTS: certs!.caFile },
      });
      const accepted = await placeOrder(checkout.url);
      expect((await getJson(`${checkout.url}/orders/${accepted.orderId}`)).status).toBe(200);

      const client = new Redis(url, { tls: { ca: await readFile(certs!.caFile) }, maxRetriesPerRequest: 1 });
      try {
        expect(await client.xlen(ORDERS_STREAM)).toBe(1);
      } finally {
        await client.quit();
      }
      // The password never shows up in the app's output.
      expect(checkout.output()).not.toContain(PASSWORD);
    },
    T,
  );

  it(
    'refuses to become healthy with a wrong password, without printing it',
    async () => {
      const wrong = 'wrong-password-5678';
      const app = await startApp('invoice', {
        redisUrl: `rediss://${USER}:${wrong}@127.0.0.1:${tlsPort}`,
        env: { NODE_EXTRA_CA_CERTS: certs!.caFile },
        waitForHealthy: false,
      });
      // Either it exits, or it runs and reports 503: never 200.
      const deadline = Date.now() + 8_000;
      let lastStatus: number | undefined;
      while (Date.now() < deadline && !app.exited) {
        lastStatus = await getJson(`${app.url}/health`, { timeoutMs: 2_000 }).then(
          (r) => r.status,
          () => undefined,
        );
        expect(lastStatus).not.toBe(200);
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(app.output()).not.toContain(wrong);
    },
    T,
  );
});
