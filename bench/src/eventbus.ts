/**
 * The library under test, by its public entry point (libs/eventbus/src/index.ts, the file the
 * `@app/eventbus` alias names), and only the part of it the benchmark may use: what a service
 * uses to publish and handle events. A relative import needs no alias resolution at run time: tsc
 * compiles the library next to the bench in bench/dist and plain node runs it.
 */
export {
  DomainEvent,
  EventBusModule,
  EventPublisher,
  HandleEvent,
  type EventBusModuleOptions,
  type EventContext,
} from '../../libs/eventbus/src/index.js';
