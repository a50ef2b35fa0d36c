import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ChainableCommander, Redis } from 'ioredis';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { encodeEnvelope } from '../envelope/envelope.codec.js';
import { getDomainEvent } from '../envelope/domain-event.registry.js';
import { toValidEvent } from '../envelope/event.validator.js';
import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';
import { isRedisReplyError } from '../redis/redis.errors.js';
import type { DomainEventClass } from '../interfaces/domain-event.interface.js';
import type { EventContext } from '../interfaces/event-context.interface.js';
import type { CausedEvent } from './caused-event.js';

export interface PublishOptions {
  /** Event id; pass a deterministic one to make a re-publish recognisable downstream. */
  id?: string;
  /** The event this one answers: its correlation id is carried on, its id becomes the causation id. */
  causedBy?: Pick<EventContext, 'id' | 'correlationId'>;
  /** Correlation id of a new conversation (ignored with `causedBy`). Defaults to the event id. */
  correlationId?: string;
  occurredAt?: Date;
}

/** A validated, encoded event ready for `XADD`, e.g. inside the caller's own MULTI or script. */
export interface PreparedEvent {
  id: string;
  stream: string;
  fields: string[];
}

export interface PublishedEvent {
  id: string;
  stream: string;
  /** Stream entry id Redis assigned. */
  entryId: string;
}

@Injectable()
export class EventPublisher {
  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: Redis,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
  ) {}

  /** Validates and encodes; throws `EventValidationError` and touches nothing when invalid. */
  prepare<T extends object>(eventClass: DomainEventClass<T>, payload: T, options: PublishOptions = {}): PreparedEvent {
    const { type, stream, version, key } = getDomainEvent(eventClass);
    const event = toValidEvent(eventClass, type, payload, true);
    const id = options.id ?? randomUUID();
    const fields = encodeEnvelope({
      id,
      type,
      version,
      data: JSON.stringify(event),
      occurredAt: (options.occurredAt ?? new Date()).toISOString(),
      producer: this.config.service,
      correlationId: options.causedBy?.correlationId ?? options.correlationId ?? id,
      causationId: options.causedBy?.id,
      key: key === undefined ? undefined : String((payload as Record<string, unknown>)[key]),
    });
    return { id, stream, fields };
  }

  /** Publishes one event; resolves once Redis has it, or rejects with `RedisUnavailableError`. */
  async publish<T extends object>(
    eventClass: DomainEventClass<T>,
    payload: T,
    options?: PublishOptions,
  ): Promise<PublishedEvent> {
    const prepared = this.prepare(eventClass, payload, options);
    try {
      const entryId = await this.redis.xadd(prepared.stream, '*', ...prepared.fields);
      return { id: prepared.id, stream: prepared.stream, entryId: entryId as string };
    } catch (error) {
      if (isRedisReplyError(error)) throw error;
      throw new RedisUnavailableError('publish', error);
    }
  }

  /** Stand-in until the publisher rewrite lands: ids derived from the cause and the group. */
  async publishCaused(events: readonly CausedEvent[], cause: EventContext): Promise<void> {
    await Promise.all(
      events.map((event, index) =>
        this.publish(event.eventClass, event.payload, { id: `${cause.id}:${cause.group}:${index}`, causedBy: cause }),
      ),
    );
  }

  /**
   * Queues the event's `XADD` on a caller's transaction, so a state change and the event that
   * announces it commit together or not at all. The stream must share the hash tag of the
   * transaction's other keys.
   */
  addTo<T extends object>(
    transaction: ChainableCommander,
    eventClass: DomainEventClass<T>,
    payload: T,
    options?: PublishOptions,
  ): PreparedEvent {
    const prepared = this.prepare(eventClass, payload, options);
    transaction.xadd(prepared.stream, '*', ...prepared.fields);
    return prepared;
  }
}
