import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { withCorrelationId } from '@app/eventbus';
import { LoggerModule, type Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { Options as HttpLoggerOptions } from 'pino-http';
import pretty from 'pino-pretty';
import { ServiceConfigError } from './service-config.error.js';

export type LogFormat = 'json' | 'pretty';

/**
 * `LOG_FORMAT`: `json` (one JSON object per line, for a log collector) or `pretty` (for a
 * terminal); unset, `json` when `NODE_ENV=production`, else `pretty`. Anything else throws.
 */
export function logFormatOf(env: Record<string, string | undefined>): LogFormat {
  const format = env.LOG_FORMAT;
  if (format === 'json' || format === 'pretty') return format;
  if (format === undefined || format === '') return env.NODE_ENV === 'production' ? 'json' : 'pretty';
  throw new ServiceConfigError('LOG_FORMAT', `must be json or pretty, got "${format}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL`: the lowest level written; `debug` adds a line per handled delivery. Unset: `info`. */
export function logLevelOf(env: Record<string, string | undefined>): LogLevel {
  const level = env.LOG_LEVEL;
  if (level === undefined || level === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new ServiceConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
}

/** A caller's `x-request-id` is kept when it is a plain token; anything else (long, odd characters) is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@+=/-]{1,128}$/;

/**
 * The request's id: its `x-request-id` when sane, else a new UUID; set once on `req.id` and echoed
 * in the response header. Both pino-http and the correlation middleware ask, in either order.
 */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  req.id = id;
  res.setHeader('x-request-id', id);
  return id;
}

/** Polled by probes, scrapers and dashboards: a request line each would drown the log. */
const QUIET_PATHS = /^\/(?:health|metrics|streams\/)/;

function loggerParams(format: LogFormat, level: LogLevel): Params {
  const options: HttpLoggerOptions = {
    level,
    genReqId: requestIdOf,
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
    // A request line says what was asked and how it ended; headers (tokens, cookies) stay out.
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  return {
    pinoHttp:
      format === 'json'
        ? { ...options, formatters: { level: (label) => ({ level: label }) }, timestamp: stdTimeFunctions.isoTime }
        : // Synchronous like pino's own stdout, so the last lines before an exit are not lost.
          [
            options,
            pretty({
              sync: true,
              singleLine: true,
              translateTime: 'SYS:HH:MM:ss.l',
              ignore: 'pid,hostname,context',
              messageFormat: '{if context}[{context}] {end}{msg}',
            }),
          ],
    // Nest's own `Logger` (the bus logs through it) reaches pino here, its structured params as fields.
    nativeLogger: { flattenParams: true },
  };
}

/**
 * Every app logs through pino (nestjs-pino), one request line per HTTP request with its request id,
 * and runs each request with that id as the ambient correlation id of the events it publishes.
 * `bootstrapService` validates `LOG_FORMAT` before this reads it, and routes Nest's logs here.
 */
@Module({
  imports: [LoggerModule.forRootAsync({ useFactory: () => loggerParams(logFormatOf(process.env), logLevelOf(process.env)) })],
})
export class ServiceLoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: IncomingMessage, res: ServerResponse, next: () => void) => withCorrelationId(requestIdOf(req, res), next))
      .forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
