import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { EventValidationError } from '../errors/event-validation.error.js';
import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';
import { UnknownStreamGroupError } from '../errors/unknown-stream-group.error.js';

type BusError = RedisUnavailableError | EventValidationError | UnknownStreamGroupError;

/**
 * Redis being away is a 503 the caller may retry; an event breaking its contract is a 400; a
 * stream or group outside the topology is a 404.
 */
@Catch(RedisUnavailableError, EventValidationError, UnknownStreamGroupError)
export class EventBusExceptionFilter implements ExceptionFilter {
  catch(error: BusError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof EventValidationError) {
      response.status(HttpStatus.BAD_REQUEST).json({ statusCode: 400, error: 'Bad Request', message: error.problems });
    } else if (error instanceof UnknownStreamGroupError) {
      response.status(HttpStatus.NOT_FOUND).json({ statusCode: 404, error: 'Not Found', message: error.message });
    } else {
      const message = error.maybeApplied
        ? 'Redis became unreachable while the write was in flight: it may have been applied; retry with the same Idempotency-Key'
        : 'Redis is unavailable; nothing was written, retry later';
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message,
        outcome: error.maybeApplied ? 'unknown' : 'not-applied',
      });
    }
  }
}
