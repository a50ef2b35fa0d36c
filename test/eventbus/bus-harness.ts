import { Inject, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsInt, IsString, Min } from 'class-validator';
import type { TestRedis } from '../support/test-redis.js';
import {
  DomainEvent,
  ConsumerRegistry,
  EventBusModule,
  EventPublisher,
  HandleEvent,
  type EventBusModuleOptions,
  type EventContext,
  type HandlerResult,
} from '@app/eventbus';

export const PING_STREAM = 'conformance:{pings}';

@DomainEvent({ type: 'ping.sent', stream: PING_STREAM, version: 1, key: 'name' })
export class PingSent {
  @IsString()
  name: string;

  @IsInt()
  @Min(0)
  seq: number;
}

export interface Delivery {
  event: PingSent;
  context: EventContext;
  consumer: string;
}

/**
 * What a test's handler does with each delivery before it is recorded; throw to fail it, return
 * `emit(...)` for the events it causes.
 */
export type Behaviour = (event: PingSent, context: EventContext, attempt: number) => Promise<HandlerResult> | HandlerResult;

const BEHAVIOUR = Symbol('BEHAVIOUR');
const RECORD = Symbol('RECORD');

@Injectable()
class PingHandler {
  private readonly attempts = new Map<string, number>();

  constructor(
    @Inject(BEHAVIOUR) private readonly behaviour: Behaviour,
    @Inject(RECORD) private readonly record: (event: PingSent, context: EventContext) => void,
  ) {}

  @HandleEvent(PingSent)
  async onPing(event: PingSent, context: EventContext): Promise<HandlerResult> {
    const attempt = (this.attempts.get(context.id) ?? 0) + 1;
    this.attempts.set(context.id, attempt);
    const caused = await this.behaviour(event, context, attempt);
    this.record(event, context);
    return caused;
  }
}

export interface BusInstance {
  app: INestApplicationContext;
  publisher: EventPublisher;
  consumers: ConsumerRegistry;
  close(): Promise<void>;
}

/**
 * Starts one in-process Nest application context with the bus and a recording `PingSent` handler,
 * the way a service would; every delivery that its handler completes lands in `deliveries`.
 */
export async function startBus(
  options: Partial<EventBusModuleOptions> & { url: string; service: string },
  deliveries: Delivery[],
  behaviour: Behaviour = () => undefined,
): Promise<BusInstance> {
  const consumer = options.consumer ?? `${options.service}-${Math.random().toString(36).slice(2, 8)}`;
  @Module({
    imports: [EventBusModule.forRoot({ blockMs: 200, retryBaseMs: 50, retryMaxMs: 200, ...options, consumer })],
    providers: [
      PingHandler,
      { provide: BEHAVIOUR, useValue: behaviour },
      { provide: RECORD, useValue: (event: PingSent, context: EventContext) => deliveries.push({ event, context, consumer }) },
    ],
  })
  class BusTestModule {}
  const app = await NestFactory.createApplicationContext(BusTestModule, { logger: ['error'] });
  await app.init();
  return {
    app,
    publisher: app.get(EventPublisher),
    consumers: app.get(ConsumerRegistry),
    close: () => app.close(),
  };
}

export async function publishPings(publisher: EventPublisher, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let seq = from; seq < from + count; seq++) {
    ids.push((await publisher.publish(PingSent, { name: `ping-${seq}`, seq })).id);
  }
  return ids;
}

/** Event ids delivered, each once per occurrence. */
export const idsOf = (deliveries: Delivery[]) => deliveries.map((delivery) => delivery.context.id);

/**
 * Registers an `afterEach` that closes every bus instance the test started through `bus`, then
 * empties Redis: each test starts from nothing.
 */
export function useBuses(redis: TestRedis) {
  const running: BusInstance[] = [];
  const bus = async (...args: Parameters<typeof startBus>): Promise<BusInstance> => {
    const instance = await startBus(...args);
    running.push(instance);
    return instance;
  };
  /** Closes one instance before the test ends (a restart, a reopened consumer). */
  const close = async (instance: BusInstance): Promise<void> => {
    running.splice(running.indexOf(instance), 1);
    await instance.close();
  };
  const closeAll = async (): Promise<void> => {
    await Promise.all(running.splice(0).map((instance) => instance.close()));
  };
  afterEach(async () => {
    await closeAll();
    await redis.client.config('SET', 'maxmemory', '0');
    await redis.client.flushall();
  });
  /** An instance of its own group that the test publishes through. */
  const producer = () => bus({ url: redis.url, service: 'producer' }, []);
  return { bus, close, closeAll, producer };
}
