import type { Redis } from 'ioredis';
import type { Endpoint } from './clients.js';
import type { BenchConfig } from './config.js';
import type { Profiler } from './profiler.js';

export interface RunContext {
  endpoint: Endpoint;
  config: BenchConfig;
  /** A plain connection for set-up and FLUSHALL between variants; never timed. */
  admin: Redis;
  profiler?: Profiler;
}

export interface Measurement {
  count: number;
  /** Wall time of the measured part. */
  ms: number;
  /** CPU time this Node process used meanwhile (Redis' own CPU not included), microseconds. */
  cpuUs: number;
}

export interface ThroughputVariant {
  id: string;
  phase: 'publish' | 'consume' | 'e2e';
  label: string;
  /** The variant compared against (raw / BullMQ / Nest rows), or the library row whose ratios are shown. */
  role: 'raw' | 'library' | 'bullmq' | 'nest' | 'extra';
  run(count: number, context: RunContext): Promise<Measurement>;
}

/** Profiles `work` under `name` when profiling is on; otherwise just runs it. */
export function profiled<T>(context: RunContext, name: string, work: () => Promise<T>): Promise<T> {
  return context.profiler ? context.profiler.around(name, work) : work();
}
