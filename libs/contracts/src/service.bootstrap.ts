import { Logger, ValidationPipe, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { validateEventBusEnv } from '@app/eventbus';

/** Request bodies are small JSON documents; anything larger is refused with 413 before parsing. */
const BODY_LIMIT = '64kb';

/**
 * Starts one service the same way everywhere: strict request validation (unknown fields are an
 * error), a body-size limit, shutdown hooks for SIGTERM/SIGINT, and `HOST`:`PORT`
 * (default 127.0.0.1 and the service's port).
 */
export async function bootstrapService(module: Type, defaultPort: number): Promise<NestExpressApplication> {
  const env = validateEventBusEnv(process.env);
  const app = await NestFactory.create<NestExpressApplication>(module, { bodyParser: false });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  const port = env.PORT ?? defaultPort;
  const host = env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  Logger.log(`Listening on http://${host}:${port}`, module.name);
  return app;
}
