export * from './streams.js';
export * from './order-line.js';
export * from './stock-line.js';
export * from './order-approved.event.js';
export * from './stock-reserved.event.js';
export * from './stock-rejected.event.js';
export * from './invoice-issued.event.js';
export * from './picking-order-created.event.js';
