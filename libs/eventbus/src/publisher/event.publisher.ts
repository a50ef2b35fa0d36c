import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { EventBusMetrics } from '../metrics/eventbus.metrics.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import { LeaseLostError } from '../errors/lease-lost.error.js';
import { encodeEnvelope } from '../envelope/envelope.codec.js';
import { appendFenced } from './fenced-append.script.js';
import { PublishBatcher } from './publish.batcher.js';
import { ReplicaAcks } from './replica.acks.js';
import { getDomainEvent } from '../envelope/domain-event.registry.js';
import { AtomicStepConflictError } from '../errors/atomic-step-conflict.error.js';
import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';
import { isRedisReplyError } from '../redis/redis.errors.js';
import type { DomainEventClass, DomainEventDefinition } from '../interfaces/domain-event.interface.js';
import type { EventContext } from '../interfaces/event-context.interface.js';
import { assertPublishable } from './assert-publishable.js';
import {
  dedupeRecordTtlSeconds,
  packAtomicStep,
  readAtomicReply,
  type AtomicResult,
  type AtomicRun,
  type AtomicStep,
  type EncodedEvent,
  type StepFence,
} from './atomic-step.js';
import type { CausedEvent } from './caused-event.js';
import { causedEventId, type EventCause } from './caused-event-id.js';
import { assertEventIdOption, orderingKey } from './ordering-key.js';
import { activeCorrelationId } from '../tracing/correlation.context.js';
import { activeTraceContext } from '../tracing/trace.context.js';

export interface PublishOptions {
  /** Event id, 1-200 characters; pass a deterministic one to make a re-publish recognisable downstream. */
  id?: string;
  /** The event this one answers: its correlation id is carried on, its id becomes the causation id. */
  causedBy?: Pick<EventContext, 'id' | 'correlationId'>;
  /**
   * Correlation id of a new conversation (ignored with `causedBy`), 1-200 characters. Defaults to
   * the one `withCorrelationId` set for the calling code (e.g. the HTTP request id), else the event id.
   */
  correlationId?: string;
}

export interface PublishedEvent {
  id: string;
  stream: string;
  /** Stream entry id Redis assigned. */
  entryId: string;
}

/**
 * The two ways to write events: `publish` one event, or `runAtomic` a service's effect together
 * with its dedupe record and the events it causes. (`publishCaused` is how the bus publishes what
 * a handler returns, before it acknowledges the cause.)
 */
@Injectable()
export class EventPublisher {
  /** `@DomainEvent` metadata per class, read once: publishing is a hot path. */
  private readonly definitions = new Map<DomainEventClass, DomainEventDefinition>();
  private readonly producer: string;
  private readonly batcher: PublishBatcher;
  /** Every write is reported done only once `minReplicaAcks` replicas have it. */
  private readonly replicaAcks: ReplicaAcks;
  /** What `ttlSeconds: 'retention'` means for a dedupe record. */
  private readonly retentionTtlSeconds: number;

  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    @Inject(EVENTBUS_CONFIG) config: EventBusConfig,
    private readonly metrics: EventBusMetrics,
    private readonly topology: StreamTopologyRegistry,
  ) {
    this.producer = config.service;
    this.retentionTtlSeconds = dedupeRecordTtlSeconds(config.retention);
    this.batcher = new PublishBatcher(redis);
    this.replicaAcks = new ReplicaAcks(redis, config.replicaAcks.min, config.replicaAcks.timeoutMs);
  }

  /**
   * Publishes one event (one `XADD`); resolves once Redis has it. Throws `EventValidationError`
   * and writes nothing when the payload or an option is invalid; rejects with
   * `RedisUnavailableError` when Redis is away.
   */
  async publish<T extends object>(
    eventClass: DomainEventClass<T>,
    payload: T,
    options?: PublishOptions,
  ): Promise<PublishedEvent> {
    const definition = this.definitionOf(eventClass);
    let id: string;
    let correlationId: string;
    if (options === undefined) {
      id = randomUUID();
      correlationId = activeCorrelationId() ?? id;
    } else {
      if (options.id !== undefined) assertEventIdOption(definition.type, 'id', options.id);
      id = options.id ?? randomUUID();
      if (options.causedBy) {
        correlationId = options.causedBy.correlationId;
      } else {
        if (options.correlationId !== undefined) assertEventIdOption(definition.type, 'correlationId', options.correlationId);
        correlationId = options.correlationId ?? activeCorrelationId() ?? id;
      }
    }
    const { stream, fields } = this.encode(eventClass, definition, payload, id, correlationId, options?.causedBy?.id);
    const connection = this.replicaAcks.connection;
    try {
      const entryId = await this.batcher.append(stream, fields);
      await this.replicaAcks.afterWrite(connection);
      this.metrics.published(stream, definition.type);
      return { id, stream, entryId };
    } catch (error) {
      throw unavailable('publish', error);
    }
  }

  /**
   * Publishes the events a handler caused (what it returned), before the cause is acknowledged:
   * every event is validated first (all or nothing before any write), then one `XADD` each, sent
   * together. Ids derive from the cause and its group, so a redelivered cause re-publishes the
   * same ids; the cause's correlation id is carried on and its id becomes the causation id.
   */
  async publishCaused(events: readonly CausedEvent[], cause: EventCause): Promise<void> {
    if (events.length === 0) return;
    const encoded = this.encodeAll(events, cause);
    const fence = fenceOf(cause);
    const connection = this.replicaAcks.connection;
    let appended: (string | null)[];
    try {
      appended = await Promise.all(
        encoded.map((event) =>
          fence ? appendFenced(this.redis, event.stream, event.fields, fence) : this.batcher.append(event.stream, event.fields),
        ),
      );
      await this.replicaAcks.afterWrite(connection);
    } catch (error) {
      throw unavailable('publishing caused events', error);
    }
    // A later holder of the cause's partition wrote there first: this holder's events stop here
    // (those already appended carry the same derived ids the new holder publishes, so readers dedupe).
    if (fence && appended.includes(null)) throw new LeaseLostError(fence.stream, fence.group, fence.token);
    for (const event of encoded) this.metrics.published(event.stream, event.type);
  }

  /**
   * Runs `step`: its effect, its dedupe record and the events it causes as one Lua script, all
   * or nothing. The events are validated and encoded before the script is sent (an invalid one
   * throws `EventValidationError` and nothing runs); they are appended only when the effect
   * commits, never on a dedupe hit. Throws `AtomicStepConflictError` when the effect returned
   * `false` (nothing written), `RedisUnavailableError` when Redis is away (`maybeApplied` tells
   * whether the script may have run).
   *
   * @example
   * const { firstTime } = await publisher.runAtomic(createPickingOrder, {
   *   dedupeKey: `distribution:{shipments}:order:${orderId}`,
   *   args: [JSON.stringify(pickingOrder)],
   *   events: [emit(PickingOrderCreated, { orderId, pickingOrderId, items })],
   *   causedBy: context,
   * });
   */
  async runAtomic(step: AtomicStep, run: AtomicRun): Promise<AtomicResult> {
    const events = run.events && run.events.length > 0 ? this.encodeAll(run.events, run.causedBy) : [];
    const fence = run.causedBy && fenceOf(run.causedBy);
    const { keys, args } = packAtomicStep(run, events, this.retentionTtlSeconds, fence);
    const connection = this.replicaAcks.connection;
    let reply;
    try {
      reply = readAtomicReply(await step.script.run(this.redis, keys, args));
    } catch (error) {
      throw unavailable('an atomic step', error);
    }
    if (reply.outcome === 'conflict') throw new AtomicStepConflictError(run.dedupeKey);
    if (reply.outcome === 'fenced') {
      // Only a fenced run can be refused: a later lease holder of the cause's partition ran here.
      const { stream, group, token } = fence ?? { stream: '', group: '', token: 0 };
      throw new LeaseLostError(stream, group, token);
    }
    // A repeat waits too: the first run's write may not have reached the replicas yet.
    await this.replicaAcks.afterWrite(connection);
    const firstTime = reply.outcome === 'committed';
    if (firstTime) for (const event of events) this.metrics.published(event.stream, event.type);
    return { result: reply.result, firstTime, eventIds: firstTime ? events.map((event) => event.id) : [] };
  }

  /**
   * Validates and encodes every event before any is written; ids from the cause, else random. The
   * correlation id: the cause's, else the ambient one (`withCorrelationId`), else each event's own id.
   */
  private encodeAll(events: readonly CausedEvent[], cause: EventCause | undefined): EncodedEvent[] {
    const correlationId = cause ? cause.correlationId : activeCorrelationId();
    return events.map(({ eventClass, payload }, index) => {
      const definition = this.definitionOf(eventClass);
      const id = cause ? causedEventId(cause, index, definition.type) : randomUUID();
      const { stream, fields } = this.encode(eventClass, definition, payload, id, correlationId ?? id, cause?.id);
      return { id, stream, type: definition.type, fields };
    });
  }

  private encode(
    eventClass: DomainEventClass,
    definition: DomainEventDefinition,
    payload: object,
    id: string,
    correlationId: string,
    causationId: string | undefined,
  ): { stream: string; fields: string[] } {
    assertPublishable(eventClass, definition.type, payload);
    const key = orderingKey(definition, payload);
    // The partition follows the ordering key, so one key's events stay in one stream, in order;
    // an event without a key goes to a partition by its id.
    const stream = this.topology.streamFor(definition.stream, key ?? id);
    const fields = encodeEnvelope({
      id,
      type: definition.type,
      version: definition.version,
      data: JSON.stringify(payload),
      occurredAt: new Date().toISOString(),
      producer: this.producer,
      correlationId,
      causationId,
      key,
      trace: activeTraceContext(),
    });
    return { stream, fields };
  }

  /**
   * The partition (0-based) an event of `topic` with ordering key `key` goes to; 0 when the
   * topic is not partitioned. E.g. to draw an id that lands in a known partition.
   */
  partitionOf(topic: string, key: string): number {
    return this.topology.streamsOf(topic).indexOf(this.topology.streamFor(topic, key));
  }

  /**
   * The hash tag of the partition stream an event of `topic` with ordering key `key` goes to
   * (`orders` unpartitioned, e.g. `orders.2.41` partitioned): give it to the state keys an atomic
   * step writes together with that event, so they share its slot.
   * @example `checkout:{${publisher.partitionTag(STREAMS.orders, orderId)}}:order:${orderId}`
   */
  partitionTag(topic: string, key: string): string {
    return this.topology.tagFor(topic, key);
  }

  private definitionOf(eventClass: DomainEventClass): DomainEventDefinition {
    let definition = this.definitions.get(eventClass);
    if (definition === undefined) {
      definition = getDomainEvent(eventClass);
      this.definitions.set(eventClass, definition);
    }
    return definition;
  }
}

/** A reply error is Redis refusing the command: passed on as it is. Anything else: RedisClient is away. */
function unavailable(operation: string, error: unknown): Error {
  if (error instanceof RedisUnavailableError) return error;
  return isRedisReplyError(error) ? error : new RedisUnavailableError(operation, error);
}

/** The lease a delivery held, when it was read from a leased partition: what its writes are fenced by. */
function fenceOf(cause: EventCause): StepFence | undefined {
  return cause.leaseToken !== undefined && cause.stream !== undefined
    ? { stream: cause.stream, group: cause.group, token: cause.leaseToken }
    : undefined;
}
