import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCH_STREAM, BenchEvent, benchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import type { EventBusModuleOptions } from './eventbus.js';
import { now, sleep } from './timing.js';
import type { RunContext } from './variant.js';

// BENCH_ONLY=soak: BENCH_SOAK_COUNT events (default 1,000,000) published by this process and
// consumed by the library in a child process (this same file, run with BENCH_SOAK_CONSUMER_URL),
// with retention on: a small maxLength and a short interval. Samples Redis' used_memory, the
// stream's length and the consumer's RSS every second; says whether both stay flat.

const GROUP = 'soak';
const RETENTION = { maxLength: 10_000, intervalMs: 1_000 };
/** Published but not yet handled, at most: the backlog the stream holds beyond maxLength. */
const IN_FLIGHT = 20_000;
/** How often the consumer reports its count and RSS. */
const REPORT_MS = 100;
/** Judged flat when the second half's peak is at most the first half's peak times this, plus the slack. */
const FLAT_RATIO = 1.1;
const FLAT_SLACK_MB = 2;

interface ConsumerReport {
  handled: number;
  rssMb: number;
}

export interface SoakSample {
  atS: number;
  published: number;
  handled: number;
  streamLength: number;
  redisUsedMb: number;
  consumerRssMb: number;
}

export interface SoakSeries {
  startMb: number;
  peakMb: number;
  endMb: number;
  flat: boolean;
}

export interface SoakResult {
  count: number;
  seconds: number;
  maxStreamLength: number;
  trimmed: number;
  redis: SoakSeries;
  consumerRss: SoakSeries;
  samples: SoakSample[];
}

const mb = (bytes: number) => bytes / 1_048_576;

const options = (url: string, service: string): EventBusModuleOptions => ({
  url,
  service,
  topology: [{ stream: BENCH_STREAM, groups: [GROUP] }],
  retention: RETENTION,
});

function soakCount(): number {
  const raw = process.env.BENCH_SOAK_COUNT ?? '1000000';
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1_000 || count > 100_000_000) {
    throw new Error(`BENCH_SOAK_COUNT must be an integer from 1000 to 100000000, got "${raw}"`);
  }
  return count;
}

/** Start, peak and end after the warm-up (the first tenth of the samples); flat: no growth in the second half. */
function series(values: number[]): SoakSeries {
  const steady = values.slice(Math.floor(values.length / 10));
  const half = Math.floor(steady.length / 2);
  const firstPeak = Math.max(...steady.slice(0, Math.max(1, half)));
  const secondPeak = Math.max(...steady.slice(half));
  return {
    startMb: steady[0],
    peakMb: Math.max(...steady),
    endMb: steady[steady.length - 1],
    flat: secondPeak <= firstPeak * FLAT_RATIO + FLAT_SLACK_MB,
  };
}

function startConsumer(url: string, onReport: (report: ConsumerReport) => void): Promise<ChildProcess> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_SOAK_CONSUMER_URL: url } });
  child.on('message', (message) => onReport(message as ConsumerReport));
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`soak consumer exited with ${code} before it started`)));
  });
}

async function stopConsumer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function runSoak(context: RunContext): Promise<SoakResult> {
  const { config, admin, endpoint } = context;
  const count = soakCount();
  let consumer: ConsumerReport = { handled: 0, rssMb: 0 };
  console.log(
    `soak: ${count} events, retention maxLength ${RETENTION.maxLength} every ${RETENTION.intervalMs} ms, ` +
      `at most ${IN_FLIGHT} unhandled; consumer in a child process`,
  );
  const child = await startConsumer(endpoint.url, (report) => (consumer = report));
  const publisher = await startBus(options(endpoint.url, 'soakpub'));
  const started = now();
  const deadline = started + Math.max(config.timeoutMs, 600_000);
  const samples: SoakSample[] = [];
  let published = 0;
  const sample = async (): Promise<void> => {
    const [info, streamLength] = await Promise.all([admin.info('memory'), admin.xlen(BENCH_STREAM)]);
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
    samples.push({
      atS: (now() - started) / 1_000,
      published,
      handled: consumer.handled,
      streamLength,
      redisUsedMb: mb(used),
      consumerRssMb: consumer.rssMb,
    });
    const last = samples[samples.length - 1];
    if (samples.length % 10 === 1) {
      console.log(
        `  ${last.atS.toFixed(0).padStart(4)} s  published ${String(published).padStart(8)}  handled ${String(last.handled).padStart(8)}  ` +
          `stream ${String(streamLength).padStart(6)}  redis ${last.redisUsedMb.toFixed(1)} MB  consumer RSS ${last.consumerRssMb.toFixed(1)} MB`,
      );
    }
  };
  let sampling = Promise.resolve();
  const sampler = setInterval(() => {
    sampling = sampling.then(sample, () => undefined);
  }, 1_000);
  try {
    while (published < count) {
      if (now() > deadline) throw new Error(`soak passed its time bound at ${consumer.handled}/${count}`);
      if (published - consumer.handled > IN_FLIGHT) {
        await sleep(REPORT_MS / 2);
        continue;
      }
      const to = Math.min(count, published + config.window);
      const sends: Promise<unknown>[] = [];
      for (let i = published; i < to; i++) sends.push(publisher.publisher.publish(BenchEvent, benchPayload(i)));
      await Promise.all(sends);
      published = to;
    }
    while (consumer.handled < count) {
      if (now() > deadline) throw new Error(`soak passed its time bound at ${consumer.handled}/${count}`);
      await sleep(REPORT_MS);
    }
    // A few more retention runs after the last event: the stream settles at its bound.
    await sleep(3 * RETENTION.intervalMs);
  } finally {
    clearInterval(sampler);
    await sampling.catch(() => undefined);
    await publisher.close();
    await stopConsumer(child);
  }
  await sample();
  const result: SoakResult = {
    count,
    seconds: (now() - started) / 1_000,
    maxStreamLength: Math.max(...samples.map((s) => s.streamLength)),
    trimmed: Number((await admin.hget(`${BENCH_STREAM}:retention`, 'trimmed')) ?? 0),
    redis: series(samples.map((s) => s.redisUsedMb)),
    consumerRss: series(samples.map((s) => s.consumerRssMb).filter((rss) => rss > 0)),
    samples,
  };
  const line = (name: string, s: SoakSeries) =>
    `${name}: ${s.startMb.toFixed(1)} MB after the warm-up, peak ${s.peakMb.toFixed(1)} MB, end ${s.endMb.toFixed(1)} MB: ` +
    `${s.flat ? 'flat (no growth in the second half)' : 'GROWING (second half above the first)'}`;
  console.log('');
  console.log(
    `Soak: ${count} events in ${result.seconds.toFixed(0)} s (${Math.round(count / result.seconds)} events/s), ` +
      `${result.trimmed} trimmed by retention, stream length at most ${result.maxStreamLength}, ${samples.length} samples`,
  );
  console.log(line('  Redis used_memory', result.redis));
  console.log(line('  consumer RSS', result.consumerRss));
  return result;
}

/** The child's part: consume with the library, report the count and RSS, stop when told. */
async function consume(url: string): Promise<void> {
  let handled = 0;
  const bus = await startBus(options(url, GROUP), { onEvent: () => (handled += 1) });
  const report = () => process.send?.({ handled, rssMb: mb(process.memoryUsage().rss) } satisfies ConsumerReport);
  const timer = setInterval(report, REPORT_MS);
  report();
  process.on('message', () => {
    clearInterval(timer);
    void bus.close().finally(() => process.exit(0));
  });
}

if (process.env.BENCH_SOAK_CONSUMER_URL) {
  consume(process.env.BENCH_SOAK_CONSUMER_URL).catch((error: unknown) => {
    console.error('soak consumer failed:', error);
    process.exit(1);
  });
}
