import type { ModuleMetadata } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventBusHttpModule, EventBusModule, eventBusOptionsFromEnv, validateEventBusEnv, type EventBusEnv } from '@app/eventbus';
import { TOPOLOGY, type SERVICES } from './streams.js';

export type ServiceName = (typeof SERVICES)[keyof typeof SERVICES];

/**
 * What every service of this system imports: validated environment, the bus as `service` with the
 * whole topology, and the operational endpoints (`/health`, `/streams/lag`, `/metrics`).
 */
export function serviceModules(service: ServiceName): NonNullable<ModuleMetadata['imports']> {
  const config = ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEventBusEnv });
  // It validates while the module file loads; `bootstrapService` reports a bad variable cleanly
  // before Nest would await this, so the rejection must not also crash the process on its own.
  config.catch(() => undefined);
  return [
    config,
    EventBusModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EventBusEnv, true>) => ({
        ...eventBusOptionsFromEnv({
          REDIS_URL: config.get('REDIS_URL', { infer: true }),
          EVENTBUS_CONSUMER: config.get('EVENTBUS_CONSUMER', { infer: true }),
          EVENTBUS_CLAIM_IDLE_MS: config.get('EVENTBUS_CLAIM_IDLE_MS', { infer: true }),
          EVENTBUS_MAX_DELIVERIES: config.get('EVENTBUS_MAX_DELIVERIES', { infer: true }),
          EVENTBUS_ADMIN_TOKEN: config.get('EVENTBUS_ADMIN_TOKEN', { infer: true }),
        }),
        service,
        topology: TOPOLOGY,
      }),
    }),
    EventBusHttpModule,
  ];
}
