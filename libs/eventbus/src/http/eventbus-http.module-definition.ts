import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ALL_ENDPOINTS, endpointControllers } from './eventbus-http.endpoints.js';

/** Nothing to configure at run time yet: which endpoints to serve is chosen when the module is imported. */
export type EventBusHttpModuleOptions = object;

export const { ConfigurableModuleClass: ConfigurableEventBusHttpModule, OPTIONS_TYPE: EVENTBUS_HTTP_OPTIONS } =
  new ConfigurableModuleBuilder<EventBusHttpModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras(ALL_ENDPOINTS, (definition, endpoints) => ({ ...definition, controllers: endpointControllers(endpoints) }))
    .build();
