import type { EventEnvelope } from '../envelope/envelope.codec.js';
import type { EventContext } from '../interfaces/event-context.interface.js';
import type { HandlerResult } from '../publisher/caused-event.js';
import type { RegisteredHandler } from '../discovery/registered-handler.js';

/** The fields of every log line about a delivery (see `Delivery.logFields`). */
export interface DeliveryLogFields {
  eventId: string | null;
  correlationId: string | null;
  type: string | null;
  stream: string;
  group: string;
  entryId: string;
  deliveries: number;
}

/** What an attempt that was timed out and replaced by a retry sees as its signal. */
const SUPERSEDED = AbortSignal.abort(new Error('this attempt timed out and was superseded by a retry'));

/**
 * One stream entry on its way through the pipeline, whatever brought it (a new read, this
 * consumer's own pending entries, a claim from a dead consumer): the entry and how many times
 * Redis has delivered it so far. Middleware fill in what they learn (envelope, handler, event).
 */
export class Delivery {
  envelope?: EventEnvelope;
  handler?: RegisteredHandler;
  event?: object;
  /** What the handler returned: the events it causes. */
  result?: HandlerResult;
  /** Handler failures so far that led to a retry (for metrics and logs). */
  failures = 0;
  /** Set when another consumer took the entry over: this one must not retry it. */
  lost = false;
  /** The fencing token of the partition lease this entry was read under; absent without leases. */
  leaseToken?: number;
  /** Counts the handler's attempts in this process (a retry after an outage spends no delivery). */
  attempt = 1;
  private controller?: AbortController;
  private abortReason?: unknown;

  constructor(
    readonly stream: string,
    readonly group: string,
    readonly entryId: string,
    readonly fields: readonly string[],
    /** Deliveries so far as Redis counts them, this one included. */
    public deliveries: number,
    /** Fires when the consumer stops: waits end, nothing new starts. */
    readonly shutdown: AbortSignal,
  ) {}

  /** The current attempt's signal; made on first use, since most handlers never ask for it. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Tells the running handler to give up (timeout, shutdown). */
  abort(reason: unknown): void {
    this.abortReason ??= reason;
    this.controller?.abort(reason);
  }

  /** A new attempt after a retry starts with a fresh signal. */
  nextAttempt(deliveries: number): void {
    this.deliveries = deliveries;
    this.attempt += 1;
    this.controller = undefined;
    this.abortReason = undefined;
  }

  /** What the handler sees besides the event, for the current attempt. */
  context(): EventContext {
    return new DeliveryContext(this, this.envelope!);
  }

  /**
   * For log lines, as structured fields (JSON fields with nestjs-pino, `{ … }` after the message
   * with Nest's console logger): which event, which entry. Null where the entry was not decoded.
   */
  logFields(): DeliveryLogFields {
    const envelope = this.envelope;
    return {
      eventId: envelope?.id ?? null,
      correlationId: envelope?.correlationId ?? null,
      type: envelope?.type ?? null,
      stream: this.stream,
      group: this.group,
      entryId: this.entryId,
      deliveries: this.deliveries,
    };
  }

  /** For log lines: which entry, which event. */
  describe(): string {
    const type = this.envelope?.type ?? 'entry';
    const id = this.envelope ? ` ${this.envelope.id}` : '';
    return `${type}${id} (entry ${this.entryId} of ${this.stream}, group ${this.group}, delivery ${this.deliveries})`;
  }
}

/**
 * A class rather than an object literal with a getter: built once per attempt on the hot path, and
 * V8 keeps class instances fast where literal accessors are not.
 */
class DeliveryContext implements EventContext {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly producer: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly key?: string;
  readonly stream: string;
  readonly entryId: string;
  readonly group: string;
  readonly deliveries: number;
  readonly leaseToken?: number;
  readonly #delivery: Delivery;
  readonly #attempt: number;

  constructor(delivery: Delivery, envelope: EventEnvelope) {
    this.id = envelope.id;
    this.type = envelope.type;
    this.version = envelope.version;
    this.occurredAt = envelope.occurredAt;
    this.producer = envelope.producer;
    this.correlationId = envelope.correlationId;
    this.causationId = envelope.causationId;
    this.key = envelope.key;
    this.stream = delivery.stream;
    this.entryId = delivery.entryId;
    this.group = delivery.group;
    this.deliveries = delivery.deliveries;
    this.leaseToken = delivery.leaseToken;
    this.#delivery = delivery;
    this.#attempt = delivery.attempt;
  }

  /** Tied to its attempt: a timed-out attempt still running must not see the retry's fresh signal. */
  get signal(): AbortSignal {
    return this.#delivery.attempt === this.#attempt ? this.#delivery.signal : SUPERSEDED;
  }
}
