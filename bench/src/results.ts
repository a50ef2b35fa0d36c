import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BenchConfig } from './config.js';
import type { HttpResult } from './http.js';
import type { LatencySummary } from './latency.js';
import type { MicroResult } from './micro.js';
import { labelOf, rateOf, rowRatios, type ThroughputRow } from './report.js';
import type { RssResult } from './rss.js';
import { median } from './timing.js';

/** One of the targets, with the figure of this run. */
export interface Target {
  name: string;
  value: number;
  op: '>=' | '<=';
  target: number;
  unit: 'x' | 'MB';
  /** null when the phase did not run or failed. */
  pass: boolean | null;
}

export interface Results {
  throughput: ThroughputRow[];
  latency: LatencySummary[];
  http: HttpResult[];
  rss?: RssResult;
  micro: MicroResult[];
}

function target(name: string, value: number, op: Target['op'], wanted: number, unit: Target['unit'] = 'x'): Target {
  const pass = Number.isFinite(value) ? (op === '>=' ? value >= wanted : value <= wanted) : null;
  return { name, value, op, target: wanted, unit, pass };
}

/** Every target of the issue, computed from the medians of this run. */
export function targets(results: Results): Target[] {
  const rate = (id: string) => rateOf(results.throughput.find((row) => row.variant.id === id));
  const http = (id: string) => results.http.find((r) => r.id === id && !r.error);
  const list = [
    target('publish: library / raw XADD (msg/s)', rate('publish.library') / rate('publish.raw'), '>=', 0.8),
    target('consume: library / raw XREADGROUP+XACK loop (msg/s)', rate('consume.library') / rate('consume.raw'), '>=', 0.85),
  ];
  for (const r of [...new Set(results.latency.map((s) => s.rate))]) {
    const raw = results.latency.find((s) => s.rate === r && s.id === 'latency.raw' && !s.error);
    const lib = results.latency.find((s) => s.rate === r && s.id === 'latency.library' && !s.error);
    const reps = lib?.reps.length ?? 0;
    list.push(
      target(`latency p99 at ${r} msg/s: library / raw (median of ${reps})`, (lib?.p99 ?? NaN) / (raw?.p99 ?? NaN), '<=', 1.5),
    );
  }
  list.push(
    target('publish: library / BullMQ Queue.add (msg/s)', rate('publish.library') / rate('publish.bullmq-add'), '>=', 2.5),
    target('consume: library / BullMQ Worker (msg/s)', rate('consume.library') / rate('consume.bullmq'), '>=', 4),
    target('e2e: library / @nestjs/microservices Redis (msg/s)', rate('e2e.library') / rate('e2e.nest-redis'), '>=', 1.2),
    target(
      'http POST /checkout: library / raw XADD (req/s)',
      (http('http.library')?.reqPerSec ?? NaN) / (http('http.raw')?.reqPerSec ?? NaN),
      '>=',
      0.8,
    ),
  );
  if (results.rss) list.push(target(`rss growth over ${results.rss.count} events`, results.rss.growthMb, '<=', 50, 'MB'));
  return list;
}

/** What failed (not: what missed a target); any entry makes the run exit non-zero. */
export function failures(results: Results): string[] {
  return [
    ...results.throughput.filter((row) => row.error).map((row) => `${row.variant.id}: ${row.error}`),
    ...results.latency.filter((s) => s.error).map((s) => `${s.id} at ${s.rate} msg/s: ${s.error}`),
    ...results.http.filter((r) => r.error).map((r) => `${r.id}: ${r.error}`),
  ];
}

const finite = (n: number): number | null => (Number.isFinite(n) ? Math.round(n * 1_000) / 1_000 : null);

/** The figures as JSON (NaN as null), for bench/results/latest.json. */
export function resultsJson(results: Results, config: BenchConfig, meta: Record<string, unknown>, failed: string[]): unknown {
  const latencyFigures = (r: { p50: number; p99: number; p999: number; max: number }) => ({
    p50Ms: finite(r.p50),
    p99Ms: finite(r.p99),
    p999Ms: finite(r.p999),
    maxMs: finite(r.max),
  });
  return {
    schema: 1,
    ...meta,
    config,
    failures: failed,
    targets: targets(results).map((t) => ({ ...t, value: finite(t.value) })),
    throughput: results.throughput.map((row) => {
      const ratios = rowRatios(row, results.throughput);
      return {
        id: row.variant.id,
        phase: row.variant.phase,
        role: row.variant.role,
        label: labelOf(row.variant, config).trim(),
        msgPerSec: finite(rateOf(row)),
        roundsMsgPerSec: row.rates.map(finite),
        cpuUsPerMsg: finite(row.cpuPerMsg.length ? median(row.cpuPerMsg) : NaN),
        vsRaw: finite(ratios.vsRaw),
        vsBullmq: finite(ratios.vsBullmq),
        vsNest: finite(ratios.vsNest),
        error: row.error ?? null,
      };
    }),
    latency: results.latency.map((s) => ({
      id: s.id,
      label: s.label,
      rateMsgPerSec: s.rate,
      repetitions: s.reps.length,
      median: latencyFigures(s),
      reps: s.reps.map((r) => ({ sent: r.sent, received: r.received, errors: r.errors, ...latencyFigures(r) })),
      error: s.error ?? null,
    })),
    latencyRatios: [...new Set(results.latency.map((s) => s.rate))].map((rate) => {
      const raw = results.latency.find((s) => s.rate === rate && s.id === 'latency.raw');
      const lib = results.latency.find((s) => s.rate === rate && s.id === 'latency.library');
      const r = (pick: (s: LatencySummary) => number) => finite(lib && raw ? pick(lib) / pick(raw) : NaN);
      return {
        rateMsgPerSec: rate,
        libraryOverRaw: { p50: r((s) => s.p50), p99: r((s) => s.p99), p999: r((s) => s.p999), max: r((s) => s.max) },
      };
    }),
    http: results.http.map((r) => ({
      id: r.id,
      label: r.label,
      reqPerSec: finite(r.reqPerSec),
      p50Ms: finite(r.p50),
      p99Ms: finite(r.p99),
      rounds: r.rounds.map((x) => ({ ...x, reqPerSec: finite(x.reqPerSec) })),
      error: r.error ?? null,
    })),
    rss: results.rss ?? null,
    micro: results.micro,
  };
}

export function writeResults(path: string, json: unknown): string {
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, `${JSON.stringify(json, null, 2)}\n`);
  return absolute;
}
