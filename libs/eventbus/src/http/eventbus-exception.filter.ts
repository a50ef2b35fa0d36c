import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { EventValidationError } from '../errors/event-validation.error.js';
import { RedisUnavailableError } from '../errors/redis-unavailable.error.js';

/** Redis being away is a 503 the caller may retry; an event breaking its contract is a 400. */
@Catch(RedisUnavailableError, EventValidationError)
export class EventBusExceptionFilter implements ExceptionFilter {
  catch(error: RedisUnavailableError | EventValidationError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof EventValidationError) {
      response.status(HttpStatus.BAD_REQUEST).json({ statusCode: 400, error: 'Bad Request', message: error.problems });
      return;
    }
    response
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .json({ statusCode: 503, error: 'Service Unavailable', message: 'Redis is unavailable; nothing was written, retry later' });
  }
}
