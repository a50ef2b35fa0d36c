export * from './domain-event.decorator.js';
export * from './handle-event.decorator.js';
