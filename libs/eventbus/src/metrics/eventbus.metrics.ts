import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EVENTBUS_CONFIG } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { GROUP_STATUSES, type LagReport } from '../lag/stream-lag.interface.js';
import { StreamLagService } from '../lag/stream-lag.service.js';
import type { HandledRecorder, HandleOutcome } from '../middleware/metrics.middleware.js';

const GROUP_LABELS = ['stream', 'group'] as const;

interface Inc {
  inc(value?: number): void;
}
interface Observe {
  observe(value: number): void;
}

/**
 * The app's Prometheus registry: counters and the handler-duration histogram of what this
 * instance did, and gauges of every stream and group read from Redis at scrape time (so they
 * show the groups of apps that are not running too). All Redis-derived gauges are filled by one
 * lag report per scrape, awaited by each of them; with Redis away they are left out and
 * `eventbus_redis_up` is 0, while the process metrics and counters are still served.
 */
@Injectable()
export class EventBusMetrics implements HandledRecorder {
  readonly registry = new Registry();

  private readonly publishedTotal = new Counter({
    name: 'eventbus_events_published_total',
    help: 'Events this instance appended, by stream and event type',
    labelNames: ['stream', 'type'],
    registers: [this.registry],
  });
  private readonly handledTotal = new Counter({
    name: 'eventbus_events_handled_total',
    help: 'Entries handled by this instance, by outcome (ack, retry, dead)',
    labelNames: ['stream', 'group', 'type', 'outcome'],
    registers: [this.registry],
  });
  private readonly handlerSeconds = new Histogram({
    name: 'eventbus_handler_duration_seconds',
    help: 'One run of a handler (each retry is a run), until it returned or threw',
    labelNames: ['stream', 'group', 'type'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly redisUp = this.fromRedis('eventbus_redis_up', 'Whether this scrape could read Redis (1) or not (0)', []);
  private readonly length = this.fromRedis('eventbus_stream_length', 'Entries in the stream', ['stream']);
  private readonly rateIn = this.fromRedis('eventbus_stream_rate_in', 'Entries appended per second over the lag window', [
    'stream',
  ]);
  private readonly trimmed = this.fromRedis('eventbus_stream_trimmed', 'Entries retention removed from the stream', ['stream']);
  private readonly lag = this.fromRedis('eventbus_stream_lag', 'Entries of the stream not yet delivered to the group');
  private readonly pending = this.fromRedis('eventbus_stream_pending', 'Delivered to the group, not acknowledged');
  private readonly consumers = this.fromRedis('eventbus_stream_consumers', 'Consumers registered in the group');
  private readonly deadLetters = this.fromRedis('eventbus_dead_letters', "Entries in the group's dead-letter stream");
  private readonly timeLag = this.fromRedis(
    'eventbus_stream_time_lag_seconds',
    'Age of the oldest entry the group has not acknowledged',
  );
  private readonly rateOut = this.fromRedis(
    'eventbus_stream_rate_out',
    'Entries the group acknowledged per second over the lag window',
  );
  private readonly lost = this.fromRedis('eventbus_stream_lost', 'Entries retention removed before the group acknowledged them');
  private readonly status = this.fromRedis(
    'eventbus_group_status',
    'The group status: 1 on the current one of OK, WARN, STALL, STOP',
    [...GROUP_LABELS, 'status'],
  );

  private readonly handledChildren = new Map<string, Inc>();
  private readonly publishedChildren = new Map<string, Inc>();
  private readonly durationChildren = new Map<string, Observe>();
  private scrape?: Promise<void>;

  constructor(
    private readonly lagService: StreamLagService,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Per-message hot path: label lookups are cached, a hash of four labels per call is not free. */
  handled(stream: string, group: string, type: string, outcome: HandleOutcome, count = 1): void {
    const key = `${stream}\u0000${group}\u0000${type}\u0000${outcome}`;
    let child = this.handledChildren.get(key);
    if (!child) {
      child = this.handledTotal.labels(stream, group, type, outcome);
      this.handledChildren.set(key, child);
    }
    child.inc(count);
  }

  handlerDuration(stream: string, group: string, type: string, seconds: number): void {
    const key = `${stream}\u0000${group}\u0000${type}`;
    let child = this.durationChildren.get(key);
    if (!child) {
      child = this.handlerSeconds.labels(stream, group, type);
      this.durationChildren.set(key, child);
    }
    child.observe(seconds);
  }

  published(stream: string, type: string, count = 1): void {
    const key = `${stream}\u0000${type}`;
    let child = this.publishedChildren.get(key);
    if (!child) {
      child = this.publishedTotal.labels(stream, type);
      this.publishedChildren.set(key, child);
    }
    child.inc(count);
  }

  /** A gauge whose `collect` waits for this scrape's one lag report. */
  private fromRedis(name: string, help: string, labelNames: readonly string[] = GROUP_LABELS): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry], collect: () => this.refresh() });
  }

  /**
   * prom-client calls every metric's `collect` at once: the first call of a scrape starts the
   * report, the others wait for the same one.
   */
  private refresh(): Promise<void> {
    this.scrape ??= this.read().finally(() => (this.scrape = undefined));
    return this.scrape;
  }

  private async read(): Promise<void> {
    let report: LagReport | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Commands time out on their own; this bounds a scrape on a connection the user made without.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('lag report timed out')), 2 * this.config.commandTimeoutMs);
      });
      report = await Promise.race([this.lagService.report(), timeout]);
    } catch {
      report = undefined;
    } finally {
      clearTimeout(timer);
    }
    for (const gauge of this.redisGauges()) gauge.reset();
    this.redisUp.set(report ? 1 : 0);
    if (report) this.fill(report);
  }

  private fill(report: LagReport): void {
    for (const stream of report.streams) {
      const streamLabels = { stream: stream.stream };
      this.length.set(streamLabels, stream.length);
      this.rateIn.set(streamLabels, stream.rateIn);
      this.trimmed.set(streamLabels, stream.trimmed);
      for (const group of stream.groups) {
        const labels = { stream: stream.stream, group: group.group };
        this.lag.set(labels, group.lag);
        this.pending.set(labels, group.pending);
        this.consumers.set(labels, group.consumers);
        this.deadLetters.set(labels, group.deadLetters);
        this.timeLag.set(labels, group.timeLagMs / 1000);
        this.rateOut.set(labels, group.rateOut);
        this.lost.set(labels, group.lost);
        for (const status of GROUP_STATUSES) this.status.set({ ...labels, status }, group.status === status ? 1 : 0);
      }
    }
  }

  private redisGauges(): Gauge[] {
    return [
      this.length,
      this.rateIn,
      this.trimmed,
      this.lag,
      this.pending,
      this.consumers,
      this.deadLetters,
      this.timeLag,
      this.rateOut,
      this.lost,
      this.status,
    ];
  }
}
