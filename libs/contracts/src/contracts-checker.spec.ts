// Side by side: the compiled event checker against class-validator itself (plainToInstance +
// validateSync, as the bus validated until now), on every contract of this library, the test bus's
// and the benchmark's event shapes, the fuzzer's 1,000 malformed bodies and a corpus of edge values.
// Only the verdict (valid / invalid) is compared; messages may differ.
import { isDeepStrictEqual } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsString, IsUUID, Length, MaxLength, Min, validateSync } from 'class-validator';
import { compileEventChecker } from '../../eventbus/src/validation/event-checker.compiler.js';
import { breakBody, NOT_JSON_OBJECTS, picker, prng, validLine, type Json } from '../../../test/support/checkout-fuzzer.js';
import { InvoiceIssued } from './invoice-issued.event.js';
import { OrderApproved } from './order-approved.event.js';
import { PickingOrderCreated } from './picking-order-created.event.js';
import { StockRejected } from './stock-rejected.event.js';
import { StockReserved } from './stock-reserved.event.js';

/** The shape of test/eventbus/bus-harness.ts's PingSent (copied: the spec must not import test/). */
class PingSent {
  @IsString()
  name: string;

  @IsInt()
  @Min(0)
  seq: number;
}

/** bench/src/bench-event.ts's BenchEvent, copied (bench/ is its own build). */
class BenchEvent {
  @IsUUID('4')
  orderId: string;

  @IsString()
  @Length(1, 40)
  customerId: string;

  @IsString()
  @Length(1, 40)
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;

  @IsInt()
  @Min(0)
  priceCents: number;

  @IsIn(['EUR', 'USD', 'GBP'])
  currency: string;

  @IsString()
  @MaxLength(200)
  note: string;

  @IsInt()
  @Min(0)
  seq: number;

  @IsNumber()
  sentAt: number;
}

type EventClass = new () => object;

const line = (sku = 'SKU-1'): Json => ({ sku, quantity: 2, unitPrice: 9.99 });
const stockLine = (sku = 'SKU-1'): Json => ({ sku, quantity: 3 });

const CASES: { cls: EventClass; valid: Json[] }[] = [
  {
    cls: OrderApproved,
    valid: [
      { orderId: 'o-1', customerId: 'c-1', items: [line(), line('SKU-2')], total: 39.96 },
      { orderId: 'x'.repeat(64), customerId: '~!', items: [{ sku: 'a', quantity: 10_000, unitPrice: 1_000_000 }], total: 0 },
    ],
  },
  { cls: StockReserved, valid: [{ orderId: 'o-1', items: [stockLine(), stockLine('SKU-2')] }] },
  {
    cls: StockRejected,
    valid: [{ orderId: 'o-1', reason: 'short', shortages: [{ sku: 'SKU-1', requested: 5, available: 0 }] }],
  },
  { cls: InvoiceIssued, valid: [{ orderId: 'o-1', number: 'INV-000042', total: 12.5 }] },
  { cls: PickingOrderCreated, valid: [{ orderId: 'o-1', pickingOrderId: 'p-1', items: [stockLine()] }] },
  { cls: PingSent, valid: [{ name: 'ping', seq: 0 }] },
  {
    cls: BenchEvent,
    valid: [
      {
        orderId: '0b5a3a8e-6a5f-4c8e-9f57-6f5b0c1d2e3f',
        customerId: 'customer-100001',
        sku: 'SKU-10001-BLUE-XL',
        quantity: 1,
        priceCents: 1_999,
        currency: 'EUR',
        note: 'Leave at the back door.',
        seq: 1,
        sentAt: 123.456,
      },
    ],
  },
];

/** JSON.parse gives `__proto__` and `constructor` as own keys; object literals would set the prototype. */
const parsed = (json: string): Json => JSON.parse(json) as Json;

const EDGES: unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  1,
  -1,
  2,
  1.5,
  0.01,
  0.001,
  9.99,
  1e-7,
  1.5e-7,
  5e-324,
  3e-9,
  1e308,
  1e21,
  Number.MAX_SAFE_INTEGER + 2,
  10_000,
  10_001,
  1_000_000,
  1_000_001,
  -0.01,
  '1',
  '',
  ' ',
  'a b',
  'x',
  'x'.repeat(40),
  'x'.repeat(41),
  'x'.repeat(64),
  'x'.repeat(65),
  '😀'.repeat(64),
  'e\u0301',
  'a\uFE0F'.repeat(64),
  '\uD800',
  'EUR',
  'eur',
  '0b5a3a8e-6a5f-4c8e-9f57-6f5b0c1d2e3f',
  '0b5a3a8e-6a5f-1c8e-9f57-6f5b0c1d2e3f',
  true,
  false,
  null,
  undefined,
  [],
  {},
  [[]],
  [{}],
  [null],
  [undefined],
  [1],
  ['x'],
  [line()],
  [[line()]],
  [line(), [line()]],
  [[[line()]]],
  [stockLine()],
  [[stockLine()]],
  [line(), null],
  [line(), 'x'],
  Array.from({ length: 101 }, () => line()),
  { nested: { deeper: [1, 'two', null] } },
  parsed('{"constructor":1}'),
  parsed('{"constructor":0}'),
  parsed('{"constructor":{}}'),
  parsed('{"__proto__":{"a":1}}'),
  parsed('{"sku":"SKU-1","quantity":1,"unitPrice":1,"constructor":"x"}'),
  parsed('{"sku":"SKU-1","quantity":1,"constructor":1}'),
  parsed('[{"constructor":1}]'),
  { toString: 1 },
];
const EXTRA_KEYS = ['extra', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'status'];
const EXTRA_VALUES: unknown[] = [
  1,
  'x',
  null,
  undefined,
  {},
  [],
  parsed('{"constructor":1}'),
  parsed('{"deep":[{"constructor":"x"}]}'),
];

/** Deep copy that keeps NaN, -0, undefined and own `__proto__` keys (JSON would not). */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, {
      value: clone((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy as T;
}

function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Path = (string | number)[];

function pathsOf(value: unknown, path: Path = []): Path[] {
  const here = [path];
  if (Array.isArray(value)) return here.concat(...value.map((element, index) => pathsOf(element, [...path, index])));
  if (typeof value === 'object' && value !== null) {
    return here.concat(...Object.entries(value).map(([key, child]) => pathsOf(child, [...path, key])));
  }
  return here;
}

function at(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

/** Every one-defect variant of a valid payload: each node replaced by each edge, each key deleted, extra keys at every object. */
function* variantsOf(valid: Json): Generator<unknown> {
  for (const path of pathsOf(valid)) {
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    for (const edge of EDGES) {
      if (key === undefined) {
        yield clone(edge);
        continue;
      }
      const copy = clone(valid);
      setOwn(at(copy, parentPath) as object, String(key), clone(edge));
      yield copy;
    }
    const node = at(valid, path);
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      for (const name of Object.keys(node)) {
        const copy = clone(valid);
        delete (at(copy, path) as Record<string, unknown>)[name];
        yield copy;
      }
      for (const extra of EXTRA_KEYS) {
        for (const value of EXTRA_VALUES) {
          const copy = clone(valid);
          setOwn(at(copy, path) as object, extra, clone(value));
          yield copy;
        }
      }
    }
  }
}

// --- test/faults/checkout-fuzz.e2e-spec.ts's fuzzer, on OrderApproved-shaped bodies ---

function fuzzer(random: () => number) {
  const pick = picker(random);
  return (): string => {
    const kind = Math.floor(random() * 8);
    if (kind === 0) return pick(NOT_JSON_OBJECTS);
    const body: Record<string, Json> = { orderId: 'o-1', customerId: 'c-1', items: [validLine(), validLine()], total: 2 };
    if (kind === 1) return JSON.stringify(body);
    breakBody(body, random);
    return JSON.stringify(body);
  };
}

function fuzzedBodies(count: number, seed: number): unknown[] {
  const next = fuzzer(prng(seed));
  return Array.from({ length: count }, next).flatMap((raw) => {
    try {
      return [JSON.parse(raw) as unknown];
    } catch {
      return []; // not JSON: refused before any validation
    }
  });
}

// --- the two verdicts ---

const STRICT = { forbidUnknownValues: true, whitelist: true, forbidNonWhitelisted: true };
const TOLERANT = { forbidUnknownValues: true };

/** class-validator's verdict, with the bus's own guard for a payload that is not an object. */
function referenceVerdict(cls: EventClass, payload: unknown, strict: boolean): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  try {
    return validateSync(plainToInstance(cls, payload), strict ? STRICT : TOLERANT).length === 0;
  } catch {
    // A crash is no verdict; it counts as "invalid". class-validator throws a TypeError on
    // maxDecimalPlaces with 1e-7 (its toString() has no '.'), class-transformer on an object with
    // an own "constructor" key where no @Type names its class.
    return false;
  }
}

function checkerVerdict(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if ((error as Error).name !== 'EventValidationError') throw error;
    return false;
  }
}

/** Describes a payload for a failure message, NaN and undefined included. */
function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v === undefined ? '<undefined>' : v,
  );
}

function compare(cls: EventClass, payloads: Iterable<unknown>): string[] {
  const checker = compileEventChecker(cls, cls.name);
  const mismatches: string[] = [];
  for (const original of payloads) {
    // As sent (NaN, -0, undefined kept) and as a consumer gets it, through JSON.
    const json = JSON.stringify(original);
    const forms = json === undefined ? [original] : [original, JSON.parse(json) as unknown];
    for (const payload of forms) {
      const strictExpected = referenceVerdict(cls, clone(payload), true);
      const tolerantExpected = referenceVerdict(cls, clone(payload), false);
      const strictActual = checkerVerdict(() => checker.assertPublishable(payload));
      let instance: unknown;
      const tolerantActual = checkerVerdict(() => (instance = checker.read(clone(payload))));
      if (strictActual !== strictExpected)
        mismatches.push(`strict ${cls.name} ${show(payload)}: class-validator ${strictExpected}, checker ${strictActual}`);
      if (tolerantActual !== tolerantExpected)
        mismatches.push(`tolerant ${cls.name} ${show(payload)}: class-validator ${tolerantExpected}, checker ${tolerantActual}`);
      // What read() builds is what plainToInstance builds: same classes, same properties.
      if (tolerantActual && !isDeepStrictEqual(instance, plainToInstance(cls, clone(payload))))
        mismatches.push(`read ${cls.name} ${show(payload)}: not plainToInstance's instance`);
    }
  }
  return mismatches;
}

describe('compiled event checker, side by side with class-validator', () => {
  it.each(CASES.map((c) => [c.cls.name, c] as const))('%s: valid payloads are valid for both', (_name, { cls, valid }) => {
    const checker = compileEventChecker(cls, cls.name);
    for (const payload of valid) {
      expect(referenceVerdict(cls, payload, true)).toBe(true);
      expect(() => checker.assertPublishable(payload)).not.toThrow();
    }
  });

  it.each(CASES.map((c) => [c.cls.name, c] as const))(
    '%s: same verdict on every one-defect variant and edge value',
    (_name, { cls, valid }) => {
      const payloads = valid.flatMap((payload) => [...variantsOf(payload)]);
      expect(payloads.length).toBeGreaterThan(200);
      expect(compare(cls, payloads)).toEqual([]);
    },
  );

  it('same verdict on the 1,000 seeded malformed checkout bodies, as OrderApproved', () => {
    const bodies = fuzzedBodies(1_000, 20261123);
    expect(bodies.length).toBeGreaterThan(800);
    expect(compare(OrderApproved, bodies)).toEqual([]);
  });

  it('same verdict on payloads of one class checked against another', () => {
    const all = CASES.flatMap((c) => c.valid);
    const mismatches = CASES.flatMap(({ cls }) => compare(cls, all));
    expect(mismatches).toEqual([]);
  });
});
