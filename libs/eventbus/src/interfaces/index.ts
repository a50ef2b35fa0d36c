export * from './domain-event.interface.js';
export * from './event-context.interface.js';
export * from './eventbus-options.interface.js';
export * from './stream-topology.interface.js';
