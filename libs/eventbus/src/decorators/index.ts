export * from './domain-event.decorator.js';
export * from './handle-event.decorator.js';
export * from './max-decimal-places.decorator.js';
