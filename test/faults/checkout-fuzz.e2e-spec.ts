// 1,000 random malformed checkout bodies (seeded, so a failure can be replayed): only 4xx answers,
// never a 5xx, and nothing is written.
import { startApp, type AppProcess } from '../support/app-process.js';
import { request } from '../support/http.js';
import { runPool } from '../support/pool.js';
import { scanKeys } from '../support/redis-client.js';
import { ORDERS_STREAM } from '../support/system.js';
import { useRedis } from '../support/test-redis.js';

const BODIES = 1_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values each field must refuse (the limits are in the README's HTTP API section). */
const INVALID = {
  customerId: [null, true, 0, '', ' ', 'a b', 'x'.repeat(65), [], {}, ['c-1']],
  sku: [null, 1, '', 'SKU 1', '../etc', '<script>', 'x'.repeat(65), [], {}],
  quantity: [null, 0, -1, 1.5, 10_001, '1', true, [], {}, 1e308],
  unitPrice: [null, -1, -0.01, 0.001, 1_000_001, 1e308, '1', true, [], {}],
  items: [null, [], {}, 'x', 1, [null], [1], ['SKU-1']],
} satisfies Record<string, Json[]>;
const JUNK: Json[] = [null, 0, 'x', [], {}, { nested: { deeper: [1, 'two', null] } }, true];

function fuzzer(random: () => number) {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const validLine = (): Record<string, Json> => ({ sku: 'SKU-1', quantity: 1, unitPrice: 1 });
  /** A body with one to three defects, each of which alone makes it invalid. */
  return (): { raw: string; contentType: string } => {
    const kind = Math.floor(random() * 8);
    if (kind === 0)
      return {
        raw: pick(['{', '{"customerId":', 'null', '[]', '"x"', '12', 'customerId=c-1', '{"a":1}}', '']),
        contentType: 'application/json',
      };
    if (kind === 1)
      return {
        raw: JSON.stringify({ customerId: 'c-1', items: [validLine()] }),
        contentType: pick(['text/plain', 'application/x-www-form-urlencoded']),
      };
    const body: Record<string, Json> = { customerId: 'c-1', items: [validLine(), validLine()] };
    const line = (body.items as Record<string, Json>[])[Math.floor(random() * 2)];
    const defects = 1 + Math.floor(random() * 3);
    for (let d = 0; d < defects; d++) {
      switch (pick(['customerId', 'items', 'line', 'missing', 'extra', 'lineExtra', 'tooMany'] as const)) {
        case 'customerId':
          body.customerId = pick(INVALID.customerId);
          break;
        case 'items':
          body.items = pick(INVALID.items);
          break;
        case 'line': {
          const field = pick(['sku', 'quantity', 'unitPrice'] as const);
          line[field] = pick(INVALID[field]);
          break;
        }
        case 'missing':
          delete body[pick(['customerId', 'items'])];
          break;
        case 'extra':
          body[pick(['total', 'orderId', 'status', 'isAdmin', 'constructor'])] = pick(JUNK);
          break;
        case 'lineExtra':
          line[pick(['discount', 'price', 'qty'])] = pick(JUNK);
          break;
        case 'tooMany':
          body.items = Array.from({ length: 101 }, validLine);
          break;
      }
    }
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
