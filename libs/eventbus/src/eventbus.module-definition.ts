import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { EventBusModuleOptions } from './interfaces/eventbus-options.interface.js';

export const { ConfigurableModuleClass: ConfigurableEventBusModule, MODULE_OPTIONS_TOKEN: EVENTBUS_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<EventBusModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
