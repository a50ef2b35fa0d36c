// 1,000 random malformed checkout bodies (seeded, so a failure can be replayed): only 4xx answers,
// never a 5xx, and nothing is written.
import { startApp, type AppProcess } from '../support/app-process.js';
import { request } from '../support/http.js';
import { runPool } from '../support/pool.js';
import { scanKeys } from '../support/redis-client.js';
import { ORDERS_STREAM } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';
import { breakBody, NOT_JSON_OBJECTS, picker, prng, validLine, type Json } from '../support/checkout-fuzzer.js';

const BODIES = 1_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

function fuzzer(random: () => number) {
  const pick = picker(random);
  /** A body with one to three defects, each of which alone makes it invalid. */
  return (): { raw: string; contentType: string } => {
    const kind = Math.floor(random() * 8);
    if (kind === 0) return { raw: pick(NOT_JSON_OBJECTS), contentType: 'application/json' };
    if (kind === 1)
      return {
        raw: JSON.stringify({ customerId: 'c-1', items: [validLine()] }),
        contentType: pick(['text/plain', 'application/x-www-form-urlencoded']),
      };
    const body: Record<string, Json> = { customerId: 'c-1', items: [validLine(), validLine()] };
    breakBody(body, random);
    return { raw: JSON.stringify(body), contentType: 'application/json' };
  };
}

describe('malformed checkout bodies', () => {
  const redis = useRedis();
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url });
  });

  it(`answers 1,000 of them with 4xx only and writes nothing (seed ${SEED})`, async () => {
    const next = fuzzer(prng(SEED));
    const bodies = Array.from({ length: BODIES }, next);
    const lengthBefore = await redis.client.xlen(ORDERS_STREAM);
    const answers = await runPool(bodies, 8, async ({ raw, contentType }) => {
      const response = await request('POST', `${checkout.url}/checkout`, {
        rawBody: raw,
        headers: { 'content-type': contentType },
      });
      return { status: response.status, raw, text: response.text };
    });
    const notClientErrors = answers.filter(({ status }) => status < 400 || status >= 500);
    expect(notClientErrors).toEqual([]);
    expect(answers.every(({ text }) => text.includes('message'))).toBe(true);
    expect(await redis.client.xlen(ORDERS_STREAM)).toBe(lengthBefore);
    expect(await scanKeys(redis.client, 'checkout:*')).toEqual([]);
    const counts = answers.reduce<Record<number, number>>(
      (acc, { status }) => ({ ...acc, [status]: (acc[status] ?? 0) + 1 }),
      {},
    );
    console.log(`fuzz: ${BODIES} bodies, statuses ${JSON.stringify(counts)}`);
  });
});
