/** Metadata key set by `@DomainEvent` on an event class. */
export const DOMAIN_EVENT_METADATA = 'eventbus:domain_event';
/** Metadata key set by `@HandleEvent` on a provider method. */
export const EVENT_HANDLER_METADATA = 'eventbus:event_handler';

/** Injection token of the shared, non-blocking ioredis connection (commands, publishing, state). */
export const EVENTBUS_REDIS = Symbol('EVENTBUS_REDIS');
/** Injection token of the resolved, validated module options. */
export const EVENTBUS_CONFIG = Symbol('EVENTBUS_CONFIG');

/** Entries read per `XREADGROUP` and so the bound on entries in flight per consumer. */
export const DEFAULT_BATCH_SIZE = 100;
/** How long one `XREADGROUP` blocks waiting for new entries. Bounds how quickly a stop is noticed. */
export const DEFAULT_BLOCK_MS = 2_000;
/** Idle time after which a delivered, unacknowledged entry may be claimed by another consumer. */
export const DEFAULT_CLAIM_IDLE_MS = 30_000;
/** A consumer idle this long that holds no pending entry is gone, and is removed from its group. */
export const DEFAULT_DEAD_CONSUMER_IDLE_MS = 300_000;
/** Deliveries after which an entry that keeps failing goes to the dead-letter stream. */
export const DEFAULT_MAX_DELIVERIES = 5;
/** A handler still running after this long counts as failed. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 30_000;
/** How long a stop waits for in-flight handlers before leaving their entries pending. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** Bound on any single non-blocking Redis command, so a publish never hangs a request. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;
/** How long a write waits for its replica acknowledgements (`WAIT`) before it is reported unknown. */
export const DEFAULT_REPLICA_ACK_TIMEOUT_MS = 1_000;
/** First retry delay of a failed entry; doubles per delivery, with full jitter. */
export const DEFAULT_RETRY_BASE_MS = 500;
/** Ceiling of the retry delay; below the claim idle time, so a retry is not taken for a crash. */
export const DEFAULT_RETRY_MAX_MS = 10_000;

/**
 * How long a partition's lease lasts without a renewal: a dead instance's partitions move to
 * another within about this long. Renewed every third of it.
 */
export const DEFAULT_LEASE_MS = 5_000;

/** Window over which the lag view judges rates and status. */
export const DEFAULT_LAG_WINDOW_MS = 60_000;

export const DEFAULT_RETENTION_MAX_LENGTH = 1_000_000;
export const DEFAULT_RETENTION_MAX_AGE_MS = 604_800_000;
export const DEFAULT_RETENTION_INTERVAL_MS = 10_000;
export const DEFAULT_RETENTION_HARD_MAX_LENGTH = 10_000_000;
export const DEFAULT_DEAD_LETTER_MAX_LENGTH = 100_000;
