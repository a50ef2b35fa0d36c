import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EVENTBUS_CONFIG, EVENTBUS_REDIS } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { deadLetterStream } from '../redis/stream.keys.js';
import { StreamTopologyRegistry } from '../redis/stream-topology.registry.js';
import { RETENTION_LOCK_KEY } from './retention.keys.js';
import { trimStreamOnce, type TrimResult } from './trim-stream.script.js';

/** Entries removed per stream per run at most: one script call stays short; the rest goes next run. */
export const MAX_REMOVED_PER_RUN = 10_000;

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
    @Inject(EVENTBUS_REDIS) private readonly redis: Redis,
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
      results.push(
        await trimStreamOnce(this.redis, stream, {
          maxLength: retention.maxLength,
          hardMaxLength: retention.hardMaxLength,
          maxAgeMs: retention.maxAgeMs,
          maxRemoved: MAX_REMOVED_PER_RUN,
          groups,
        }),
      );
      for (const group of groups) {
        const bound = retention.deadLetterMaxLength;
        const deadLetters = deadLetterStream(stream, group);
        const bounds = { maxLength: bound, hardMaxLength: bound, maxAgeMs: retention.maxAgeMs, maxRemoved: MAX_REMOVED_PER_RUN };
        results.push(await trimStreamOnce(this.redis, deadLetters, { ...bounds, groups: [] }));
      }
    }
    const trimmed = results.filter((result) => result.trimmed > 0);
    // Past the hard cap, a group lost entries it never acknowledged: that deserves a warning.
    const lostAny = trimmed.some((result) => Object.keys(result.lost).length > 0);
    if (trimmed.length > 0) this.logger[lostAny ? 'warn' : 'log'](retentionLine(trimmed));
    return results;
  }
}

function retentionLine(results: TrimResult[]): string {
  const parts = results.map(({ stream, trimmed, lost }) => {
    const losses = Object.entries(lost).map(([group, count]) => `${group} lost ${count}`);
    return `${stream} ${trimmed}${losses.length > 0 ? ` (past the hard cap: ${losses.join(', ')})` : ''}`;
  });
  return `Retention removed ${results.reduce((sum, result) => sum + result.trimmed, 0)} entries: ${parts.join('; ')}`;
}
