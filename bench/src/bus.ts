import { Inject, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BenchEvent } from './bench-event.js';
import { EventBusModule, EventPublisher, HandleEvent, type EventBusModuleOptions, type EventContext } from './eventbus.js';

/** What the benchmark's handler does with each delivery. */
export interface EventSink {
  onEvent(event: BenchEvent, context: EventContext): void;
}

const SINK = Symbol('BENCH_SINK');

@Injectable()
class BenchHandler {
  constructor(@Inject(SINK) private readonly sink: EventSink) {}

  @HandleEvent(BenchEvent)
  async onEvent(event: BenchEvent, context: EventContext): Promise<void> {
    this.sink.onEvent(event, context);
  }
}

export interface BusApp {
  app: INestApplicationContext;
  publisher: EventPublisher;
  close(): Promise<void>;
}

/**
 * An in-process Nest application context with the bus, as a service would start it; with a sink,
 * a `@HandleEvent(BenchEvent)` provider is registered and its stream is consumed from bootstrap.
 */
export async function startBus(options: EventBusModuleOptions, sink?: EventSink): Promise<BusApp> {
  @Module({
    imports: [EventBusModule.forRoot(options)],
    providers: sink ? [BenchHandler, { provide: SINK, useValue: sink }] : [],
  })
  class BenchBusModule {}
  const app = await NestFactory.createApplicationContext(BenchBusModule, { logger: ['error', 'warn'] });
  await app.init();
  return { app, publisher: app.get(EventPublisher), close: () => app.close() };
}
