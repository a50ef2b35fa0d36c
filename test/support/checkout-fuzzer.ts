// The malformed checkout bodies of the fuzz tests, shared by the e2e fuzz test (over HTTP) and the
// compiled checker's side-by-side test (on OrderApproved-shaped payloads).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** mulberry32: a small deterministic PRNG, so a failure can be replayed from its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values each field must refuse (the limits are in the README's HTTP API section). */
const INVALID = {
  customerId: [null, true, 0, '', ' ', 'a b', 'x'.repeat(65), [], {}, ['c-1']],
  sku: [null, 1, '', 'SKU 1', '../etc', '<script>', 'x'.repeat(65), [], {}],
  quantity: [null, 0, -1, 1.5, 10_001, '1', true, [], {}, 1e308],
  unitPrice: [null, -1, -0.01, 0.001, 1_000_001, 1e308, '1', true, [], {}],
  items: [null, [], {}, 'x', 1, [null], [1], ['SKU-1']],
} satisfies Record<string, Json[]>;
const JUNK: Json[] = [null, 0, 'x', [], {}, { nested: { deeper: [1, 'two', null] } }, true];

/** Text that is not a JSON object at all. */
export const NOT_JSON_OBJECTS = ['{', '{"customerId":', 'null', '[]', '"x"', '12', 'customerId=c-1', '{"a":1}}', ''];

export type Picker = <T>(values: readonly T[]) => T;

export const picker =
  (random: () => number): Picker =>
  (values) =>
    values[Math.floor(random() * values.length)];

export const validLine = (): Record<string, Json> => ({ sku: 'SKU-1', quantity: 1, unitPrice: 1 });

/** Gives `body` (customerId and two valid lines) one to three defects, each of which alone makes it invalid. */
export function breakBody(body: Record<string, Json>, random: () => number): void {
  const pick = picker(random);
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
}
