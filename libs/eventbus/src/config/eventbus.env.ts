import { plainToInstance, Type } from 'class-transformer';
import { IsDefined, IsInt, IsIP, IsOptional, Matches, Max, Min, ValidateIf, validateSync } from 'class-validator';
import { EventBusConfigError } from '../errors/eventbus-config.error.js';
import { MAX_PARTITIONS } from '../partitions/partition.streams.js';
import type { EventBusModuleOptions } from '../interfaces/eventbus-options.interface.js';
import { parseSentinels } from '../redis/sentinel.options.js';

/** Shorter admin tokens are accepted, with a warning at start-up: they are easy to guess. */
export const ADMIN_TOKEN_RECOMMENDED_LENGTH = 16;

/**
 * The environment every app of the bus reads. Use `validateEventBusEnv` as @nestjs/config's
 * `validate`: a bad value stops start-up with the variable's name, never a silent fallback.
 */
export class EventBusEnv {
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Seed nodes of a Redis Cluster; when set, `REDIS_URL` is not used. */
  @IsOptional()
  @Matches(/^rediss?:\/\/[^\s,]+(,\s*rediss?:\/\/[^\s,]+)*$/, {
    message: 'REDIS_CLUSTER_NODES must be comma-separated redis:// or rediss:// URLs',
  })
  REDIS_CLUSTER_NODES?: string;
  /** Sentinel: both or neither; with them, `REDIS_URL` gives only the data nodes' user, password and TLS. */
  @ValidateIf((env: EventBusEnv) => env.REDIS_SENTINELS !== undefined || env.REDIS_SENTINEL_MASTER !== undefined)
  @Matches(/^[^,\s]+:\d{1,5}(,[^,\s]+:\d{1,5})*$/, { message: 'REDIS_SENTINELS must be comma-separated host:port pairs' })
  REDIS_SENTINELS?: string;

  @ValidateIf((env: EventBusEnv) => env.REDIS_SENTINELS !== undefined || env.REDIS_SENTINEL_MASTER !== undefined)
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, {
    message: 'REDIS_SENTINEL_MASTER must be the master name, 1-100 characters of [A-Za-z0-9._-]',
  })
  REDIS_SENTINEL_MASTER?: string;

  @IsOptional()
  @Matches(/^\S{1,512}$/, { message: 'REDIS_SENTINEL_PASSWORD must be 1-512 characters without spaces' })
  REDIS_SENTINEL_PASSWORD?: string;

  /** Replicas that must acknowledge a write (WAIT) before it is reported done: required with Sentinel, else 0. */
  @ValidateIf((env: EventBusEnv) => env.REDIS_SENTINELS !== undefined || env.EVENTBUS_MIN_REPLICA_ACKS !== undefined)
  @IsDefined({
    message: 'EVENTBUS_MIN_REPLICA_ACKS is required with REDIS_SENTINELS: set it to the number of replicas',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  EVENTBUS_MIN_REPLICA_ACKS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60_000)
  EVENTBUS_REPLICA_ACK_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65_535)
  PORT?: number;

  /** Interface the HTTP server binds; loopback unless told otherwise. */
  @IsOptional()
  @IsIP(undefined, { message: 'HOST must be an IP address such as 127.0.0.1 or 0.0.0.0' })
  HOST?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  EVENTBUS_CLAIM_IDLE_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EVENTBUS_MAX_DELIVERIES?: number;

  /** Any bearer token (RFC 6750 characters); `ADMIN_TOKEN_RECOMMENDED_LENGTH` or more is advised. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._~+/-]+=*$/, { message: 'EVENTBUS_ADMIN_TOKEN must be a bearer token: letters, digits and -._~+/ only' })
  EVENTBUS_ADMIN_TOKEN?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'EVENTBUS_CONSUMER must be 1-100 characters of [A-Za-z0-9._:-]' })
  EVENTBUS_CONSUMER?: string;

  /** Sliding window over which rates and each group's status are judged. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  EVENTBUS_LAG_WINDOW_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  EVENTBUS_RETENTION_MAX_LENGTH?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(31_536_000_000)
  EVENTBUS_RETENTION_MAX_AGE_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  EVENTBUS_RETENTION_INTERVAL_MS?: number;

  /** The hard cap: a stream is trimmed to this length even past a group's unacknowledged entries. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  EVENTBUS_RETENTION_HARD_MAX_LENGTH?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  EVENTBUS_DEAD_LETTER_MAX_LENGTH?: number;

  /** Partitions of each partitioned topic; the same in every app of the system (checked at start-up). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'EVENTBUS_PARTITIONS must be an integer from 1 to 256' })
  @Min(1, { message: 'EVENTBUS_PARTITIONS must be an integer from 1 to 256' })
  @Max(MAX_PARTITIONS, { message: 'EVENTBUS_PARTITIONS must be an integer from 1 to 256' })
  EVENTBUS_PARTITIONS?: number;

  /** How long a partition lease lasts unrenewed: a dead instance's partitions move within about this long. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(300)
  @Max(600_000)
  EVENTBUS_LEASE_MS?: number;
}

export function validateEventBusEnv(env: Record<string, unknown>): EventBusEnv {
  const known = Object.fromEntries(EVENTBUS_ENV_VARIABLES.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = plainToInstance(EventBusEnv, known);
  const errors = validateSync(parsed, { stopAtFirstError: true });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new EventBusConfigError(errors.map((error) => error.property).join(', '), problems.join('; '));
  }
  return parsed;
}

/** The module options the environment sets; the app adds its service name and topology. */
export function eventBusOptionsFromEnv(env: EventBusEnv): Partial<EventBusModuleOptions> {
  return {
    ...(env.REDIS_CLUSTER_NODES
      ? { cluster: { nodes: env.REDIS_CLUSTER_NODES.split(',').map((node) => node.trim()) } }
      : { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379' }),
    ...(env.REDIS_SENTINELS && {
      sentinel: {
        sentinels: parseSentinels('REDIS_SENTINELS', env.REDIS_SENTINELS),
        name: env.REDIS_SENTINEL_MASTER ?? '',
        password: env.REDIS_SENTINEL_PASSWORD,
      },
    }),
    minReplicaAcks: env.EVENTBUS_MIN_REPLICA_ACKS,
    replicaAckTimeoutMs: env.EVENTBUS_REPLICA_ACK_TIMEOUT_MS,
    consumer: env.EVENTBUS_CONSUMER,
    claimIdleMs: env.EVENTBUS_CLAIM_IDLE_MS,
    maxDeliveries: env.EVENTBUS_MAX_DELIVERIES,
    adminToken: env.EVENTBUS_ADMIN_TOKEN,
    lagWindowMs: env.EVENTBUS_LAG_WINDOW_MS,
    leaseMs: env.EVENTBUS_LEASE_MS,
    retention: {
      maxLength: env.EVENTBUS_RETENTION_MAX_LENGTH,
      maxAgeMs: env.EVENTBUS_RETENTION_MAX_AGE_MS,
      intervalMs: env.EVENTBUS_RETENTION_INTERVAL_MS,
      hardMaxLength: env.EVENTBUS_RETENTION_HARD_MAX_LENGTH,
      deadLetterMaxLength: env.EVENTBUS_DEAD_LETTER_MAX_LENGTH,
    },
  };
}

/** The variable names, as an object whose keys can be listed at run time. */
class EventBusEnvKeys implements Record<keyof EventBusEnv, undefined> {
  REDIS_URL = undefined;
  REDIS_CLUSTER_NODES = undefined;
  REDIS_SENTINELS = undefined;
  REDIS_SENTINEL_MASTER = undefined;
  REDIS_SENTINEL_PASSWORD = undefined;
  EVENTBUS_MIN_REPLICA_ACKS = undefined;
  EVENTBUS_REPLICA_ACK_TIMEOUT_MS = undefined;
  PORT = undefined;
  HOST = undefined;
  EVENTBUS_CLAIM_IDLE_MS = undefined;
  EVENTBUS_MAX_DELIVERIES = undefined;
  EVENTBUS_ADMIN_TOKEN = undefined;
  EVENTBUS_CONSUMER = undefined;
  EVENTBUS_LAG_WINDOW_MS = undefined;
  EVENTBUS_RETENTION_MAX_LENGTH = undefined;
  EVENTBUS_RETENTION_MAX_AGE_MS = undefined;
  EVENTBUS_RETENTION_INTERVAL_MS = undefined;
  EVENTBUS_RETENTION_HARD_MAX_LENGTH = undefined;
  EVENTBUS_DEAD_LETTER_MAX_LENGTH = undefined;
  EVENTBUS_PARTITIONS = undefined;
  EVENTBUS_LEASE_MS = undefined;
}

/** Every variable `EventBusEnv` reads. */
export const EVENTBUS_ENV_VARIABLES = Object.keys(new EventBusEnvKeys()) as (keyof EventBusEnv)[];
