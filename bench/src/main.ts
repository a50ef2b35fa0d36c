import 'reflect-metadata';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import type { Redis } from 'ioredis';
import { PAYLOAD_BYTES } from './bench-event.js';
import { connect, type Endpoint } from './clients.js';
import { loadConfig, selected, type BenchConfig } from './config.js';
import { consumeVariants } from './consume.js';
import { e2eVariants } from './e2e.js';
import { runHttp, type HttpResult } from './http.js';
import {
  libraryLatency,
  rawLatency,
  summarizeLatency,
  type LatencyResult,
  type LatencyRun,
  type LatencySummary,
} from './latency.js';
import { runMicro } from './micro.js';
import { runPartitions } from './partitions.js';
import { Profiler } from './profiler.js';
import { publishVariants } from './publish.js';
import { startRedis, type RedisServer } from './redis-server.js';
import { httpTable, latencyTable, labelOf, targetsTable, throughputTable, type ThroughputRow } from './report.js';
import { failures, resultsJson, targets, writeResults } from './results.js';
import { runRss, type RssResult } from './rss.js';
import { runSoak } from './soak.js';
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

const LATENCY: { id: string; label: string; run: LatencyRun }[] = [
  { id: 'latency.raw', label: 'raw XADD -> XREADGROUP', run: rawLatency },
  { id: 'latency.library', label: 'library publish -> @HandleEvent', run: libraryLatency },
];

/** Every rate: BENCH_LATENCY_REPS repetitions, the variants alternating within each repetition. */
async function runLatency(config: BenchConfig, base: Omit<RunContext, 'profiler'>): Promise<LatencySummary[]> {
  const variants = LATENCY.filter((v) => selected(config, v.id));
  const summaries: LatencySummary[] = [];
  if (variants.length === 0) return summaries;
  for (const rate of config.rates) {
    const reps = new Map<string, LatencyResult[]>(variants.map((v) => [v.id, []]));
    const errors = new Map<string, string>();
    for (let rep = 1; rep <= config.latencyReps; rep++) {
      const line: string[] = [];
      for (const v of variants) {
        if (errors.has(v.id)) continue;
        await fresh(base.admin);
        try {
          const result = await v.run(base, rate);
          reps.get(v.id)!.push(result);
          line.push(
            `${v.id} p99 ${result.p99.toFixed(2)} ms${result.received < result.sent ? ` (${result.received}/${result.sent})` : ''}`,
          );
        } catch (error) {
          errors.set(v.id, (error as Error).message);
          line.push(`${v.id} FAILED`);
        }
      }
      console.log(`latency ${rate} msg/s, rep ${rep}/${config.latencyReps}: ${line.join(', ')}`);
    }
    for (const v of variants) summaries.push(summarizeLatency(v.id, v.label, rate, reps.get(v.id)!, errors.get(v.id)));
  }
  return summaries;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const started = now();
  const startedAt = new Date().toISOString();
  const server: RedisServer = await startRedis(config.redisServer);
  let admin: Redis | undefined;
  let profiler: Profiler | undefined;
  try {
    const endpoint: Endpoint = { host: server.host, port: server.port, url: server.url };
    admin = await connect(endpoint);
    profiler = config.profileDir ? await Profiler.create(config.profileDir) : undefined;
    const base = { endpoint, config, admin };
    const versions = {
      node: process.version,
      redis: await redisVersion(admin),
      ioredis: packageVersion('ioredis'),
      bullmq: packageVersion('bullmq'),
      '@nestjs/core': packageVersion('@nestjs/core'),
      '@nestjs/microservices': packageVersion('@nestjs/microservices'),
      'class-validator': packageVersion('class-validator'),
      autocannon: packageVersion('autocannon'),
    };
    const load = () => loadavg().map((n) => Number(n.toFixed(2)));
    const loadAtStart = load();
    console.log(
      `${Object.entries(versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}, ${availableParallelism()} CPUs; ` + `redis-server pid ${server.pid}, 127.0.0.1:${server.port}`,
    );
    console.log(`load average at start: ${loadAtStart.join(' ')} (a busy machine lowers every number; compare within one run)`);
    console.log(
      `N=${config.count} msgs per measurement, payload ${PAYLOAD_BYTES} B JSON, window ${config.window}, ` +
        `batch ${config.batch}, ${config.rounds} round(s), median shown${config.profileDir ? `, PROFILING into ${config.profileDir}` : ''}`,
    );

    const variants = [...publishVariants, ...consumeVariants, ...e2eVariants].filter((variant) => selected(config, variant.id));
    for (const variant of variants) console.log(`  ${variant.id}: ${labelOf(variant, config)}`);
    const rows = await runThroughput(variants, config, base, profiler);

    const latencies = await runLatency(config, base);

    const httpIds = ['http.raw', 'http.library'].filter((id) => selected(config, id));
    let http: HttpResult[] = [];
    if (httpIds.length > 0) {
      console.log(
        `http: ${config.httpConnections} connections, ${config.httpSeconds} s per round, ${config.rounds} round(s) ...`,
      );
      http = await runHttp(base, httpIds);
    }

    let rss: RssResult | undefined;
    if (selected(config, 'rss')) {
      console.log(`rss: ${config.rssCount} events through the library ...`);
      rss = await runRss(base);
    }

    if (config.only.includes('soak')) await runSoak(base); // opt-in only, and prints its own report
    if (config.only.includes('partitions')) await runPartitions(base); // opt-in only: its own cluster and report

    const micro = selected(config, 'micro') ? await runMicro(Math.min(config.count, 200_000)) : [];

    console.log('');
    if (micro.length > 0) {
      console.log('Per-call CPU cost of the steps the library adds (tight loop, ns/op)');
      for (const { name, nsPerOp } of micro)
        console.log(`${Math.round(nsPerOp).toLocaleString('en-US').padStart(8)} ns  ${name}`);
      console.log('');
    }
    if (rows.length > 0) {
      console.log(
        `Throughput, N=${config.count}, ${PAYLOAD_BYTES} B JSON payload (consume: first to N-th delivery handled, entries pre-filled;`,
      );
      console.log(
        `e2e: first publish to N-th handled, publisher and handler in this process, at most ${config.inflight} unhandled)`,
      );
      console.log('vs raw / vs BullMQ / vs Nest: msg/s ratios to the raw, BullMQ and Nest rows of the same phase');
      console.log('node CPU us/msg: CPU time of this Node process per message (user+system, all threads; Redis not included)');
      console.log(throughputTable(rows, config));
      console.log('');
    }
    if (latencies.length > 0) {
      console.log(
        `Latency, ${config.seconds} s per repetition, publisher and consumer in this process; percentiles are medians over the repetitions`,
      );
      console.log(latencyTable(latencies));
      console.log('');
    }
    if (http.length > 0) {
      console.log(
        `HTTP, autocannon in this process, ${config.httpConnections} connections, ${config.httpSeconds} s per round; the app in a child process`,
      );
      console.log(httpTable(http));
      console.log('');
    }
    if (rss) {
      console.log(
        `RSS over ${rss.count} events (publisher + consumer in this process, ${rss.gcExposed ? 'after global.gc()' : 'global.gc NOT exposed'}): ` +
          `${rss.rssAfterWarmupMb.toFixed(1)} MB after ${rss.warmupCount} -> ${rss.rssAtEndMb.toFixed(1)} MB at the end, ` +
          `growth ${rss.growthMb.toFixed(1)} MB, peak ${rss.peakRssMb.toFixed(1)} MB, heap used ${rss.heapUsedAfterWarmupMb.toFixed(1)} -> ${rss.heapUsedAtEndMb.toFixed(1)} MB, ${rss.seconds.toFixed(1)} s`,
      );
      console.log('');
    }
    const results = { throughput: rows, latency: latencies, http, rss, micro };
    const list = targets(results);
    if (list.some((t) => t.pass !== null)) {
      console.log('Targets (medians of this run; a miss does not fail the run)');
      console.log(targetsTable(list.filter((t) => t.pass !== null)));
      console.log('');
    }
    const failed = failures(results);
    const loadAtEnd = load();
    const totalS = (now() - started) / 1_000;
    console.log(`load average at end: ${loadAtEnd.join(' ')}; total ${totalS.toFixed(1)} s`);
    if (config.jsonPath) {
      const meta = {
        startedAt,
        durationS: Math.round(totalS * 10) / 10,
        machine: {
          cpus: availableParallelism(),
          cpuModel: cpus()[0]?.model ?? '?',
          totalMemMb: Math.round(totalmem() / 1_048_576),
          platform: `${process.platform} ${process.arch}`,
          loadAverageStart: loadAtStart,
          loadAverageEnd: loadAtEnd,
        },
        versions,
        payloadBytes: PAYLOAD_BYTES,
      };
      console.log(`figures written to ${writeResults(config.jsonPath, resultsJson(results, config, meta, failed))}`);
    }
    if (failed.length > 0) {
      console.error(`FAILED (${failed.length}):\n  ${failed.join('\n  ')}`);
      return 1;
    }
    return 0;
  } finally {
    profiler?.close();
    admin?.disconnect();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
