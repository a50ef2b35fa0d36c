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
  /** Latency phase: fixed publish rate in msg/s and duration (BENCH_RATE, BENCH_SECONDS). */
  rate: number;
  seconds: number;
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

export function loadConfig(): BenchConfig {
  const count = int('BENCH_COUNT', 50_000, 100, 10_000_000);
  return {
    count,
    window: int('BENCH_WINDOW', 500, 1, 100_000),
    batch: int('BENCH_BATCH', 100, 1, 10_000),
    rounds: int('BENCH_ROUNDS', 3, 1, 20),
    warmup: int('BENCH_WARMUP', Math.min(5_000, count), 0, 10_000_000),
    workerConcurrency: int('BENCH_WORKER_CONCURRENCY', 100, 1, 10_000),
    rate: int('BENCH_RATE', 2_000, 1, 1_000_000),
    seconds: int('BENCH_SECONDS', 5, 1, 600),
    timeoutMs: int('BENCH_TIMEOUT_S', 120, 1, 3_600) * 1_000,
    only: (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    profileDir: process.env.BENCH_PROFILE || undefined,
    redisServer: process.env.REDIS_SERVER || 'redis-server',
  };
}

/** True when the phase id is selected by BENCH_ONLY (everything when it is empty). */
export function selected(config: BenchConfig, id: string): boolean {
  return config.only.length === 0 || config.only.some((prefix) => id.startsWith(prefix));
}
