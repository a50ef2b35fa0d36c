import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { BENCH_STREAM, benchPayload, type BenchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import { connect, fillStream, readGroup } from './clients.js';
import { encodeEnvelope } from './eventbus.js';
import { fieldMap } from '../../libs/eventbus/src/envelope/envelope.codec.js';
import { BULL_JOB_OPTIONS, BULL_QUEUE } from './publish.js';
import { Countdown, now, within } from './timing.js';
import { profiled, type Measurement, type ThroughputVariant } from './variant.js';

const GROUP = 'bench';

/** From the first delivery handled to the N-th (start-up excluded for every variant alike). */
function measured(countdown: Countdown): Measurement {
  return { count: countdown.target, ms: countdown.lastAt - countdown.firstAt, cpuUs: countdown.lastCpu - countdown.firstCpu };
}

const rawConsume: ThroughputVariant = {
  id: 'consume.raw',
  phase: 'consume',
  role: 'raw',
  label: 'raw XREADGROUP COUNT {batch} + 1 XACK/batch',
  async run(count, context) {
    const { admin, config } = context;
    await admin.xgroup('CREATE', BENCH_STREAM, GROUP, '0', 'MKSTREAM');
    await fillStream(admin, BENCH_STREAM, count, (i) => ['data', JSON.stringify(benchPayload(i))]);
    const reader = await connect(context.endpoint);
    const acker = await connect(context.endpoint);
    const countdown = new Countdown(count);
    let checksum = 0;
    try {
      await profiled(context, 'consume.raw', async () => {
        const deadline = now() + config.timeoutMs;
        while (countdown.count < count && now() < deadline) {
          const entries = await readGroup(reader, BENCH_STREAM, GROUP, 'c1', config.batch, 100);
          if (entries.length === 0) continue;
          const ids: string[] = new Array(entries.length);
          for (let k = 0; k < entries.length; k++) {
            const [id, fields] = entries[k];
            const payload = JSON.parse(fields[1]) as BenchPayload;
            checksum += payload.seq;
            countdown.hit();
            ids[k] = id;
          }
          await acker.xack(BENCH_STREAM, GROUP, ...ids);
        }
      });
      if (countdown.count < count) throw new Error(`raw consumer got ${countdown.count}/${count} before the timeout`);
      if (checksum < 0) console.log(checksum);
      return measured(countdown);
    } finally {
      reader.disconnect();
      acker.disconnect();
    }
  },
};

/** Entries exactly as `EventPublisher.prepare` encodes them (envelope + JSON data). */
function envelopeFields(i: number): string[] {
  const id = randomUUID();
  return encodeEnvelope({
    id,
    type: 'bench.event',
    version: 1,
    data: JSON.stringify(benchPayload(i)),
    occurredAt: new Date().toISOString(),
    producer: 'benchpub',
    correlationId: id,
  });
}

/** The raw loop over entries in the library's format (field map + JSON.parse, no validation). */
const rawEnvelopeConsume: ThroughputVariant = {
  id: 'consume.raw-envelope',
  phase: 'consume',
  role: 'extra',
  label: '  raw loop over 7-field envelope entries, no validation',
  async run(count, context) {
    const { admin, config } = context;
    await admin.xgroup('CREATE', BENCH_STREAM, GROUP, '0', 'MKSTREAM');
    await fillStream(admin, BENCH_STREAM, count, envelopeFields);
    const reader = await connect(context.endpoint);
    const acker = await connect(context.endpoint);
    const countdown = new Countdown(count);
    let checksum = 0;
    try {
      await profiled(context, 'consume.raw-envelope', async () => {
        const deadline = now() + config.timeoutMs;
        while (countdown.count < count && now() < deadline) {
          const entries = await readGroup(reader, BENCH_STREAM, GROUP, 'c1', config.batch, 100);
          if (entries.length === 0) continue;
          const ids: string[] = new Array(entries.length);
          for (let k = 0; k < entries.length; k++) {
            const [id, fields] = entries[k];
            const map = fieldMap(fields);
            const payload = JSON.parse(map.data) as BenchPayload;
            checksum += payload.seq + map.type.length;
            countdown.hit();
            ids[k] = id;
          }
          await acker.xack(BENCH_STREAM, GROUP, ...ids);
        }
      });
      if (countdown.count < count) throw new Error(`raw consumer got ${countdown.count}/${count} before the timeout`);
      if (checksum < 0) console.log(checksum);
      return measured(countdown);
    } finally {
      reader.disconnect();
      acker.disconnect();
    }
  },
};

const libraryConsume: ThroughputVariant = {
  id: 'consume.library',
  phase: 'consume',
  role: 'library',
  label: 'library @HandleEvent (batchSize {batch})',
  async run(count, context) {
    const { admin, config } = context;
    await admin.xgroup('CREATE', BENCH_STREAM, GROUP, '0', 'MKSTREAM');
    await fillStream(admin, BENCH_STREAM, count, envelopeFields);
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
