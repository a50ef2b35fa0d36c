// The public API of the event bus: what an app imports. Everything else is internal.

// Module and options
export { EventBusModule } from './eventbus.module.js';
export type { EventBusClusterOptions, EventBusModuleOptions, RetentionOptions } from './interfaces/eventbus-options.interface.js';
export type { StreamTopology } from './interfaces/stream-topology.interface.js';
export type { SentinelOptions } from './redis/sentinel.options.js';
export { EVENTBUS_REDIS } from './eventbus.constants.js';
export type { RedisClient } from './redis/redis.client.js';
export { EventBusEnv, EVENTBUS_ENV_VARIABLES, validateEventBusEnv, eventBusOptionsFromEnv } from './config/eventbus.env.js';

// Events: declare, publish, handle
export { DomainEvent, HandleEvent, MaxDecimalPlaces } from './decorators/index.js';
export type { DomainEventClass, DomainEventDefinition } from './interfaces/domain-event.interface.js';
export type { EventContext } from './interfaces/event-context.interface.js';
export { EventPublisher, type PublishedEvent, type PublishOptions } from './publisher/event.publisher.js';
export { emit, type CausedEvent, type HandlerResult } from './publisher/caused-event.js';
export { AtomicStep, type AtomicResult, type AtomicRun } from './publisher/atomic-step.js';
export type { EventCause } from './publisher/caused-event-id.js';
export { withCorrelationId } from './tracing/correlation.context.js';
export { LuaScript } from './redis/lua.script.js';

// Errors
export * from './errors/index.js';

// Operations: readiness, health, lag, metrics, dead letters, HTTP endpoints
export { ConsumerRegistry, type ConsumerStatus } from './runtime/consumer.registry.js';
export { EventBusHealthIndicator } from './health/eventbus.health.js';
export { EventBusHealthModule } from './health/eventbus-health.module.js';
export { StreamLagService } from './lag/stream-lag.service.js';
export type {
  ConsumerLag,
  GroupLag,
  GroupStatus,
  LagReport,
  OldestPending,
  StreamLag,
  TopicGroupLag,
  TopicLag,
} from './lag/stream-lag.interface.js';
export { EventBusMetrics } from './metrics/eventbus.metrics.js';
export { DeadLetterService } from './dead-letter/dead-letter.service.js';
export type { DeadLetter } from './dead-letter/dead-letter.interface.js';
export { ConsumerGroupAdmin, type GroupMoved, type PendingEntry } from './groups/consumer-group.admin.js';
export { deadLetterStream } from './redis/stream.keys.js';
export { EventBusHttpModule } from './http/eventbus-http.module.js';
export type { EventBusEndpoints } from './http/eventbus-http.endpoints.js';
export { EventBusExceptionFilter } from './http/eventbus-exception.filter.js';
