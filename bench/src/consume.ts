import { Queue, Worker } from 'bullmq';
import { BENCH_STREAM, benchEnvelope, benchPayload, type BenchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import { connect, fillStream, readGroup } from './clients.js';
import { BULL_JOB_OPTIONS, BULL_QUEUE } from './publish.js';
import { Countdown, now, within } from './timing.js';
import { profiled, type Measurement, type ThroughputVariant } from './variant.js';
import { envelopeData } from './wire-format.js';

const GROUP = 'bench';

/** From the first delivery handled to the N-th (start-up excluded for every variant alike). */
function measured(countdown: Countdown): Measurement {
  return { count: countdown.target, ms: countdown.lastAt - countdown.firstAt, cpuUs: countdown.lastCpu - countdown.firstCpu };
}

/**
 * A hand-written consumer: `XREADGROUP COUNT batch` and one `XACK` per batch, over entries that
 * `fill` wrote; `decode` is all the per-entry work (its result feeds a checksum, so it is not
 * optimised away).
 */
function rawLoop(
  id: string,
  role: ThroughputVariant['role'],
  label: string,
  fill: (i: number) => string[],
  decode: (fields: string[]) => number,
): ThroughputVariant {
  return {
    id,
    phase: 'consume',
    role,
    label,
    async run(count, context) {
      const { admin, config } = context;
      await admin.xgroup('CREATE', BENCH_STREAM, GROUP, '0', 'MKSTREAM');
      await fillStream(admin, BENCH_STREAM, count, fill);
      const reader = await connect(context.endpoint);
      const acker = await connect(context.endpoint);
      const countdown = new Countdown(count);
      let checksum = 0;
      try {
        await profiled(context, id, async () => {
          const deadline = now() + config.timeoutMs;
          while (countdown.count < count && now() < deadline) {
            const entries = await readGroup(reader, BENCH_STREAM, GROUP, 'c1', config.batch, 100);
            if (entries.length === 0) continue;
            const ids = new Array<string>(entries.length);
            for (let k = 0; k < entries.length; k++) {
              checksum += decode(entries[k][1]);
              countdown.hit();
              ids[k] = entries[k][0];
            }
            await acker.xack(BENCH_STREAM, GROUP, ...ids);
          }
        });
        if (countdown.count < count) throw new Error(`${id} got ${countdown.count}/${count} before the timeout`);
        if (checksum < 0) console.log(checksum);
        return measured(countdown);
      } finally {
        reader.disconnect();
        acker.disconnect();
      }
    },
  };
}

const rawConsume = rawLoop(
  'consume.raw',
  'raw',
  'raw XREADGROUP COUNT {batch} + 1 XACK/batch',
  (i) => ['data', JSON.stringify(benchPayload(i))],
  (fields) => (JSON.parse(fields[1]) as BenchPayload).seq,
);

/** The raw loop over entries in the library's format (find type and data, JSON.parse, no validation). */
const rawEnvelopeConsume = rawLoop(
  'consume.raw-envelope',
  'extra',
  '  raw loop over envelope entries (wire-format.ts), no validation',
  benchEnvelope,
  (fields) => {
    const { type, data } = envelopeData(fields);
    return (JSON.parse(data) as BenchPayload).seq + type.length;
  },
);

const libraryConsume: ThroughputVariant = {
  id: 'consume.library',
  phase: 'consume',
  role: 'library',
  label: 'library @HandleEvent (batchSize {batch})',
  async run(count, context) {
    const { admin, config } = context;
    await admin.xgroup('CREATE', BENCH_STREAM, GROUP, '0', 'MKSTREAM');
    await fillStream(admin, BENCH_STREAM, count, benchEnvelope);
    const countdown = new Countdown(count);
    await profiled(context, 'consume.library', async () => {
      const bus = await startBus(
        { url: context.endpoint.url, service: GROUP, batchSize: config.batch },
        { onEvent: () => countdown.hit() },
      );
      try {
        await within(countdown.done, config.timeoutMs, `library consumer (${countdown.count}/${count})`);
      } finally {
        await bus.close();
      }
    });
    return measured(countdown);
  },
};

const bullConsume: ThroughputVariant = {
  id: 'consume.bullmq',
  phase: 'consume',
  role: 'bullmq',
  label: 'BullMQ Worker (concurrency {concurrency})',
  async run(count, context) {
    const { config } = context;
    const connection = { host: context.endpoint.host, port: context.endpoint.port };
    const queue = new Queue<BenchPayload>(BULL_QUEUE, { connection, defaultJobOptions: BULL_JOB_OPTIONS });
    const countdown = new Countdown(count);
    try {
      for (let from = 0; from < count; from += 1_000) {
        const jobs = [];
        for (let i = from; i < Math.min(count, from + 1_000); i++) jobs.push({ name: 'bench.event', data: benchPayload(i) });
        await queue.addBulk(jobs);
      }
      await profiled(context, 'consume.bullmq', async () => {
        const worker = new Worker<BenchPayload>(
          BULL_QUEUE,
          async () => {
            countdown.hit();
          },
          { connection, concurrency: config.workerConcurrency },
        );
        try {
          await within(countdown.done, config.timeoutMs, `BullMQ worker (${countdown.count}/${count})`);
        } finally {
          await worker.close();
        }
      });
      return measured(countdown);
    } finally {
      await queue.close();
    }
  },
};

export const consumeVariants: ThroughputVariant[] = [rawConsume, rawEnvelopeConsume, libraryConsume, bullConsume];
