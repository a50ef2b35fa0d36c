import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { deadLetterStream } from '../redis/stream.keys.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import { RETENTION_LOCK_KEY } from './retention.keys.js';
import { trimStreamOnce, type TrimBounds, type TrimResult } from './trim-stream.script.js';

/**
 * Entries one script call removes at most: RedisClient runs nothing else during a script, so each call
 * stays short (a few ms); other clients' commands get in between calls.
 */
export const MAX_REMOVED_PER_CALL = 10_000;
/**
 * Calls per stream per run at most (so at most 1,000,000 entries per stream per run); the rest
 * goes next run. A bound per call alone would let one run go on for ever behind a fast producer;
 * a bound of one call per run would cap what retention keeps up with at 10,000 entries per
 * interval (1,000 entries/s at the default interval), below what one publisher writes.
 */
export const MAX_CALLS_PER_RUN = 100;

/**
 * Retention: every `retention.intervalMs`, the app that takes the lock trims every declared stream
 * (by age and length, never past what a declared group has not acknowledged, except past the hard
 * cap) and every dead-letter stream. The lock is left to expire after one interval, so the whole
 * system runs retention about once per interval whichever apps run; two runs that overlap anyway
 * (a run longer than the interval) are still safe, each stream being trimmed by one atomic script.
 */
@Injectable()
export class StreamTrimmer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventBus');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(EVENTBUS_REDIS) private readonly redis: RedisClient,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
    private readonly topology: StreamTopologyRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.retention.enabled) return;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce()
        .catch((error: unknown) => this.logger.warn(`Retention run failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.retention.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * One run, if this instance gets the lock: returns what each stream lost (streams that lost
   * nothing included), or `undefined` when another instance holds the lock.
   */
  async runOnce(): Promise<TrimResult[] | undefined> {
    const { retention, consumer } = this.config;
    const locked = await this.redis.set(RETENTION_LOCK_KEY, consumer, 'PX', retention.intervalMs, 'NX');
    if (locked !== 'OK') return undefined;
    const results: TrimResult[] = [];
    for (const [stream, groups] of this.topology.entries()) {
      const { maxLength, hardMaxLength, maxAgeMs, deadLetterMaxLength } = retention;
      results.push(await this.trim(stream, { maxLength, hardMaxLength, maxAgeMs, groups }));
      for (const group of groups) {
        const bounds = { maxLength: deadLetterMaxLength, hardMaxLength: deadLetterMaxLength, maxAgeMs, groups: [] };
        results.push(await this.trim(deadLetterStream(stream, group), bounds));
      }
    }
    const trimmed = results.filter((result) => result.trimmed > 0);
    // Past the hard cap, a group lost entries it never acknowledged: that deserves a warning.
    const lostAny = trimmed.some((result) => Object.keys(result.lost).length > 0);
    if (trimmed.length > 0) this.logger[lostAny ? 'warn' : 'log'](retentionLine(trimmed));
    return results;
  }

  /** One stream, call after call while each removes its maximum; the counts added up. */
  private async trim(stream: string, bounds: Omit<TrimBounds, 'maxRemoved'>): Promise<TrimResult> {
    const total: TrimResult = { stream, trimmed: 0, lost: {} };
    for (let call = 0; call < MAX_CALLS_PER_RUN; call++) {
      const { trimmed, lost } = await trimStreamOnce(this.redis, stream, { ...bounds, maxRemoved: MAX_REMOVED_PER_CALL });
      total.trimmed += trimmed;
      for (const [group, count] of Object.entries(lost)) total.lost[group] = (total.lost[group] ?? 0) + count;
      if (trimmed < MAX_REMOVED_PER_CALL) break;
    }
    return total;
  }
}

function retentionLine(results: TrimResult[]): string {
  const parts = results.map(({ stream, trimmed, lost }) => {
    const losses = Object.entries(lost).map(([group, count]) => `${group} lost ${count}`);
    return `${stream} ${trimmed}${losses.length > 0 ? ` (past the hard cap: ${losses.join(', ')})` : ''}`;
  });
  return `Retention removed ${results.reduce((sum, result) => sum + result.trimmed, 0)} entries: ${parts.join('; ')}`;
}
