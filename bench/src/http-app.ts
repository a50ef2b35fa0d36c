import 'reflect-metadata';
import { Body, Controller, HttpCode, Inject, Module, Post, type OnModuleDestroy } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { BENCH_STREAM, BenchEvent, type BenchPayload } from './bench-event.js';
import { EventBusModule, EventPublisher } from './eventbus.js';

/**
 * A bare Nest (express) app with one `POST /checkout`, run by the http phase as a child process:
 * `node http-app.js library|raw <redis url>`. It listens on a free 127.0.0.1 port and reports the
 * port to its parent over IPC; the parent stops it by PID.
 */

/** The library: `publish` validates the body against BenchEvent's rules, then XADDs the envelope. */
@Controller()
class LibraryCheckout {
  constructor(private readonly publisher: EventPublisher) {}

  @Post('checkout')
  @HttpCode(202)
  async checkout(@Body() body: BenchPayload): Promise<{ id: string }> {
    const { id } = await this.publisher.publish(BenchEvent, body);
    return { id };
  }
}

const REDIS = Symbol('BENCH_REDIS');

/** By hand: one XADD of the JSON body on an auto-pipelined ioredis connection, no validation. */
@Controller()
class RawCheckout implements OnModuleDestroy {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  @Post('checkout')
  @HttpCode(202)
  async checkout(@Body() body: BenchPayload): Promise<{ id: string }> {
    const id = await this.redis.xadd(BENCH_STREAM, '*', 'data', JSON.stringify(body));
    return { id: id as string };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

async function main(): Promise<void> {
  const [variant, url] = process.argv.slice(2);
  if ((variant !== 'library' && variant !== 'raw') || !url) throw new Error('usage: http-app.js library|raw redis://host:port');

  @Module(
    variant === 'library'
      ? { imports: [EventBusModule.forRoot({ url, service: 'benchhttp' })], controllers: [LibraryCheckout] }
      : {
          controllers: [RawCheckout],
          providers: [{ provide: REDIS, useFactory: () => new Redis(url, { enableAutoPipelining: true }) }],
        },
  )
  class HttpBenchModule {}

  const app = await NestFactory.create(HttpBenchModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as import('node:http').Server).address() as { port: number };
  process.send?.({ port: address.port });
  process.once('disconnect', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
