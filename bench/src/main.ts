import 'reflect-metadata';
import { availableParallelism, loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { PAYLOAD_BYTES } from './bench-event.js';
import { connect, type Endpoint } from './clients.js';
import { loadConfig, selected, type BenchConfig } from './config.js';
import { consumeVariants } from './consume.js';
import { libraryLatency, rawLatency, type LatencyResult } from './latency.js';
import { runMicro } from './micro.js';
import { Profiler } from './profiler.js';
import { publishVariants } from './publish.js';
import { startRedis, type RedisServer } from './redis-server.js';
import { latencyTable, labelOf, throughputTable, type ThroughputRow } from './report.js';
import { now } from './timing.js';
import type { RunContext, ThroughputVariant } from './variant.js';
import { packageVersion } from './versions.js';

async function redisVersion(admin: Redis): Promise<string> {
  const info = await admin.info('server');
  return /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
}

async function fresh(admin: Redis): Promise<void> {
  await admin.flushall();
}

async function runThroughput(
  variants: ThroughputVariant[],
  config: BenchConfig,
  base: Omit<RunContext, 'profiler'>,
  profiler: Profiler | undefined,
): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = variants.map((variant) => ({ variant, rates: [], cpuPerMsg: [] }));
  if (rows.length === 0) return rows;
  if (config.warmup > 0) {
    process.stdout.write(`warm-up (${config.warmup} msgs each, not reported):`);
    for (const row of rows) {
      await fresh(base.admin);
      try {
        await row.variant.run(config.warmup, base);
        process.stdout.write(` ${row.variant.id}`);
      } catch (error) {
        row.error = `warm-up failed: ${(error as Error).message}`;
      }
    }
    process.stdout.write('\n');
  }
  for (let round = 1; round <= config.rounds; round++) {
    const line: string[] = [];
    for (const row of rows) {
      if (row.error) continue;
      await fresh(base.admin);
      const profileThisRound = profiler && round === config.rounds ? profiler : undefined;
      try {
        const { count, ms, cpuUs } = await row.variant.run(config.count, { ...base, profiler: profileThisRound });
        const rate = (count * 1_000) / ms;
        row.rates.push(rate);
        row.cpuPerMsg.push(cpuUs / count);
        line.push(`${row.variant.id} ${Math.round(rate)}`);
      } catch (error) {
        row.error = (error as Error).message;
        line.push(`${row.variant.id} FAILED`);
      }
    }
    console.log(`round ${round}/${config.rounds} (msg/s): ${line.join(', ')}`);
  }
  return rows;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const started = now();
  const server: RedisServer = await startRedis(config.redisServer);
  let admin: Redis | undefined;
  let profiler: Profiler | undefined;
  try {
    const endpoint: Endpoint = { host: server.host, port: server.port, url: server.url };
    admin = await connect(endpoint);
    profiler = config.profileDir ? await Profiler.create(config.profileDir) : undefined;
    const base = { endpoint, config, admin };
    const versions = [
      `node ${process.version}`,
      `redis-server ${await redisVersion(admin)} (pid ${server.pid}, 127.0.0.1:${server.port})`,
      `ioredis ${packageVersion('ioredis')}`,
      `bullmq ${packageVersion('bullmq')}`,
      `@nestjs/core ${packageVersion('@nestjs/core')}`,
      `class-validator ${packageVersion('class-validator')}`,
      `${availableParallelism()} CPUs`,
    ];
    const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
    console.log(versions.join(', '));
    console.log(`load average at start: ${load()} (a busy machine lowers every number; compare within one run)`);
    console.log(
      `N=${config.count} msgs per measurement, payload ${PAYLOAD_BYTES} B JSON, window ${config.window}, ` +
        `batch ${config.batch}, ${config.rounds} round(s), median shown${config.profileDir ? `, PROFILING into ${config.profileDir}` : ''}`,
    );

    const variants = [...publishVariants, ...consumeVariants].filter((variant) => selected(config, variant.id));
    for (const variant of variants) console.log(`  ${variant.id}: ${labelOf(variant, config)}`);
    const rows = await runThroughput(variants, config, base, profiler);

    const latencies: LatencyResult[] = [];
    for (const [id, run] of [['latency.raw', rawLatency], ['latency.library', libraryLatency]] as const) {
      if (!selected(config, id)) continue;
      await fresh(admin);
      console.log(`${id}: ${config.rate} msg/s for ${config.seconds} s ...`);
      latencies.push(await run(base));
    }

    const micro = config.only.includes('micro') ? await runMicro(Math.min(config.count, 200_000)) : [];

    console.log('');
    if (micro.length > 0) {
      console.log('Per-call CPU cost of the steps the library adds (tight loop, ns/op)');
      for (const { name, nsPerOp } of micro) console.log(`${Math.round(nsPerOp).toLocaleString('en-US').padStart(8)} ns  ${name}`);
      console.log('');
    }
    if (rows.length > 0) {
      console.log(`Throughput, N=${config.count}, ${PAYLOAD_BYTES} B JSON payload (consume: first to N-th delivery handled, entries pre-filled)`);
      console.log('vs raw / vs BullMQ: msg/s ratios to the raw and BullMQ row of the same phase (library rows: library/raw, library/BullMQ)');
      console.log('node CPU us/msg: CPU time of this Node process per message (user+system, all threads; Redis not included)');
      console.log(throughputTable(rows, config));
      console.log('');
    }
    if (latencies.length > 0) {
      console.log(`Latency at ${config.rate} msg/s for ${config.seconds} s, publisher and consumer in this process`);
      console.log(latencyTable(latencies));
      console.log('');
    }
    console.log(`load average at end: ${load()}; total ${((now() - started) / 1_000).toFixed(1)} s`);
  } finally {
    profiler?.close();
    admin?.disconnect();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
