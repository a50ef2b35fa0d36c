import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { EventBusConfig } from '../eventbus.options.js';
import { decodeEnvelope, type EventEnvelope } from '../envelope/envelope.codec.js';
import { flatRecord } from '../redis/flat-record.js';
import { toValidEvent } from '../envelope/event.validator.js';
import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';
import { HandlerTimeoutError } from '../errors/handler-timeout.error.js';
import type { EventContext } from '../interfaces/event-context.interface.js';
import { isNoGroupError } from '../redis/redis.errors.js';
import { deadLetterStream } from '../redis/stream.keys.js';
import { reconnectDelay, whenReady } from '../redis/redis.factory.js';
import { ensureGroup } from '../redis/stream.topology.js';
import type { EventBusMetrics } from '../metrics/eventbus.metrics.js';
import { removeDeadConsumers } from './dead-consumers.js';
import type { RegisteredHandler } from './registered-handler.js';
import { retryDelay } from './retry.backoff.js';
import type { AutoClaimReply, PendingRow, ReadGroupReply, StreamEntry } from './stream-entry.js';

type Outcome = 'ack' | 'retry' | 'dead';

export type DeadLetterReason = 'undecodable' | 'invalid' | 'handler-failed' | 'max-deliveries';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads one stream through this service's consumer group and runs the handlers of its event types.
 *
 * Order of work per turn: retries that are due, entries idle on dead consumers, then new entries.
 * An entry is acknowledged only after its handler returned; a failure leaves it pending and
 * schedules a retry with backoff; the last allowed failure, an undecodable entry or an invalid
 * payload moves it to the group's dead-letter stream in the same MULTI as its acknowledgement.
 */
export class StreamConsumer {
  private readonly logger: Logger;
  private readonly group: string;
  private readonly retries = new Map<string, { dueAt: number; deliveries: number }>();
  private loop?: Promise<void>;
  private stopping = false;
  private blocked = false;
  private healthy = false;
  private nextClaimAt = 0;
  private claimCursor = '0-0';

  constructor(
    private readonly stream: string,
    private readonly handlers: ReadonlyMap<string, RegisteredHandler>,
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly config: EventBusConfig,
    private readonly metrics: EventBusMetrics,
  ) {
    this.group = config.service;
    this.logger = new Logger(`EventBus ${stream}`);
  }

  /** True while the loop reads without errors. */
  get isHealthy(): boolean {
    return this.healthy && !this.stopping;
  }

  start(): void {
    this.loop = this.run();
  }

  /**
   * Stops reading and waits (bounded) for the handlers in flight to finish and be acknowledged.
   * A blocked read is cut short: whatever it had been handed stays pending, never acknowledged
   * unhandled, and is re-read by the restart or claimed by another instance.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.blocked) this.reader.disconnect();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.config.shutdownTimeoutMs)));
    await Promise.race([this.loop, timeout]);
    clearTimeout(timer);
    this.reader.disconnect();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await whenReady(this.reader, this.config.commandTimeoutMs);
        await ensureGroup(this.redis, this.stream, this.group);
        await this.recoverOwnPending();
        this.healthy = true;
        while (!this.stopping) {
          await this.retryDue();
          await this.claimIdle();
          const entries = await this.readNew();
          this.healthy = true;
          failures = 0;
          if (entries.length > 0) await this.process(entries, () => 1);
        }
      } catch (error) {
        if (this.stopping) break;
        this.healthy = false;
        failures += 1;
        const delay = reconnectDelay(failures);
        if (isNoGroupError(error)) {
          // The stream or group vanished (FLUSHALL, eviction, an operator's DEL): recreate it
          // from the declared topology rather than stop consuming.
          this.logger.error(`Consumer group "${this.group}" on "${this.stream}" is gone; recreating it`);
        } else {
          this.logger.warn(`Reading failed (${(error as Error).message}); retrying in ${delay} ms`);
        }
        await sleep(delay);
      }
    }
  }

  /** Entries this consumer was handed before a restart and never acknowledged come first. */
  private async recoverOwnPending(): Promise<void> {
    let cursor = '0';
    while (!this.stopping) {
      const entries = await this.read(cursor, false);
      if (entries.length === 0) return;
      cursor = entries[entries.length - 1][0];
      const deliveries = await this.deliveryCounts(entries);
      await this.process(entries, (id) => deliveries.get(id) ?? 1);
    }
  }

  private async readNew(): Promise<StreamEntry[]> {
    this.blocked = true;
    try {
      return await this.read('>', true);
    } finally {
      this.blocked = false;
    }
  }

  private async read(id: string, block: boolean): Promise<StreamEntry[]> {
    const head = ['GROUP', this.group, this.config.consumer, 'COUNT', this.config.batchSize] as const;
    const reply = (
      block
        ? await this.reader.xreadgroup(...head, 'BLOCK', this.blockFor(), 'STREAMS', this.stream, id)
        : await this.reader.xreadgroup(...head, 'STREAMS', this.stream, id)
    ) as ReadGroupReply;
    return reply?.[0]?.[1] ?? [];
  }

  /** Block no longer than until the next retry is due, so retries are not late by a whole block. */
  private blockFor(): number {
    let next = this.config.blockMs;
    for (const { dueAt } of this.retries.values()) next = Math.min(next, dueAt - Date.now());
    return Math.max(1, Math.ceil(next));
  }

  private async retryDue(): Promise<void> {
    const now = Date.now();
    const due: string[] = [];
    const deliveries = new Map<string, number>();
    for (const [id, retry] of this.retries) {
      if (retry.dueAt > now || due.length >= this.config.batchSize) continue;
      due.push(id);
      deliveries.set(id, retry.deliveries + 1);
      this.retries.delete(id);
    }
    if (due.length === 0) return;
    // XCLAIM to ourselves counts a new delivery; an entry another consumer took meanwhile
    // (or that was deleted) is simply not returned.
    const entries = (await this.redis.xclaim(this.stream, this.group, this.config.consumer, 0, ...due)) as StreamEntry[];
    await this.process(entries, (id) => deliveries.get(id) ?? 1);
  }

  /**
   * Takes over entries left idle by consumers that died; once per half idle period, after a full
   * pass, removes the consumers that are gone and hold nothing.
   */
  private async claimIdle(): Promise<void> {
    if (Date.now() < this.nextClaimAt) return;
    const reply = (await this.redis.xautoclaim(
      this.stream,
      this.group,
      this.config.consumer,
      this.config.claimIdleMs,
      this.claimCursor,
      'COUNT',
      this.config.batchSize,
    )) as AutoClaimReply;
    this.claimCursor = reply[0];
    if (this.claimCursor === '0-0') {
      this.nextClaimAt = Date.now() + this.config.claimIdleMs / 2;
      const removed = await removeDeadConsumers(
        this.redis,
        this.stream,
        this.group,
        this.config.consumer,
        this.config.deadConsumerIdleMs,
      );
      if (removed.length > 0) this.logger.log(`Removed consumers gone for over ${this.config.deadConsumerIdleMs} ms: ${removed.join(', ')}`);
    }
    const entries = reply[1].filter((entry) => entry[1] !== null);
    if (entries.length === 0) return;
    for (const [id] of entries) this.retries.delete(id);
    this.logger.warn(`Claimed ${entries.length} entries idle for over ${this.config.claimIdleMs} ms`);
    const deliveries = await this.deliveryCounts(entries);
    await this.process(entries, (id) => deliveries.get(id) ?? 1);
  }

  /** Deliveries so far of entries now ours (`XPENDING` over their id range, for this consumer). */
  private async deliveryCounts(entries: StreamEntry[]): Promise<Map<string, number>> {
    const rows = (await this.redis.xpending(
      this.stream,
      this.group,
      entries[0][0],
      entries[entries.length - 1][0],
      // Entries waiting for a retry may sit in the same id range: leave room for them.
      entries.length + this.retries.size,
      this.config.consumer,
    )) as PendingRow[];
    return new Map(rows.map(([id, , , deliveries]) => [id, Number(deliveries)]));
  }

  private async process(entries: StreamEntry[], deliveriesOf: (id: string) => number): Promise<void> {
    const heartbeat = this.keepClaimed(entries.map(([id]) => id));
    // The batch's handlers all start now, so one timer bounds each of them.
    const deadline = this.deadline();
    try {
      const outcomes = await Promise.all(entries.map((entry) => this.handle(entry, deliveriesOf(entry[0]), deadline.expired)));
      const acks = entries.filter((_, i) => outcomes[i] === 'ack').map(([id]) => id);
      if (acks.length > 0) await this.redis.xack(this.stream, this.group, ...acks);
    } finally {
      clearInterval(heartbeat);
      deadline.clear();
    }
  }

  /** A promise that rejects with `HandlerTimeoutError` once the handler timeout has passed. */
  private deadline(): { expired: Promise<never>; clear(): void } {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HandlerTimeoutError(this.config.handlerTimeoutMs)), this.config.handlerTimeoutMs);
    });
    expired.catch(() => undefined); // observed by the handlers' races, not an unhandled rejection
    return { expired, clear: () => clearTimeout(timer) };
  }

  /**
   * A slow but live handler must not lose its entries to another consumer's claim: resetting
   * their idle time (XCLAIM JUSTID to ourselves, which does not count a delivery) every third
   * of the claim period keeps them ours until we acknowledge or give up.
   */
  private keepClaimed(ids: string[]): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.redis
        .xclaim(this.stream, this.group, this.config.consumer, 0, ...ids, 'JUSTID')
        .catch((error: Error) => this.logger.warn(`Could not extend the claim on in-flight entries: ${error.message}`));
    }, Math.max(1, Math.floor(this.config.claimIdleMs / 3)));
    timer.unref();
    return timer;
  }

  private async handle([entryId, fields]: StreamEntry, deliveries: number, deadline: Promise<never>): Promise<Outcome> {
    if (fields === null) return 'ack'; // deleted from the stream while pending: nothing to handle
    const map = flatRecord<string>(fields);
    // A redriven entry is meant for the group that dead-lettered it; the others had it already.
    if (map.redriveFor && map.redriveFor !== this.group) return 'ack';
    let envelope: EventEnvelope;
    let payload: unknown;
    try {
      envelope = decodeEnvelope(entryId, fields);
      payload = parseJson(entryId, envelope.data);
    } catch (error) {
      return this.deadLetter(entryId, fields, map.type, 'undecodable', error, deliveries);
    }
    const handler = this.handlers.get(envelope.type);
    if (!handler) return 'ack'; // another service's event type on a shared stream
    if (deliveries > this.config.maxDeliveries) {
      return this.deadLetter(entryId, fields, map.type, 'max-deliveries', undefined, deliveries);
    }
    let event: object;
    try {
      event = toValidEvent(handler.eventClass, envelope.type, payload, false);
    } catch (error) {
      return this.deadLetter(entryId, fields, map.type, 'invalid', error, deliveries);
    }
    const context: EventContext = {
      id: envelope.id,
      type: envelope.type,
      version: envelope.version,
      occurredAt: envelope.occurredAt,
      producer: envelope.producer,
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      stream: this.stream,
      entryId,
      group: this.group,
      deliveries,
      signal: new AbortController().signal,
    };
    try {
      await Promise.race([handler.invoke(event, context), deadline]);
      this.metrics.handled(this.stream, this.group, envelope.type, 'ack');
      return 'ack';
    } catch (error) {
      this.logger.error(
        `${handler.name} failed on ${envelope.type} ${envelope.id} (entry ${entryId}, delivery ${deliveries}/${this.config.maxDeliveries}): ${(error as Error).message}`,
      );
      if (deliveries >= this.config.maxDeliveries) {
        return this.deadLetter(entryId, fields, map.type, 'handler-failed', error, deliveries);
      }
      this.metrics.handled(this.stream, this.group, envelope.type, 'retry');
      const delay = retryDelay(deliveries, this.config.retryBaseMs, this.config.retryMaxMs);
      this.retries.set(entryId, { dueAt: Date.now() + delay, deliveries });
      return 'retry';
    }
  }

  /** Copies the entry, stamped with why, to the dead-letter stream and acknowledges it: one MULTI. */
  private async deadLetter(
    entryId: string,
    fields: string[],
    type: string | undefined,
    reason: DeadLetterReason,
    error: unknown,
    deliveries: number,
  ): Promise<Outcome> {
    const message = error instanceof Error ? error.message : '';
    this.logger.error(`Dead-lettering entry ${entryId} of ${this.stream} (${reason}${message ? `: ${message}` : ''})`);
    const results = await this.redis
      .multi()
      .xadd(
        deadLetterStream(this.stream, this.group),
        '*',
        ...fields,
        'deadLetter.reason', reason,
        'deadLetter.error', message,
        'deadLetter.stream', this.stream,
        'deadLetter.entryId', entryId,
        'deadLetter.group', this.group,
        'deadLetter.deliveries', String(deliveries),
        'deadLetter.at', new Date().toISOString(),
      )
      .xack(this.stream, this.group, entryId)
      .exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('dead-letter transaction aborted');
    this.metrics.handled(this.stream, this.group, type ?? 'unknown', 'dead');
    return 'dead';
  }
}

function parseJson(entryId: string, data: string): unknown {
  try {
    return JSON.parse(data);
  } catch (error) {
    throw new EnvelopeDecodeError(entryId, `data is not JSON (${(error as Error).message})`);
  }
}
