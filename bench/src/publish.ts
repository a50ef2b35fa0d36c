import { Queue, type JobsOptions } from 'bullmq';
import { BENCH_STREAM, BenchEvent, benchEnvelope, benchPayload, type BenchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import { connect } from './clients.js';
import { cpuUs, now } from './timing.js';
import { profiled, type RunContext, type ThroughputVariant } from './variant.js';

export const BULL_QUEUE = 'bench';
/** What a production BullMQ user typically sets; keeps Redis from accumulating 50k job hashes. */
export const BULL_JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: 1_000 };

interface Spent {
  ms: number;
  cpuUs: number;
}

/** `count` sends, `window` concurrent promises at a time; returns the wall and CPU time spent. */
async function inWindows(count: number, window: number, send: (i: number) => Promise<unknown>): Promise<Spent> {
  const started = now();
  const cpuStarted = cpuUs();
  for (let from = 0; from < count; from += window) {
    const to = Math.min(count, from + window);
    const inFlight = new Array<Promise<unknown>>(to - from);
    for (let i = from; i < to; i++) inFlight[i - from] = send(i);
    await Promise.all(inFlight);
  }
  return { ms: now() - started, cpuUs: cpuUs() - cpuStarted };
}

const rawXadd: ThroughputVariant = {
  id: 'publish.raw',
  phase: 'publish',
  role: 'raw',
  label: 'raw ioredis XADD, autopipelining, {window} in flight',
  async run(count, context) {
    const redis = await connect(context.endpoint, { enableAutoPipelining: true });
    try {
      const send = (i: number) => redis.xadd(BENCH_STREAM, '*', 'data', JSON.stringify(benchPayload(i)));
      const spent = await profiled(context, 'publish.raw', () => inWindows(count, context.config.window, send));
      return { count, ...spent };
    } finally {
      redis.disconnect();
    }
  },
};

/** Raw XADD of entries in the library's wire format: what the envelope alone costs. */
const rawEnvelopeXadd: ThroughputVariant = {
  id: 'publish.raw-envelope',
  phase: 'publish',
  role: 'extra',
  label: '  raw XADD of the envelope (wire-format.ts), no validation',
  async run(count, context) {
    const redis = await connect(context.endpoint, { enableAutoPipelining: true });
    try {
      const send = (i: number) => redis.xadd(BENCH_STREAM, '*', ...benchEnvelope(i));
      const spent = await profiled(context, 'publish.raw-envelope', () => inWindows(count, context.config.window, send));
      return { count, ...spent };
    } finally {
      redis.disconnect();
    }
  },
};

function libraryPublish(id: string, label: string, autoPipelining: boolean): ThroughputVariant {
  return {
    id,
    phase: 'publish',
    role: autoPipelining ? 'extra' : 'library',
    label,
    async run(count: number, context: RunContext) {
      const bus = await startBus({
        url: context.endpoint.url,
        service: 'benchpub',
        batchSize: context.config.batch,
        ...(autoPipelining ? { redis: { enableAutoPipelining: true } } : {}),
      });
      try {
        const send = (i: number) => bus.publisher.publish(BenchEvent, benchPayload(i));
        const spent = await profiled(context, id, () => inWindows(count, context.config.window, send));
        return { count, ...spent };
      } finally {
        await bus.close();
      }
    },
  };
}

function bullQueue(context: RunContext): Queue<BenchPayload> {
  return new Queue<BenchPayload>(BULL_QUEUE, {
    connection: { host: context.endpoint.host, port: context.endpoint.port },
    defaultJobOptions: BULL_JOB_OPTIONS,
  });
}

const bullAdd: ThroughputVariant = {
  id: 'publish.bullmq-add',
  phase: 'publish',
  role: 'bullmq',
  label: 'BullMQ Queue.add, {window} in flight',
  async run(count, context) {
    const queue = bullQueue(context);
    try {
      await queue.waitUntilReady();
      const send = (i: number) => queue.add('bench.event', benchPayload(i));
      const spent = await profiled(context, 'publish.bullmq-add', () => inWindows(count, context.config.window, send));
      return { count, ...spent };
    } finally {
      await queue.close();
    }
  },
};

const bullAddBulk: ThroughputVariant = {
  id: 'publish.bullmq-addbulk',
  phase: 'publish',
  role: 'extra',
  label: 'BullMQ Queue.addBulk, {window} jobs per call',
  async run(count, context) {
    const queue = bullQueue(context);
    try {
      await queue.waitUntilReady();
      const window = context.config.window;
      const spent = await profiled(context, 'publish.bullmq-addbulk', async () => {
        const started = now();
        const cpuStarted = cpuUs();
        for (let from = 0; from < count; from += window) {
          const jobs = [];
          for (let i = from; i < Math.min(count, from + window); i++) jobs.push({ name: 'bench.event', data: benchPayload(i) });
          await queue.addBulk(jobs);
        }
        return { ms: now() - started, cpuUs: cpuUs() - cpuStarted };
      });
      return { count, ...spent };
    } finally {
      await queue.close();
    }
  },
};

export const publishVariants: ThroughputVariant[] = [
  rawXadd,
  rawEnvelopeXadd,
  libraryPublish('publish.library', 'library EventPublisher.publish, {window} in flight', false),
  libraryPublish('publish.library-autopipe', '  same + redis: { enableAutoPipelining: true }', true),
  bullAdd,
  bullAddBulk,
];
