// Input a hostile client sends: numbers in exponent notation, bodies nested deeper than any of ours,
// odd Authorization headers and page sizes. Each is a 4xx naming what is wrong, never a 500.
import { startApps, type AppProcess } from './support/app-process.js';
import { getJson, request } from './support/http.js';
import { ORDERS_STREAM, orderBody, uniqueSku } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 60_000;
const TOKEN = 'hostile-test-admin-token';
const DEAD_LETTERS = `/admin/dead-letters/${encodeURIComponent(ORDERS_STREAM)}/invoice`;

interface ErrorBody {
  statusCode: number;
  message: string | string[];
}

const messages = (body: ErrorBody | undefined): string => [body?.message ?? []].flat().join('; ');

/** `[[[...]]]` nested `depth` deep. */
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('hostile input', () => {
  const redis = useRedis();
  let checkout: AppProcess;
  let stock: AppProcess;

  beforeAll(async () => {
    ({ checkout, stock } = await startApps(['checkout', 'stock'], { redisUrl: redis.url, env: { EVENTBUS_ADMIN_TOKEN: TOKEN } }));
  }, T);

  it(
    'a unitPrice in exponent notation (1e-7, 5e-324, 3e-9) is a 400 naming unitPrice, and nothing is written',
    async () => {
      const before = await redis.client.xlen(ORDERS_STREAM);
      for (const unitPrice of ['1e-7', '5e-324', '3e-9', '1.5e-7', '10.555']) {
        const response = await request<ErrorBody>('POST', `${checkout.url}/checkout`, {
          rawBody: `{"customerId":"c-1","items":[{"sku":"SKU-1","quantity":1,"unitPrice":${unitPrice}}]}`,
        });
        expect({ unitPrice, status: response.status }).toEqual({ unitPrice, status: 400 });
        expect(messages(response.body)).toMatch(/unitPrice/);
      }
      expect(await redis.client.xlen(ORDERS_STREAM)).toBe(before);
      // Numbers JSON writes in exponent notation that are valid, or caught by another rule.
      const accepted = await request('POST', `${checkout.url}/checkout`, {
        rawBody: '{"customerId":"c-1","items":[{"sku":"SKU-1","quantity":1,"unitPrice":1.05e2}]}',
      });
      expect(accepted.status).toBe(202);
      for (const [field, value] of [
        ['unitPrice', '1e21'],
        ['quantity', '1e21'],
        ['quantity', '1e-7'],
      ]) {
        const line = '"sku":"SKU-1","quantity":1,"unitPrice":1'.replace(`"${field}":1`, `"${field}":${value}`);
        const response = await request<ErrorBody>('POST', `${checkout.url}/checkout`, {
          rawBody: `{"customerId":"c-1","items":[{${line}}]}`,
        });
        expect({ field, value, status: response.status }).toEqual({ field, value, status: 400 });
        expect(messages(response.body)).toMatch(new RegExp(field));
      }
      for (const available of ['1e21', '1e-7', '5e-324']) {
        const response = await request<ErrorBody>('PUT', `${stock.url}/stock/${uniqueSku()}`, {
          rawBody: `{"available":${available}}`,
        });
        expect({ available, status: response.status }).toEqual({ available, status: 400 });
        expect(messages(response.body)).toMatch(/available/);
      }
    },
    T,
  );

  it(
    'a body nested 1,500 deep (and 20,000 deep) is a 400 about its depth on POST /checkout and PUT /stock/:sku',
    async () => {
      for (const depth of [1_500, 20_000]) {
        const bodies: [string, string, string][] = [
          ['POST', `${checkout.url}/checkout`, `{"customerId":"c-1","items":${nested(depth)}}`],
          ['PUT', `${stock.url}/stock/${uniqueSku()}`, `{"available":${nested(depth)}}`],
          ['PUT', `${stock.url}/stock/${uniqueSku()}`, nested(depth)],
        ];
        for (const [method, url, rawBody] of bodies) {
          const response = await request<ErrorBody>(method, url, { rawBody });
          expect({ method, depth, status: response.status }).toEqual({ method, depth, status: 400 });
          expect(messages(response.body)).toMatch(/deeper than 32 levels/);
        }
      }
      // Brackets inside strings are text, not depth.
      const response = await request('POST', `${checkout.url}/checkout`, {
        rawBody: JSON.stringify(orderBody([{ sku: 'SKU-1', quantity: 1, unitPrice: 1 }], `c-${'['.repeat(60)}`)),
      });
      expect(response.status).toBe(202);
    },
    T,
  );

  it(
    'admin bearer: the scheme in any case is accepted; a token followed by anything is refused',
    async () => {
      for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER ${TOKEN}`]) {
        const response = await getJson(`${stock.url}${DEAD_LETTERS}`, { headers: { authorization } });
        expect({ authorization, status: response.status }).toEqual({ authorization, status: 200 });
      }
      for (const authorization of [`Bearer ${TOKEN} extra`, `Bearer  ${TOKEN}x`, `Basic ${TOKEN}`, `Bearer`, TOKEN]) {
        const response = await getJson(`${stock.url}${DEAD_LETTERS}`, { headers: { authorization } });
        expect({ authorization, status: response.status }).toEqual({ authorization, status: 401 });
      }
    },
    T,
  );

  it(
    'dead-letter list: count must be an integer from 1 to 1000, else 400 naming count',
    async () => {
      const admin = { headers: { authorization: `Bearer ${TOKEN}` } };
      for (const count of ['abc', '0', '-1', '1001', '1.5', '']) {
        const response = await getJson<ErrorBody>(`${stock.url}${DEAD_LETTERS}?count=${count}`, admin);
        expect({ count, status: response.status }).toEqual({ count, status: 400 });
        expect(messages(response.body)).toMatch(/count/);
      }
      for (const count of ['1', '1000']) {
        expect((await getJson(`${stock.url}${DEAD_LETTERS}?count=${count}`, admin)).status).toBe(200);
      }
      expect((await getJson(`${stock.url}${DEAD_LETTERS}`, admin)).status).toBe(200);
    },
    T,
  );
});
