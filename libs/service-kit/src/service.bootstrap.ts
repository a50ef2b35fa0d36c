import { Logger, ValidationPipe, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EventBusConfigError, EventBusExceptionFilter, validateEventBusEnv, type EventBusEnv } from '@app/eventbus';
import { NativeLogger } from 'nestjs-pino';
import { bodyDepthLimit } from './json-depth.limit.js';
import { ServiceConfigError } from './service-config.error.js';
import { logFormatOf, logLevelOf } from './service.logging.js';
import { ReservedKeysPipe } from './reserved-keys.pipe.js';

/** Beyond the bus's own bound on in-flight handlers, a stop that still hangs is forced. */
const FORCED_EXIT_MS = 20_000;

/**
 * Runs Nest's shutdown hooks on SIGTERM/SIGINT (consumers stop reading, in-flight handlers finish
 * and are acknowledged, connections close), then exits 0. Nest's own `enableShutdownHooks` would
 * re-raise the signal after closing and so exit 143, which supervisors read as a crash.
 */
function closeOnSignals(app: NestExpressApplication): void {
  const stop = (signal: NodeJS.Signals) => {
    Logger.log(`${signal} received, shutting down`, 'Shutdown');
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        Logger.error(`Shutdown failed: ${error.message}`, 'Shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Request bodies are small JSON documents; anything larger is refused with 413 before parsing. */
const BODY_LIMIT = '64kb';

/**
 * Our bodies nest 3 deep (`items[].sku`); anything past this is refused with 400 before a pipe
 * sees it, as class-transformer and class-validator walk a body recursively (JSON.parse itself
 * does not recurse).
 */
const BODY_MAX_DEPTH = 32;

/**
 * Starts one service the same way everywhere: strict request validation (unknown fields are an
 * error), a body size and depth limit, the bus's failures mapped to HTTP (`EventBusExceptionFilter`:
 * Redis away or refusing writes → 503), a clean exit on SIGTERM/SIGINT, and `HOST`:`PORT`
 * (default 127.0.0.1 and the service's port).
 */
export async function bootstrapService(module: Type, defaultPort: number): Promise<NestExpressApplication | undefined> {
  let env: EventBusEnv;
  try {
    env = validateEventBusEnv(process.env);
    logFormatOf(process.env);
    logLevelOf(process.env);
  } catch (error) {
    // A configuration mistake is the operator's to fix: say which variable, without a stack trace.
    if (!(error instanceof EventBusConfigError || error instanceof ServiceConfigError)) throw error;
    Logger.error(error.message, 'Configuration');
    process.exitCode = 1;
    return undefined;
  }
  // Start-up logs wait for pino (`ServiceLoggingModule`) instead of going to Nest's console logger;
  // `rawBody`: the parser keeps the bytes it read, for the depth check right after it.
  const app = await NestFactory.create<NestExpressApplication>(module, { bodyParser: false, bufferLogs: true, rawBody: true });
  app.useLogger(app.get(NativeLogger));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(bodyDepthLimit(BODY_MAX_DEPTH));
  app.useGlobalFilters(new EventBusExceptionFilter(app.getHttpAdapter()));
  app.useGlobalPipes(
    new ReservedKeysPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  closeOnSignals(app);
  const port = env.PORT ?? defaultPort;
  const host = env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  Logger.log(`Listening on http://${host}:${port}`, module.name);
  return app;
}
