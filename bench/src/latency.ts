import { BENCH_STREAM, BenchEvent, benchPayload, type BenchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import { connect, readGroup } from './clients.js';
import { median, now, percentile, sleep } from './timing.js';
import type { RunContext } from './variant.js';

export interface LatencyResult {
  id: string;
  label: string;
  rate: number;
  sent: number;
  received: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export type LatencyRun = (context: RunContext, rate: number) => Promise<LatencyResult>;

/** Calls `send(seq)` at `rate` per second for `seconds` (caught up every ~1 ms); bounded by count. */
async function paced(rate: number, seconds: number, send: (seq: number) => void): Promise<number> {
  const total = rate * seconds;
  const started = now();
  const deadline = started + seconds * 1_000 * 2 + 5_000;
  let sent = 0;
  while (sent < total && now() < deadline) {
    const due = Math.min(total, Math.floor(((now() - started) * rate) / 1_000));
    while (sent < due) send(sent++);
    await sleep(1);
  }
  return sent;
}

class Recorder {
  readonly latencies: Float64Array;
  received = 0;
  errors = 0;

  constructor(readonly total: number) {
    this.latencies = new Float64Array(total);
  }

  record(sentAt: number): void {
    if (this.received < this.total) this.latencies[this.received++] = now() - sentAt;
  }

  /** Waits (bounded) until every message arrived or the deadline passed. */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = now() + timeoutMs;
    while (this.received + this.errors < this.total && now() < deadline) await sleep(5);
  }

  result(id: string, label: string, rate: number, sent: number): LatencyResult {
    const sorted = this.latencies.slice(0, this.received).sort();
    return {
      id,
      label,
      rate,
      sent,
      received: this.received,
      errors: this.errors,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      p999: percentile(sorted, 99.9),
      max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    };
  }
}

export async function rawLatency(context: RunContext, rate: number): Promise<LatencyResult> {
  const { admin, config } = context;
  const recorder = new Recorder(rate * config.seconds);
  await admin.xgroup('CREATE', BENCH_STREAM, 'lat', '$', 'MKSTREAM');
  // Like the library: one connection for XADD and XACK, one for the blocking read.
  const commands = await connect(context.endpoint, { enableAutoPipelining: true });
  const reader = await connect(context.endpoint);
  try {
    const reading = (async () => {
      const deadline = now() + config.seconds * 1_000 * 2 + config.timeoutMs;
      while (recorder.received < recorder.total && now() < deadline) {
        const entries = await readGroup(reader, BENCH_STREAM, 'lat', 'c1', config.batch, 100);
        if (entries.length === 0) continue;
        for (const [, fields] of entries) recorder.record((JSON.parse(fields[1]) as BenchPayload).sentAt);
        await commands.xack(BENCH_STREAM, 'lat', ...entries.map(([id]) => id));
      }
    })();
    const sent = await paced(rate, config.seconds, (seq) => {
      commands.xadd(BENCH_STREAM, '*', 'data', JSON.stringify(benchPayload(seq, now()))).catch(() => (recorder.errors += 1));
    });
    await recorder.drained(config.timeoutMs);
    await reading;
    return recorder.result('latency.raw', 'raw XADD -> XREADGROUP', rate, sent);
  } finally {
    commands.disconnect();
    reader.disconnect();
  }
}

export async function libraryLatency(context: RunContext, rate: number): Promise<LatencyResult> {
  const { config } = context;
  const recorder = new Recorder(rate * config.seconds);
  const bus = await startBus(
    { url: context.endpoint.url, service: 'benchlat', batchSize: config.batch },
    { onEvent: (event) => recorder.record(event.sentAt) },
  );
  try {
    const sent = await paced(rate, config.seconds, (seq) => {
      bus.publisher.publish(BenchEvent, benchPayload(seq, now())).catch(() => (recorder.errors += 1));
    });
    await recorder.drained(config.timeoutMs);
    return recorder.result('latency.library', 'library publish -> @HandleEvent', rate, sent);
  } finally {
    await bus.close();
  }
}

/** The repetitions of one variant at one rate, and the median of each percentile over them. */
export interface LatencySummary {
  id: string;
  label: string;
  rate: number;
  reps: LatencyResult[];
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Set when a repetition lost or failed messages, or threw. */
  error?: string;
}

export function summarizeLatency(id: string, label: string, rate: number, reps: LatencyResult[], error?: string): LatencySummary {
  const of = (pick: (r: LatencyResult) => number) => (reps.length ? median(reps.map(pick)) : Number.NaN);
  const lossy = reps.filter((r) => r.errors > 0 || r.received < r.sent);
  const lost = lossy.length
    ? `${lossy.length} repetition(s) lost or failed messages (${lossy.map((r) => `${r.received}/${r.sent}, ${r.errors} errors`).join('; ')})`
    : undefined;
  return {
    id,
    label,
    rate,
    reps,
    p50: of((r) => r.p50),
    p99: of((r) => r.p99),
    p999: of((r) => r.p999),
    max: of((r) => r.max),
    error: error ?? lost,
  };
}
