import type { ModuleMetadata } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  EVENTBUS_ENV_VARIABLES,
  EventBusHttpModule,
  EventBusModule,
  eventBusOptionsFromEnv,
  validateEventBusEnv,
} from '@app/eventbus';
import { topology, type SERVICES } from '@app/contracts';
import { ServiceLoggingModule } from './service.logging.js';

export type ServiceName = (typeof SERVICES)[keyof typeof SERVICES];

/**
 * What every service of this system imports: validated environment, logging through pino, the bus
 * as `service` with the whole topology, and every operational endpoint (`/health`, `/streams/lag`,
 * `/streams/dashboard`, `/metrics`, the admin API).
 */
export function serviceModules(service: ServiceName): NonNullable<ModuleMetadata['imports']> {
  const config = ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEventBusEnv });
  // It validates while the module file loads; `bootstrapService` reports a bad variable cleanly
  // before Nest would await this, so the rejection must not also crash the process on its own.
  config.catch(() => undefined);
  return [
    config,
    ServiceLoggingModule,
    EventBusModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        ...eventBusOptionsFromEnv(Object.fromEntries(EVENTBUS_ENV_VARIABLES.map((name) => [name, config.get(name)]))),
        service,
        topology: topology(config.get<number>('EVENTBUS_PARTITIONS') ?? 1),
      }),
    }),
    EventBusHttpModule.forRoot(),
  ];
}
