import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Cluster, type Redis } from 'ioredis';
import { partitionStreams } from '../../libs/eventbus/src/partitions/partition.streams.js';
import { BENCH_STREAM, BenchEvent, benchEnvelope, benchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import { connect } from './clients.js';
import type { EventBusModuleOptions } from './eventbus.js';
import { freePort, startRedis, type RedisServer } from './redis-server.js';
import { now, sleep } from './timing.js';
import type { RunContext } from './variant.js';

// BENCH_ONLY=partitions: consume throughput of one group on a local 3-master Redis Cluster with
// 1, 2 and 4 partitions and as many consumer processes (this same file, run with
// BENCH_PARTITIONS_CONSUMER), each running the library with a trivial handler under leases.
// The publisher fills the partitions with N events first; the group is held at the end of each
// partition (XGROUP SETID $) until every consumer holds its one partition, then set back to 0
// and woken by one more entry per partition: the clock runs from there to the last handling.
// Leases keep their default length (5 s): a 1 s lease was lost to CPU starvation on a loaded 2-core
// machine mid-measurement.
// Each consumer's CPU (process.cpuUsage) and each master's CPU (INFO cpu) over that span are
// reported, so the figure can be projected to a machine with more cores.

const GROUP = 'bench';
const COUNTS = [1, 2, 4] as const;
const SLOT_RANGES: readonly (readonly [number, number])[] = [
  [0, 5460],
  [5461, 10922],
  [10923, 16383],
];

interface ConsumerSpec {
  nodes: string[];
  partitions: number;
  consumer: string;
}

interface ConsumerReport {
  handled: number;
  /** user + system CPU of the process since it started, µs. */
  cpuUs: number;
}

export interface PartitionsRow {
  partitions: number;
  count: number;
  seconds: number;
  rate: number;
  /** Per consumer process: entries handled and CPU µs over the measured span. */
  consumers: { handled: number; cpuUs: number }[];
  /** Per master: CPU µs (user + sys) over the measured span. */
  redisCpuUs: number[];
}

const options = (
  spec: Pick<ConsumerSpec, 'nodes' | 'partitions'>,
  service: string,
  consumer?: string,
): EventBusModuleOptions => ({
  cluster: { nodes: spec.nodes },
  service,
  consumer,
  topology: [{ stream: BENCH_STREAM, groups: [GROUP], partitions: spec.partitions }],
  retention: false,
});

interface LocalCluster {
  masters: RedisServer[];
  admins: Redis[];
  nodes: string[];
  client: Cluster;
  stop(): Promise<void>;
}

/** Three masters owning the slots from the start, met through the first (as test/support/redis-cluster.ts). */
async function startCluster(binary: string): Promise<LocalCluster> {
  const masters: RedisServer[] = [];
  const admins: Redis[] = [];
  const stop = async () => {
    for (const admin of admins) admin.disconnect();
    await Promise.all(masters.map((master) => master.stop()));
  };
  try {
    const busPorts: number[] = [];
    while (masters.length < SLOT_RANGES.length) {
      // The cluster bus port chosen here: port + 10000 may be taken or past 65535.
      busPorts.push(await freePort());
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPorts.at(-1))];
      masters.push(await startRedis(binary, args));
    }
    for (const master of masters) admins.push(await connect(master));
    await Promise.all(admins.map((admin, i) => admin.call('CLUSTER', 'ADDSLOTSRANGE', ...SLOT_RANGES[i])));
    for (const [i, master] of masters.entries())
      if (i > 0) await admins[0].call('CLUSTER', 'MEET', '127.0.0.1', master.port, busPorts[i]);
    for (let attempt = 0; ; attempt++) {
      const infos = await Promise.all(admins.map((admin) => admin.cluster('INFO')));
      if (infos.every((info) => info.includes('cluster_state:ok'))) break;
      if (attempt > 400) throw new Error('the bench cluster did not reach cluster_state:ok within 20 s');
      await sleep(50);
    }
    const nodes = masters.map((master) => master.url);
    const client = new Cluster(masters.map((master) => ({ host: master.host, port: master.port })));
    return {
      masters,
      admins,
      nodes,
      client,
      async stop() {
        client.disconnect();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** user + sys CPU seconds of a redis-server, as µs. */
async function redisCpuUs(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1e6;
}

class Consumer {
  private replies: ((report: ConsumerReport) => void)[] = [];

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message) => this.replies.shift()?.(message as ConsumerReport));
  }

  static start(spec: ConsumerSpec): Promise<Consumer> {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, BENCH_PARTITIONS_CONSUMER: JSON.stringify(spec) },
    });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(new Consumer(child)));
      child.once('exit', (code) =>
        reject(new Error(`partitions consumer ${spec.consumer} exited with ${code} before it started`)),
      );
    });
  }

  report(): Promise<ConsumerReport> {
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.child.send('report');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

async function measure(cluster: LocalCluster, partitions: number, context: RunContext): Promise<PartitionsRow> {
  const { config } = context;
  const count = config.count;
  const streams = partitionStreams(BENCH_STREAM, partitions);
  const deadline = now() + config.timeoutMs;
  const bound = (what: string) => {
    if (now() > deadline) throw new Error(`partitions ${partitions}: ${what} passed BENCH_TIMEOUT_S`);
  };
  await Promise.all(cluster.admins.map((admin) => admin.flushall()));

  const publisher = await startBus(options({ nodes: cluster.nodes, partitions }, 'benchpub'));
  try {
    for (let published = 0; published < count;) {
      bound('the fill');
      const to = Math.min(count, published + config.window);
      const sends: Promise<unknown>[] = [];
      for (let i = published; i < to; i++) sends.push(publisher.publisher.publish(BenchEvent, benchPayload(i)));
      await Promise.all(sends);
      published = to;
    }
  } finally {
    await publisher.close();
  }
  const lengths = await Promise.all(streams.map((stream) => cluster.client.xlen(stream)));
  for (const stream of streams) await cluster.client.xgroup('SETID', stream, GROUP, '$');

  const consumers = await Promise.all(
    Array.from({ length: partitions }, (_, i) => Consumer.start({ nodes: cluster.nodes, partitions, consumer: `c${i + 1}` })),
  );
  try {
    // Every consumer holds exactly one partition before the clock starts.
    for (;;) {
      bound('the lease split');
      const holders = await Promise.all(streams.map((stream) => cluster.client.get(`${stream}:lease:${GROUP}`)));
      if (holders.every(Boolean) && new Set(holders.map((holder) => holder!.split(' ')[0])).size === partitions) break;
      await sleep(50);
    }
    const cpuBefore = await Promise.all(consumers.map((consumer) => consumer.report()));
    const redisBefore = await Promise.all(cluster.admins.map(redisCpuUs));
    const started = now();
    for (const [i, stream] of streams.entries()) {
      await cluster.client.xgroup('SETID', stream, GROUP, '0');
      await cluster.client.xadd(stream, '*', ...benchEnvelope(count + i)); // wakes the blocked reader
    }
    const total = count + partitions;
    let reports = cpuBefore;
    while (reports.reduce((sum, report) => sum + report.handled, 0) < total) {
      bound(`consuming (${reports.reduce((sum, report) => sum + report.handled, 0)}/${total})`);
      await sleep(20);
      reports = await Promise.all(consumers.map((consumer) => consumer.report()));
    }
    const seconds = (now() - started) / 1_000;
    const redisAfter = await Promise.all(cluster.admins.map(redisCpuUs));
    const row: PartitionsRow = {
      partitions,
      count: total,
      seconds,
      rate: total / seconds,
      consumers: reports.map((report, i) => ({ handled: report.handled, cpuUs: report.cpuUs - cpuBefore[i].cpuUs })),
      redisCpuUs: redisAfter.map((after, i) => after - redisBefore[i]),
    };
    console.log(
      `  ${partitions} partition(s), ${partitions} consumer(s): ${Math.round(row.rate)} msg/s (${total} in ${seconds.toFixed(2)} s); ` +
        `entries per partition ${lengths.join('/')}; handled per consumer ${row.consumers.map((c) => c.handled).join('/')}`,
    );
    return row;
  } finally {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  }
}

const us = (value: number) => value.toFixed(1).padStart(7);

export async function runPartitions(context: RunContext): Promise<PartitionsRow[]> {
  const { config } = context;
  const load = () =>
    loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
  console.log(
    `partitions: N=${config.count} events per measurement on a local 3-master cluster; 1, 2, 4 partitions, as many ` +
      `consumer processes; ${availableParallelism()} CPUs; load average ${load()}`,
  );
  const cluster = await startCluster(config.redisServer);
  const rows: PartitionsRow[] = [];
  try {
    for (const partitions of COUNTS) rows.push(await measure(cluster, partitions, context));
  } finally {
    await cluster.stop();
  }
  const base = rows[0].rate;
  console.log('');
  console.log(
    `Partitioned consume on a 3-master Redis Cluster, N=${config.count}, trivial handler (load average at end ${load()})`,
  );
  console.log(
    'partitions  msg/s   vs 1   consumer CPU µs/msg (per process)          all consumers µs/msg  Redis µs/msg (per master)',
  );
  for (const row of rows) {
    const perProcess = row.consumers.map((c) => (c.cpuUs / Math.max(1, c.handled)).toFixed(1)).join(' / ');
    const consumersTotal = row.consumers.reduce((sum, c) => sum + c.cpuUs, 0) / row.count;
    const redisTotal = row.redisCpuUs.reduce((sum, cpu) => sum + cpu, 0) / row.count;
    const perMaster = row.redisCpuUs.map((cpu) => (cpu / row.count).toFixed(1)).join(' / ');
    console.log(
      `${String(row.partitions).padStart(10)}  ${String(Math.round(row.rate)).padStart(6)}  ${(row.rate / base).toFixed(2).padStart(5)}  ` +
        `${perProcess.padEnd(42)} ${us(consumersTotal)}               ${us(redisTotal)} (${perMaster})`.padEnd(118) +
        `${(((consumersTotal + redisTotal) * row.rate) / 1e6).toFixed(2)}`,
    );
  }
  const cores = availableParallelism();
  console.log(
    `On ${cores} cores, the consumers and the three redis-servers share the same cores: the ratio is bounded by them, ` +
      `not by the partitions ("cores busy": consumers' and masters' CPU over the wall time). Projection: one consumer process handles about 1e6 / (its µs/msg) msg/s per core it gets, ` +
      `and each master serves its partitions at about 1e6 / (its µs/msg) msg/s.`,
  );
  return rows;
}

/** The child's part: consume with the library under leases, answer reports, stop when told. */
async function consume(spec: ConsumerSpec): Promise<void> {
  let handled = 0;
  const bus = await startBus(options(spec, GROUP, spec.consumer), { onEvent: () => (handled += 1) });
  process.on('message', (message) => {
    if (message === 'stop') {
      void bus.close().finally(() => process.exit(0));
      return;
    }
    const { user, system } = process.cpuUsage();
    process.send?.({ handled, cpuUs: user + system } satisfies ConsumerReport);
  });
  process.send?.({ handled, cpuUs: 0 } satisfies ConsumerReport);
}

if (process.env.BENCH_PARTITIONS_CONSUMER) {
  consume(JSON.parse(process.env.BENCH_PARTITIONS_CONSUMER) as ConsumerSpec).catch((error: unknown) => {
    console.error('partitions consumer failed:', error);
    process.exit(1);
  });
}
