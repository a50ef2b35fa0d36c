import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventBusHealthModule } from '../health/eventbus-health.module.js';
import { ConfigurableEventBusHttpModule, EVENTBUS_HTTP_OPTIONS } from './eventbus-http.module-definition.js';

/**
 * The operational endpoints: `GET /health`, `GET /streams/lag`, `GET /metrics` and the admin API
 * (`/admin/...`, bearer token) and `GET /streams/dashboard`, each on unless turned off (`forRoot({ metrics: false })`; the list
 * is `EVENTBUS_ENDPOINTS`). Installs no exception filter: the app installs
 * `EventBusExceptionFilter`. Needs `EventBusModule.forRoot` (global) in the same app; exports
 * `EventBusHealthIndicator`.
 *
 * @example
 * imports: [EventBusModule.forRoot({ ... }), EventBusHttpModule.forRoot({ admin: false })]
 */
@Module({
  imports: [TerminusModule, EventBusHealthModule],
  exports: [EventBusHealthModule],
})
export class EventBusHttpModule extends ConfigurableEventBusHttpModule {
  /** Every endpoint unless turned off: `forRoot()` serves them all. */
  static override forRoot(endpoints: typeof EVENTBUS_HTTP_OPTIONS = {}): DynamicModule {
    return super.forRoot(endpoints);
  }
}
