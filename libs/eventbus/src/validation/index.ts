export { compileEventChecker, eventChecker } from './event-checker.compiler.js';
export type { EventChecker } from './event-checker.interface.js';
