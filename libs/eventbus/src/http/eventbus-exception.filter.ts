import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request } from 'express';
import { EventValidationError } from '../errors/event-validation.error.js';
import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';
import { UnknownStreamGroupError } from '../errors/unknown-stream-group.error.js';
import { isRedisUnavailable } from '../redis/redis.errors.js';

/** `Retry-After` of every 503: long enough for a reconnect or a failover, short for a client. */
const RETRY_AFTER_SECONDS = 5;

/** Methods that write nothing, whose 503 has no write outcome to report. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One mapping of the bus's failures to HTTP for a whole app, whichever controller or service met
 * them: Redis unreachable, timed out or refusing writes (`RedisUnavailableError`, or a raw ioredis
 * error) → 503 with `reason` and `Retry-After`; `EventValidationError` → 400;
 * `UnknownStreamGroupError` → 404. Every other error, and every `HttpException`, is answered as
 * Nest's own filter would (any 503 also gets `Retry-After`). The library installs it nowhere: the
 * app does.
 *
 * @example
 * app.useGlobalFilters(new EventBusExceptionFilter(app.getHttpAdapter()));
 * // or, in the app's module: providers: [{ provide: APP_FILTER, useClass: EventBusExceptionFilter }]
 */
@Catch()
export class EventBusExceptionFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    const exception = error instanceof HttpException ? error : busException(error, host.switchToHttp().getRequest<Request>());
    if (exception?.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) {
      const adapter = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
      adapter?.setHeader(host.switchToHttp().getResponse(), 'Retry-After', String(RETRY_AFTER_SECONDS));
    }
    super.catch(exception ?? error, host);
  }
}

function busException(error: unknown, request: Request): HttpException | undefined {
  if (error instanceof EventValidationError) return new BadRequestException(error.problems);
  if (error instanceof UnknownStreamGroupError) return new NotFoundException(error.message);
  if (!isRedisUnavailable(error)) return undefined;
  const unavailable = error instanceof RedisUnavailableError ? error : new RedisUnavailableError('a request', error);
  const writes = !SAFE_METHODS.has(request.method);
  const outcome = unavailable.maybeApplied ? 'unknown' : 'not-applied';
  const cause = unavailable.refusal ? `Redis refuses writes (${unavailable.refusal})` : 'Redis is unreachable';
  const advice = !writes
    ? 'retry later'
    : unavailable.maybeApplied
      ? 'the write may have been applied: check before retrying'
      : 'nothing was written, retry later';
  return new ServiceUnavailableException(
    {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      reason: unavailable.refusal ? 'redis-refuses-writes' : 'redis-unreachable',
      ...(unavailable.refusal && { redisError: unavailable.refusal }),
      message: `${cause}: ${advice}`,
      ...(writes && { outcome }),
    },
    { cause: error },
  );
}
