import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

export const now = (): number => performance.now();

/** CPU time (user + system, all threads) this process used so far, in microseconds. */
export const cpuUs = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

export class BenchTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
  }
}

/** Resolves with `work`, or rejects after `ms` (the timer never keeps the process alive). */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchTimeoutError(what, ms)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts deliveries and resolves `done` at the target; remembers when the first one came. */
export class Countdown {
  count = 0;
  firstAt = 0;
  lastAt = 0;
  firstCpu = 0;
  lastCpu = 0;
  readonly done: Promise<void>;
  private resolve!: () => void;
  private waiter?: { n: number; resolve: () => void };

  constructor(readonly target: number) {
    this.done = new Promise<void>((resolve) => (this.resolve = resolve));
  }

  hit(): void {
    if (this.count === 0) {
      this.firstAt = now();
      this.firstCpu = cpuUs();
    }
    this.count += 1;
    if (this.count === this.target) {
      this.lastAt = now();
      this.lastCpu = cpuUs();
      this.resolve();
    }
    if (this.waiter && this.count >= this.waiter.n) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve();
    }
  }

  /** Resolves once `n` deliveries were counted (one waiter at a time). */
  reached(n: number): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return new Promise<void>((resolve) => (this.waiter = { n, resolve }));
  }
}

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
