import type { BenchConfig } from './config.js';
import type { HttpResult } from './http.js';
import type { LatencySummary } from './latency.js';
import type { Target } from './results.js';
import { median } from './timing.js';
import type { ThroughputVariant } from './variant.js';

export interface ThroughputRow {
  variant: ThroughputVariant;
  /** msg/s of every measured round. */
  rates: number[];
  /** Node CPU microseconds per message of every measured round. */
  cpuPerMsg: number[];
  error?: string;
}

export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '');

export function labelOf(variant: ThroughputVariant, config: BenchConfig): string {
  return variant.label
    .replace('{batch}', String(config.batch))
    .replace('{window}', String(config.window))
    .replace('{concurrency}', String(config.workerConcurrency));
}

function table(header: string[], rows: string[][], alignLeft: number): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c < alignLeft ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const rateOf = (row?: ThroughputRow): number => (row && !row.error && row.rates.length ? median(row.rates) : Number.NaN);

/** A row's msg/s over its phase's raw, BullMQ and Nest rows (NaN where not compared). */
export function rowRatios(row: ThroughputRow, rows: ThroughputRow[]): { vsRaw: number; vsBullmq: number; vsNest: number } {
  const { phase, role } = row.variant;
  const reference = (r: ThroughputVariant['role']) => rateOf(rows.find((x) => x.variant.phase === phase && x.variant.role === r));
  const rate = rateOf(row);
  const isLib = role === 'library' || (role === 'extra' && row.variant.id.includes('library'));
  return {
    vsRaw: role === 'library' || role === 'extra' || role === 'nest' ? rate / reference('raw') : Number.NaN,
    vsBullmq: isLib ? rate / reference('bullmq') : Number.NaN,
    vsNest: role !== 'nest' ? rate / reference('nest') : Number.NaN,
  };
}

export function throughputTable(rows: ThroughputRow[], config: BenchConfig): string {
  const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : '');
  const out: string[][] = [];
  for (const row of rows) {
    const spread = row.error
      ? row.error
      : row.rates.length > 1
        ? `${int(Math.min(...row.rates))} - ${int(Math.max(...row.rates))}`
        : '';
    const { vsRaw, vsBullmq, vsNest } = rowRatios(row, rows);
    out.push([
      row.variant.phase,
      labelOf(row.variant, config),
      int(rateOf(row)),
      spread,
      row.cpuPerMsg.length ? median(row.cpuPerMsg).toFixed(1) : 'n/a',
      x(vsRaw),
      x(vsBullmq),
      x(vsNest),
    ]);
  }
  return table(
    ['phase', 'variant', 'msg/s (median)', 'min - max of rounds', 'node CPU us/msg', 'vs raw', 'vs BullMQ', 'vs Nest'],
    out,
    2,
  );
}

export function latencyTable(summaries: LatencySummary[]): string {
  const out: string[][] = [];
  for (const rate of [...new Set(summaries.map((s) => s.rate))]) {
    const atRate = summaries.filter((s) => s.rate === rate);
    for (const s of atRate) {
      const received = s.reps.reduce((n, r) => n + r.received, 0);
      const sent = s.reps.reduce((n, r) => n + r.sent, 0);
      const p99s = s.reps.map((r) => r.p99);
      out.push([
        int(rate),
        s.label,
        String(s.reps.length),
        s.error ? `FAILED: ${s.error}` : `${received}/${sent}`,
        ms(s.p50),
        ms(s.p99),
        p99s.length > 1 ? `${ms(Math.min(...p99s))} - ${ms(Math.max(...p99s))}` : '',
        ms(s.p999),
        ms(s.max),
      ]);
    }
    const raw = atRate.find((s) => s.id === 'latency.raw');
    const lib = atRate.find((s) => s.id === 'latency.library');
    if (raw && lib)
      out.push([
        int(rate),
        'ratio library/raw',
        '',
        '',
        ratio(lib.p50, raw.p50),
        ratio(lib.p99, raw.p99),
        '',
        ratio(lib.p999, raw.p999),
        ratio(lib.max, raw.max),
      ]);
  }
  return table(
    [
      'msg/s',
      'end-to-end latency (median of reps)',
      'reps',
      'received/sent',
      'p50 ms',
      'p99 ms',
      'p99 min - max',
      'p99.9 ms',
      'max ms',
    ],
    out,
    2,
  );
}

export function httpTable(results: HttpResult[]): string {
  const out = results.map((r) => [
    r.label,
    int(r.reqPerSec),
    r.rounds.length > 1
      ? `${int(Math.min(...r.rounds.map((x) => x.reqPerSec)))} - ${int(Math.max(...r.rounds.map((x) => x.reqPerSec)))}`
      : '',
    ms(r.p50),
    ms(r.p99),
    r.error ? `FAILED: ${r.error}` : `${r.rounds.reduce((n, x) => n + x.requests, 0)}`,
  ]);
  const raw = results.find((r) => r.id === 'http.raw');
  const lib = results.find((r) => r.id === 'http.library');
  if (raw && lib)
    out.push([
      'ratio library/raw',
      ratio(lib.reqPerSec, raw.reqPerSec),
      '',
      ratio(lib.p50, raw.p50),
      ratio(lib.p99, raw.p99),
      '',
    ]);
  return table(
    ['POST /checkout (Nest express, child process)', 'req/s (median)', 'min - max of rounds', 'p50 ms', 'p99 ms', 'requests'],
    out,
    1,
  );
}

export function targetsTable(targets: Target[]): string {
  const out = targets.map((t) => [
    t.name,
    Number.isFinite(t.value) ? (t.unit === 'x' ? `${t.value.toFixed(2)}x` : `${t.value.toFixed(1)} ${t.unit}`) : 'n/a',
    `${t.op} ${t.unit === 'x' ? `${t.target}x` : `${t.target} ${t.unit}`}`,
    t.pass === null ? 'not run' : t.pass ? 'met' : 'MISSED',
  ]);
  return table(['target', 'value', 'wanted', ''], out, 1);
}
