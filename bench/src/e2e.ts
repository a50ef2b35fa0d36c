import { Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientProxyFactory,
  EventPattern,
  Payload,
  Transport,
  type ClientProxy,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BENCH_STREAM, BenchEvent, benchPayload, type BenchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import { connect, readGroup } from './clients.js';
import { Countdown, cpuUs, now, sleep, within } from './timing.js';
import { profiled, type Measurement, type RunContext, type ThroughputVariant } from './variant.js';

/**
 * Emit -> handled throughput, publisher and handler in this one process for every variant: the
 * time from the first publish to the N-th event handled. Publishing goes in windows of
 * BENCH_WINDOW awaited promises and pauses while more than BENCH_E2E_INFLIGHT events are published
 * but not handled yet, so no variant runs ahead of its consumer (Redis pub/sub would otherwise
 * buffer, then drop, a subscriber that falls behind).
 */
async function pump(
  count: number,
  context: RunContext,
  countdown: Countdown,
  send: (i: number) => Promise<unknown>,
): Promise<Measurement> {
  const { window, inflight, timeoutMs } = context.config;
  const started = now();
  const cpuStarted = cpuUs();
  const deadline = started + timeoutMs;
  const left = (what: string) => `${what} (${countdown.count}/${count} handled)`;
  for (let from = 0; from < count; from += window) {
    if (from - countdown.count > inflight)
      await within(countdown.reached(from - inflight), Math.max(1, deadline - now()), left('in-flight bound'));
    const to = Math.min(count, from + window);
    const sends = new Array<Promise<unknown>>(to - from);
    for (let i = from; i < to; i++) sends[i - from] = send(i);
    await Promise.all(sends);
  }
  await within(countdown.done, Math.max(1, deadline - now()), left('last delivery'));
  return { count, ms: countdown.lastAt - started, cpuUs: countdown.lastCpu - cpuStarted };
}

const PATTERN = 'bench.event';
const SINK = Symbol('BENCH_NEST_SINK');

@Controller()
class NestBenchHandler {
  constructor(@Inject(SINK) private readonly countdown: Countdown) {}

  @EventPattern(PATTERN)
  async onEvent(@Payload() event: BenchPayload): Promise<void> {
    if (event.seq >= 0) this.countdown.hit();
  }
}

/** `@nestjs/microservices`' Redis transport: ClientProxy.emit -> @EventPattern in a microservice. */
function nestRedis(id: string, role: ThroughputVariant['role'], label: string, autoPipelining: boolean): ThroughputVariant {
  return {
    id,
    phase: 'e2e',
    role,
    label,
    async run(count, context) {
      const { host, port } = context.endpoint;
      const options = { host, port, ...(autoPipelining ? { enableAutoPipelining: true } : {}) };
      const countdown = new Countdown(count);
      @Module({ controllers: [NestBenchHandler], providers: [{ provide: SINK, useValue: countdown }] })
      class NestBenchModule {}
      const server = await NestFactory.createMicroservice<MicroserviceOptions>(NestBenchModule, {
        transport: Transport.REDIS,
        options,
        logger: ['error', 'warn'],
      });
      let client: ClientProxy | undefined;
      try {
        await server.listen();
        // listen() resolves before SUBSCRIBE is answered; an event published earlier is lost.
        const ready = now() + 5_000;
        while (((await context.admin.pubsub('NUMSUB', PATTERN)) as [string, number])[1] < 1) {
          if (now() > ready) throw new Error('the Nest microservice did not subscribe within 5 s');
          await sleep(5);
        }
        client = ClientProxyFactory.create({ transport: Transport.REDIS, options });
        await client.connect();
        const emitter = client;
        const send = (i: number) => lastValueFrom(emitter.emit(PATTERN, benchPayload(i)), { defaultValue: undefined });
        return await profiled(context, id, () => pump(count, context, countdown, send));
      } finally {
        await client?.close();
        await server.close();
      }
    },
  };
}

const libraryE2e: ThroughputVariant = {
  id: 'e2e.library',
  phase: 'e2e',
  role: 'library',
  label: 'library publish -> @HandleEvent (batchSize {batch})',
  async run(count, context) {
    const countdown = new Countdown(count);
    const bus = await startBus(
      { url: context.endpoint.url, service: 'benche2e', batchSize: context.config.batch },
      { onEvent: () => countdown.hit() },
    );
    try {
      const send = (i: number) => bus.publisher.publish(BenchEvent, benchPayload(i));
      return await profiled(context, 'e2e.library', () => pump(count, context, countdown, send));
    } finally {
      await bus.close();
    }
  },
};

/** Hand-written: XADD (auto-pipelined) and an XREADGROUP COUNT batch + XACK loop, JSON.parse each. */
const rawE2e: ThroughputVariant = {
  id: 'e2e.raw',
  phase: 'e2e',
  role: 'raw',
  label: 'raw XADD -> XREADGROUP COUNT {batch} + XACK/batch',
  async run(count, context) {
    const { admin, config } = context;
    await admin.xgroup('CREATE', BENCH_STREAM, 'e2e', '$', 'MKSTREAM');
    const commands = await connect(context.endpoint, { enableAutoPipelining: true });
    const reader = await connect(context.endpoint);
    const countdown = new Countdown(count);
    let stop = false;
    const reading = (async () => {
      while (!stop && countdown.count < count) {
        const entries = await readGroup(reader, BENCH_STREAM, 'e2e', 'c1', config.batch, 100);
        if (entries.length === 0) continue;
        for (const [, fields] of entries) if ((JSON.parse(fields[1]) as BenchPayload).seq >= 0) countdown.hit();
        await commands.xack(BENCH_STREAM, 'e2e', ...entries.map(([entryId]) => entryId));
      }
    })();
    try {
      const send = (i: number) => commands.xadd(BENCH_STREAM, '*', 'data', JSON.stringify(benchPayload(i)));
      return await profiled(context, 'e2e.raw', () => pump(count, context, countdown, send));
    } finally {
      stop = true;
      await reading.catch(() => undefined);
      commands.disconnect();
      reader.disconnect();
    }
  },
};

export const e2eVariants: ThroughputVariant[] = [
  rawE2e,
  libraryE2e,
  nestRedis('e2e.nest-redis', 'nest', '@nestjs/microservices Transport.REDIS emit -> @EventPattern', false),
  nestRedis('e2e.nest-redis-autopipe', 'extra', '  same + enableAutoPipelining on both connections', true),
];
