import { randomUUID } from 'node:crypto';
import { Counter, Registry } from 'prom-client';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BENCH_PRODUCER, BENCH_TYPE, BenchEvent, benchPayload } from './bench-event.js';
import { cpuUs, now } from './timing.js';
import { envelopeData, envelopeFields } from './wire-format.js';

/**
 * Per-call cost of the steps the library adds per message (BENCH_ONLY=micro), each done here the
 * way the library does it with the same packages (the benchmark uses only the library's public
 * API, so its internal functions are not called). Tight loops, so lower bounds of the in-situ cost
 * (warm caches, no GC pressure).
 */
interface Case {
  name: string;
  run(i: number): unknown;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const CURRENCIES = new Set(['EUR', 'USD', 'GBP']);
const KEYS = new Set(Object.keys(benchPayload(0)));

/** What a validator compiled once from the class's metadata could do per call (hand-written here). */
function compiledCheck(payload: Record<string, unknown>, strict: boolean): BenchEvent {
  const p = payload;
  const str = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;
  const int = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;
  if (
    !(typeof p.orderId === 'string' && UUID_V4.test(p.orderId)) ||
    !str(p.customerId, 1, 40) ||
    !str(p.sku, 1, 40) ||
    !int(p.quantity, 1) ||
    !int(p.priceCents, 0) ||
    !(typeof p.currency === 'string' && CURRENCIES.has(p.currency)) ||
    !str(p.note, 0, 200) ||
    !int(p.seq, 0) ||
    !(typeof p.sentAt === 'number' && Number.isFinite(p.sentAt))
  ) {
    throw new Error('invalid');
  }
  if (strict) for (const key in p) if (!KEYS.has(key)) throw new Error(`unknown ${key}`);
  return Object.assign(Object.create(BenchEvent.prototype) as BenchEvent, p);
}

export interface MicroResult {
  name: string;
  nsPerOp: number;
}

export async function runMicro(iterations: number): Promise<MicroResult[]> {
  const payloads = Array.from({ length: 1024 }, (_, i) => benchPayload(i, i * 1.5));
  const jsons = payloads.map((p) => JSON.stringify(p));
  const id = randomUUID();
  const fields = envelopeFields(BENCH_TYPE, 1, jsons[0], BENCH_PRODUCER, id);
  const validate = (payload: object, strict: boolean) =>
    validateSync(plainToInstance(BenchEvent, payload), {
      forbidUnknownValues: true,
      whitelist: strict,
      forbidNonWhitelisted: strict,
    });
  const registry = new Registry();
  const counter = new Counter({
    name: 'c',
    help: 'h',
    labelNames: ['stream', 'group', 'type', 'outcome'],
    registers: [registry],
  });
  const instance = plainToInstance(BenchEvent, payloads[0]);

  const cases: Case[] = [
    {
      name: 'validate strict (publish: plainToInstance + validateSync whitelist)',
      run: (i) => validate(payloads[i & 1023], true),
    },
    { name: 'validate tolerant (consume)', run: (i) => validate(payloads[i & 1023], false) },
    { name: '  plainToInstance alone', run: (i) => plainToInstance(BenchEvent, payloads[i & 1023]) },
    { name: '  validateSync alone (tolerant)', run: () => validateSync(instance, { forbidUnknownValues: true }) },
    { name: 'same rules, validator compiled once (hand-written here)', run: (i) => compiledCheck(payloads[i & 1023], true) },
    { name: 'JSON.stringify(payload)', run: (i) => JSON.stringify(payloads[i & 1023]) },
    { name: 'JSON.parse(data)', run: (i) => JSON.parse(jsons[i & 1023]) as unknown },
    { name: 'new Date().toISOString()', run: () => new Date().toISOString() },
    { name: 'randomUUID()', run: () => randomUUID() },
    {
      name: 'envelopeFields (wire format, incl. date + meta JSON)',
      run: (i) => envelopeFields(BENCH_TYPE, 1, jsons[i & 1023], BENCH_PRODUCER, id),
    },
    { name: 'read type + data, JSON.parse(meta)', run: () => (JSON.parse(fields[7]) as unknown) && envelopeData(fields) },
    {
      name: 'prom-client Counter.inc(labels) (metrics.handled)',
      run: () => counter.inc({ stream: 'bench:{s}', group: 'bench', type: 'bench.event', outcome: 'ack' }),
    },
  ];
  const results: MicroResult[] = [];
  let sink = 0;
  for (const c of cases) {
    for (let i = 0; i < Math.min(iterations, 20_000); i++) sink += c.run(i) ? 1 : 0; // warm-up
    const started = cpuUs();
    for (let i = 0; i < iterations; i++) sink += c.run(i) ? 1 : 0;
    results.push({ name: c.name, nsPerOp: ((cpuUs() - started) * 1_000) / iterations });
  }

  // The per-entry promise plumbing of StreamConsumer.handle: async wrapper + withTimeout
  // (setTimeout + Promise.race + clearTimeout) around the handler, versus awaiting the handler.
  const handler = async () => undefined;
  const invoke = async () => handler();
  const withTimeout = async (work: Promise<unknown>) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('t')), 30_000)));
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  for (const [name, step] of [
    ['await handler() (baseline)', () => handler()],
    ['await withTimeout(invoke()) (consumer plumbing)', () => withTimeout(invoke())],
  ] as const) {
    const batch = 100;
    const rounds = Math.max(1, Math.floor(iterations / batch));
    const started = cpuUs();
    const t0 = now();
    for (let r = 0; r < rounds; r++) await Promise.all(Array.from({ length: batch }, () => step()));
    results.push({ name, nsPerOp: ((cpuUs() - started) * 1_000) / (rounds * batch) });
    if (now() - t0 < 0) sink += 1;
  }
  if (sink < 0) console.log(sink);
  return results;
}
