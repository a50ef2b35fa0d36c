/**
 * What the replication wait (`minReplicaAcks`, a coalesced `WAIT` after each write) costs a
 * publisher: publish msg/s through the library to a master with one loopback replica, with and
 * without the wait, in alternating rounds of the same run. Not part of `npm run bench`:
 *   npx tsc -p bench/tsconfig.json && node bench/dist/bench/src/replica-wait.js
 * BENCH_COUNT (default 20000) events per round in windows of BENCH_WINDOW (500) concurrent
 * publishes, plus BENCH_COUNT / 10 one at a time; BENCH_ROUNDS (3) rounds, the median shown.
 */
import { Redis } from 'ioredis';
import { BenchEvent, benchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import { startRedis } from './redis-server.js';
import { median, now, sleep } from './timing.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 20_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const binary = process.env.REDIS_SERVER ?? 'redis-server';

async function publishRate(url: string, minReplicaAcks: number, count: number, window: number): Promise<number> {
  const bus = await startBus({ url, service: 'benchpub', minReplicaAcks, retention: false });
  try {
    const started = now();
    for (let from = 0; from < count; from += window) {
      const sends: Promise<unknown>[] = [];
      for (let i = from; i < Math.min(count, from + window); i++) sends.push(bus.publisher.publish(BenchEvent, benchPayload(i)));
      await Promise.all(sends);
    }
    return Math.round((count / (now() - started)) * 1_000);
  } finally {
    await bus.close();
  }
}

const master = await startRedis(binary);
const replica = await startRedis(binary);
const admin = new Redis(replica.url);
try {
  await admin.replicaof(master.host, master.port);
  for (let i = 0; i < 200 && !(await admin.info('replication')).includes('master_link_status:up'); i++) await sleep(50);
  const rates: Record<string, number[]> = {
    'burst, no wait': [],
    'burst, WAIT 1': [],
    'one at a time, no wait': [],
    'one at a time, WAIT 1': [],
  };
  for (let round = 0; round < ROUNDS; round++) {
    rates['burst, no wait'].push(await publishRate(master.url, 0, COUNT, WINDOW));
    rates['burst, WAIT 1'].push(await publishRate(master.url, 1, COUNT, WINDOW));
    rates['one at a time, no wait'].push(await publishRate(master.url, 0, COUNT / 10, 1));
    rates['one at a time, WAIT 1'].push(await publishRate(master.url, 1, COUNT / 10, 1));
  }
  console.log(`publish msg/s to a master with one loopback replica, median of ${ROUNDS} rounds (range)`);
  for (const [label, values] of Object.entries(rates)) {
    console.log(`${label.padEnd(24)} ${String(median(values)).padStart(7)}  (${Math.min(...values)}-${Math.max(...values)})`);
  }
} finally {
  admin.disconnect();
  await replica.stop();
  await master.stop();
}
