import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { StreamLagService } from '../lag/stream-lag.service.js';
import type { HandledRecorder, HandleOutcome } from '../middleware/metrics.middleware.js';

const GROUP_LABELS = ['stream', 'group'] as const;

/**
 * The app's Prometheus registry. Stream gauges are read from Redis at scrape time, so they show
 * every group, including those of apps that are not running.
 */
@Injectable()
export class EventBusMetrics implements HandledRecorder {
  readonly registry = new Registry();

  // Registered first: its collect hook refreshes all stream gauges in one XINFO round, before
  // the registry serialises the ones registered after it.
  private readonly lag = new Gauge({
    name: 'eventbus_stream_lag',
    help: 'Entries of the stream not yet delivered to the group',
    labelNames: GROUP_LABELS,
    registers: [this.registry],
    collect: () => this.refresh(),
  });
  private readonly length = this.gauge('eventbus_stream_length', 'Entries in the stream', ['stream']);
  private readonly pending = this.gauge('eventbus_stream_pending', 'Delivered to the group, not acknowledged');
  private readonly consumers = this.gauge('eventbus_stream_consumers', 'Consumers registered in the group');
  private readonly deadLetters = this.gauge('eventbus_dead_letters', "Entries in the group's dead-letter stream");
  private readonly handledTotal = new Counter({
    name: 'eventbus_events_handled_total',
    help: 'Entries handled by this instance, by outcome (ack, retry, dead)',
    labelNames: ['stream', 'group', 'type', 'outcome'],
    registers: [this.registry],
  });

  private readonly handledChildren = new Map<string, { inc(value?: number): void }>();

  constructor(private readonly lagService: StreamLagService) {
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

  private gauge(name: string, help: string, labelNames: readonly string[] = GROUP_LABELS): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  private async refresh(): Promise<void> {
    const report = await this.lagService.report();
    for (const gauge of [this.lag, this.length, this.pending, this.consumers, this.deadLetters]) gauge.reset();
    for (const stream of report.streams) {
      this.length.set({ stream: stream.stream }, stream.length);
      for (const group of stream.groups) {
        const labels = { stream: stream.stream, group: group.group };
        this.lag.set(labels, group.lag);
        this.pending.set(labels, group.pending);
        this.consumers.set(labels, group.consumers);
        this.deadLetters.set(labels, group.deadLetters);
      }
    }
  }
}
