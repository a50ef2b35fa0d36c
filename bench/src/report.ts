import type { BenchConfig } from './config.js';
import type { LatencyResult } from './latency.js';
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

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
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
    cells.map((cell, c) => (c < alignLeft ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function throughputTable(rows: ThroughputRow[], config: BenchConfig): string {
  const rateOf = (row?: ThroughputRow) => (row && !row.error && row.rates.length ? median(row.rates) : Number.NaN);
  const out: string[][] = [];
  for (const row of rows) {
    const { phase, role } = row.variant;
    const raw = rows.find((r) => r.variant.phase === phase && r.variant.role === 'raw');
    const bull = rows.find((r) => r.variant.phase === phase && r.variant.role === 'bullmq');
    const rate = rateOf(row);
    const spread = row.error ? row.error : row.rates.length > 1 ? `${int(Math.min(...row.rates))} - ${int(Math.max(...row.rates))}` : '';
    const isLib = role === 'library' || (role === 'extra' && row.variant.id.includes('library'));
    const vsRaw = role === 'library' || role === 'extra';
    out.push([
      phase,
      labelOf(row.variant, config),
      int(rate),
      spread,
      row.cpuPerMsg.length ? median(row.cpuPerMsg).toFixed(1) : 'n/a',
      vsRaw ? ratio(rate, rateOf(raw)) : '',
      isLib ? ratio(rate, rateOf(bull)) : '',
    ]);
  }
  return table(['phase', 'variant', 'msg/s (median)', 'min - max of rounds', 'node CPU us/msg', 'vs raw', 'vs BullMQ'], out, 2);
}

export function latencyTable(results: LatencyResult[]): string {
  const raw = results.find((r) => r.id === 'latency.raw');
  const out = results.map((r) => [
    r.label,
    `${r.received}/${r.sent}${r.errors ? ` (${r.errors} errors)` : ''}`,
    ms(r.p50),
    ms(r.p99),
    ms(r.max),
  ]);
  const lib = results.find((r) => r.id === 'latency.library');
  if (raw && lib) out.push(['ratio library/raw', '', ratio(lib.p50, raw.p50), ratio(lib.p99, raw.p99), ratio(lib.max, raw.max)]);
  return table(['end-to-end latency', 'received/sent', 'p50 ms', 'p99 ms', 'max ms'], out, 1);
}
