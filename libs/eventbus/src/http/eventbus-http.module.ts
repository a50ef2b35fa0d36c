import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { EventBusHealthIndicator } from '../health/eventbus.health.js';
import { DeadLetterController } from './dead-letter.controller.js';
import { EventBusExceptionFilter } from './eventbus-exception.filter.js';
import { GroupAdminController } from './group-admin.controller.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { StreamLagController } from './stream-lag.controller.js';

/**
 * The operational endpoints every app of the bus serves: `GET /health`, `GET /streams/lag`,
 * `GET /metrics`, the dead-letter admin API
 * (`/admin/dead-letters/...`, bearer token), and
 * maps `RedisUnavailableError` to 503 and `EventValidationError` to 400. Needs `EventBusModule.forRoot` (global) in the same app.
 */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController, StreamLagController, MetricsController, DeadLetterController, GroupAdminController],
  providers: [EventBusHealthIndicator, { provide: APP_FILTER, useClass: EventBusExceptionFilter }],
  exports: [EventBusHealthIndicator],
})
export class EventBusHttpModule {}
