// The library's HTTP side as a user composes it: the health indicator inside the app's own /health
// with the app's own check, endpoints chosen per app, and an exception filter only where the app
// installs it.
import { Controller, Get, Module, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import {
  EventBusExceptionFilter,
  EventBusHealthIndicator,
  EventBusHealthModule,
  EventBusHttpModule,
  EventBusModule,
  RedisUnavailableError,
} from '@app/eventbus';
import { freePort } from '../support/free-port.js';
import { getJson, type HttpResponse } from '../support/http.js';
import { useRedis } from '../support/test-redis.js';

const T = 60_000;
const TOPOLOGY = [{ stream: 'composed:{orders}', groups: ['composer'] }];

interface Health {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; redis?: string; reason?: string }>;
}

/** The app's own `/health`: the bus's indicator next to a check of the app's own. */
@Controller('health')
class AppHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly eventBus: EventBusHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.eventBus.isHealthy('eventbus'), () => this.indicators.check('warehouse').up()]);
  }
}

/** Fails the way a service's Redis call does when Redis is away. */
@Controller('orders')
class FailingController {
  @Get()
  list(): never {
    throw new RedisUnavailableError('reading orders', new Error('Connection is closed.'));
  }
}

describe('the library HTTP module, composed by an app', () => {
  const apps: INestApplication[] = [];
  // Before useRedis: the apps close while their Redis still runs (afterAll hooks run in order).
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });
  const redis = useRedis();

  async function start(metadata: ModuleMetadata): Promise<string> {
    @Module({
      ...metadata,
      imports: [EventBusModule.forRoot({ url: redis.url, service: 'composer', topology: TOPOLOGY }), ...(metadata.imports ?? [])],
    })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: ['error'], abortOnError: false });
    apps.push(app);
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    return `http://127.0.0.1:${port}`;
  }

  it(
    "composes the bus's indicator into the app's own /health, which reports a Redis that answers PING but refuses writes",
    async () => {
      const url = await start({ imports: [TerminusModule, EventBusHealthModule], controllers: [AppHealthController] });
      const up = await getJson<Health>(`${url}/health`);
      expect(up.status).toBe(200);
      expect(up.body.info).toMatchObject({ eventbus: { status: 'up' }, warehouse: { status: 'up' } });

      // A replica of a master that is not there: PING answers, every write is READONLY.
      await redis.client.replicaof('127.0.0.1', String(await freePort()));
      let down: HttpResponse<Health>;
      try {
        expect(await redis.client.ping()).toBe('PONG');
        down = await getJson<Health>(`${url}/health`);
      } finally {
        await redis.client.replicaof('NO', 'ONE');
      }
      expect(down.status).toBe(503);
      expect(down.body.error?.eventbus).toMatchObject({ status: 'down', redis: 'refuses-writes', reason: 'READONLY' });
      expect(down.body.info?.warehouse).toEqual({ status: 'up' });
      expect((await getJson(`${url}/health`)).status).toBe(200);
    },
    T,
  );

  it(
    'serves only the endpoints chosen, and installs no exception filter: the app does',
    async () => {
      const bare = await start({
        imports: [EventBusHttpModule.forRoot({ metrics: false, admin: false })],
        controllers: [FailingController],
      });
      expect((await getJson(`${bare}/health`)).status).toBe(200);
      expect((await getJson(`${bare}/streams/lag`)).status).toBe(200);
      expect((await getJson(`${bare}/metrics`)).status).toBe(404);
      expect((await getJson(`${bare}/admin/dead-letters/composed%3A%7Borders%7D/composer`)).status).toBe(404);
      expect((await getJson(`${bare}/orders`)).status).toBe(500);

      const filtered = await start({
        imports: [EventBusHttpModule.forRoot()],
        controllers: [FailingController],
        providers: [{ provide: APP_FILTER, useClass: EventBusExceptionFilter }],
      });
      expect((await getJson(`${filtered}/metrics`)).status).toBe(200);
      const unavailable = await getJson<{ reason: string }>(`${filtered}/orders`);
      expect({
        status: unavailable.status,
        reason: unavailable.body.reason,
        retryAfter: unavailable.headers.get('retry-after'),
      }).toEqual({
        status: 503,
        reason: 'redis-unreachable',
        retryAfter: '5',
      });
    },
    T,
  );
});
