export * from './envelope-decode.error.js';
export * from './event-validation.error.js';
export * from './eventbus-config.error.js';
export * from './handler-timeout.error.js';
export * from './missing-domain-event.error.js';
export * from './redis-unavailable.error.js';
export * from './duplicate-handler.error.js';
export * from './unknown-stream-group.error.js';
