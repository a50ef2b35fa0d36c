import { Logger } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import type { RegisteredHandler } from '../discovery/registered-handler.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { causedEvents, type PublishCaused } from '../middleware/caused-events.middleware.js';
import { deadLetter } from '../middleware/dead-letter.middleware.js';
import { decode } from '../middleware/decode.middleware.js';
import { lanes } from '../middleware/lanes.middleware.js';
import { logContext } from '../middleware/log-context.middleware.js';
import { handlerTimer, metrics, type HandledRecorder } from '../middleware/metrics.middleware.js';
import { redriveFilter } from '../middleware/redrive-filter.middleware.js';
import { retry } from '../middleware/retry.middleware.js';
import { route } from '../middleware/route.middleware.js';
import { timeout } from '../middleware/timeout.middleware.js';
import { traceContinuation } from '../middleware/trace.middleware.js';
import { validate } from '../middleware/validate.middleware.js';
import { invokeHandler } from '../pipeline/invoke.js';
import { compose } from '../pipeline/middleware.js';
import { ClaimKeeper } from '../transport/claim.keeper.js';
import { IdleClaimer } from '../transport/idle.claimer.js';
import { OutcomeWriter, type WriterLease } from '../transport/outcome.writer.js';
import { takeOverPending } from '../leases/pending.takeover.js';
import { StreamReader } from '../transport/stream.reader.js';
import { ConsumerLoop } from './consumer.loop.js';

/** Past the block time, a read that has not answered is taken for a dead socket and cut. */
const READ_WATCHDOG_GRACE_MS = 10_000;

export interface ConsumerDependencies {
  config: EventBusConfig;
  /** The shared command connection (writes, scripts). */
  redis: RedisClient;
  /** A connection of the consumer's own for its blocking reads. */
  readerConnection: RedisClient;
  recorder: HandledRecorder;
  publishCaused: PublishCaused;
  /**
   * Creates whatever is missing of the declared topology, this consumer's group among it: a group
   * found gone (NOGROUP after a FLUSHALL) comes back together with those of services not running.
   */
  restoreTopology(): Promise<void>;
}

/** The partition lease a consumer reads under (see `PartitionCoordinator`). */
export interface ConsumerLease extends WriterLease {
  token: number;
}

/**
 * Assembles one stream's consumer: transport parts and the policy pipeline, outermost first.
 * Under a lease, acknowledgements and dead letters are fenced, deliveries carry the lease's token
 * (for fenced atomic steps), and the previous holder's pending entries are taken over first.
 */
export function createConsumer(
  stream: string,
  handlers: ReadonlyMap<string, RegisteredHandler>,
  deps: ConsumerDependencies,
  lease?: ConsumerLease,
): ConsumerLoop {
  const { config, redis } = deps;
  const group = config.service;
  const logger = new Logger(`EventBus ${stream}`);
  const stopping = new AbortController();
  const writer = new OutcomeWriter(redis, stream, group, config.consumer, stopping.signal, logger, lease);
  const pipeline = compose(
    [
      metrics(deps.recorder),
      logContext(logger),
      deadLetter,
      decode,
      redriveFilter,
      route(handlers),
      traceContinuation(),
      validate,
      lanes(),
      retry({ ...config, retake: (delivery, deliveries) => writer.retake(delivery, deliveries), logger }),
      causedEvents(deps.publishCaused),
      handlerTimer(deps.recorder),
      timeout(config.handlerTimeoutMs),
    ],
    invokeHandler,
  );
  return new ConsumerLoop({
    stream,
    group,
    window: config.batchSize,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    reader: new StreamReader(deps.readerConnection, stream, group, config.consumer, config.blockMs, READ_WATCHDOG_GRACE_MS),
    claimer: new IdleClaimer(redis, stream, group, config.consumer, config, logger),
    keeper: new ClaimKeeper(redis, stream, group, config.consumer, config.claimIdleMs, logger),
    writer,
    pipeline,
    stopping,
    leaseToken: lease?.token,
    ensureGroup: async () => {
      await deps.restoreTopology();
      if (!lease) return;
      // Its own pending entries count too (a restart under the same name): only others' are news.
      const claimed = await takeOverPending(redis, stream, group, config.consumer);
      if (claimed > 0) logger.log(`Claimed ${claimed} entries pending in ${stream} for ${group} at lease token ${lease.token}`);
    },
    logger,
  });
}
