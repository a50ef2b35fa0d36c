import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EVENTBUS_CONFIG } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { TopologyInitializer } from '../runtime/topology.initializer.js';
import { StreamLagService } from './stream-lag.service.js';

/** About twenty samples per window, at most one per 5 s and at least 250 ms apart. */
export function sampleIntervalMs(windowMs: number): number {
  return Math.min(5_000, Math.max(250, Math.floor(windowMs / 20)));
}

/**
 * Samples every stream's counters in the background, so that rates and status have history when
 * someone asks, and restores the declared topology when a stream or group has vanished (a
 * `FLUSHALL`, an operator's `DEL`): every running app does it, so the backlog of a service that is
 * not running stays visible and waits for it. Quiet while Redis is away: the next tick tries again.
 */
@Injectable()
export class LagSampler implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventBus');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly lag: StreamLagService,
    private readonly initializer: TopologyInitializer,
    @Inject(EVENTBUS_CONFIG) private readonly config: EventBusConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), sampleIntervalMs(this.config.lagWindowMs));
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One sample; a tick still running (Redis slow) makes the next one skip. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const snapshots = await this.lag.sample();
      if (this.lag.missesTopology(snapshots)) await this.initializer.restore();
    } catch (error) {
      this.logger.debug(`Lag sample skipped: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
