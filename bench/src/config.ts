export interface BenchConfig {
  /** Messages per throughput measurement (BENCH_COUNT). */
  count: number;
  /** Concurrent promises per publish window (BENCH_WINDOW). */
  window: number;
  /** XREADGROUP COUNT / library batchSize (BENCH_BATCH). */
  batch: number;
  /** Measured rounds of every throughput variant; the table shows the median (BENCH_ROUNDS). */
  rounds: number;
  /** Messages of the unreported warm-up pass per variant (BENCH_WARMUP, 0 to skip). */
  warmup: number;
  /** BullMQ Worker concurrency (BENCH_WORKER_CONCURRENCY). */
  workerConcurrency: number;
  /** Latency phase: fixed publish rates in msg/s (BENCH_RATES, or BENCH_RATE for one rate). */
  rates: number[];
  /** Latency phase: seconds per repetition (BENCH_SECONDS). */
  seconds: number;
  /** Latency phase: repetitions per rate and variant; the median of each percentile is reported (BENCH_LATENCY_REPS). */
  latencyReps: number;
  /** e2e phase: at most this many published but not yet handled events (BENCH_E2E_INFLIGHT). */
  inflight: number;
  /** http phase: autocannon duration per round and connections (BENCH_HTTP_SECONDS, BENCH_HTTP_CONNECTIONS). */
  httpSeconds: number;
  httpConnections: number;
  /** rss mode (opt-in, BENCH_ONLY=rss): events published and consumed (BENCH_RSS_COUNT). */
  rssCount: number;
  /** Where the figures are written as JSON; empty: not written (BENCH_JSON). */
  jsonPath: string;
  /** Upper bound on any single measurement before it is reported as timed out (BENCH_TIMEOUT_S). */
  timeoutMs: number;
  /** Comma-separated phase ids or prefixes to run, e.g. `publish.library,consume` (BENCH_ONLY). */
  only: string[];
  /** Folder for .cpuprofile files of each measured variant; unset: no profiling (BENCH_PROFILE). */
  profileDir?: string;
  /** redis-server binary (REDIS_SERVER). */
  redisServer: string;
}

function int(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function rates(): number[] {
  const raw = process.env.BENCH_RATES;
  if (!raw) return process.env.BENCH_RATE ? [int('BENCH_RATE', 2_000, 1, 1_000_000)] : [2_000, 10_000];
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 1_000_000)) {
    throw new Error(`BENCH_RATES must be comma-separated integers from 1 to 1000000, got "${raw}"`);
  }
  return values;
}

/** Phases that run only when BENCH_ONLY names them. */
export const OPT_IN = ['micro', 'rss'];

export function loadConfig(): BenchConfig {
  const count = int('BENCH_COUNT', 50_000, 100, 10_000_000);
  return {
    count,
    window: int('BENCH_WINDOW', 500, 1, 100_000),
    batch: int('BENCH_BATCH', 100, 1, 10_000),
    rounds: int('BENCH_ROUNDS', 3, 1, 20),
    warmup: int('BENCH_WARMUP', Math.min(5_000, count), 0, 10_000_000),
    workerConcurrency: int('BENCH_WORKER_CONCURRENCY', 100, 1, 10_000),
    rates: rates(),
    seconds: int('BENCH_SECONDS', 5, 1, 600),
    latencyReps: int('BENCH_LATENCY_REPS', 5, 1, 50),
    inflight: int('BENCH_E2E_INFLIGHT', 5_000, 1, 1_000_000),
    httpSeconds: int('BENCH_HTTP_SECONDS', 5, 1, 600),
    httpConnections: int('BENCH_HTTP_CONNECTIONS', 50, 1, 10_000),
    rssCount: int('BENCH_RSS_COUNT', 1_000_000, 1_000, 100_000_000),
    jsonPath: process.env.BENCH_JSON ?? 'bench/results/latest.json',
    timeoutMs: int('BENCH_TIMEOUT_S', 120, 1, 3_600) * 1_000,
    only: (process.env.BENCH_ONLY ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    profileDir: process.env.BENCH_PROFILE || undefined,
    redisServer: process.env.REDIS_SERVER || 'redis-server',
  };
}

/** True when the phase id is selected by BENCH_ONLY (everything but the opt-in modes when it is empty). */
export function selected(config: BenchConfig, id: string): boolean {
  if (OPT_IN.some((mode) => id.startsWith(mode))) return config.only.some((prefix) => id.startsWith(prefix));
  return config.only.length === 0 || config.only.some((prefix) => id.startsWith(prefix));
}
