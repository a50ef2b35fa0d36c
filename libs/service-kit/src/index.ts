export { bootstrapService } from './service.bootstrap.js';
export { serviceModules, type ServiceName } from './service.modules.js';
