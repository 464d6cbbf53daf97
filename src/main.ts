import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { appConfig, assertConfig, ConfigError } from './config/index.js';

async function bootstrap(): Promise<void> {
  try {
    assertConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  configureApp(app);
  app.enableShutdownHooks();
  await app.listen(config.port);
  app.get(Logger).log(`Nectr listening on port ${config.port} (role ${config.role}, env ${config.env})`);
}

bootstrap().catch((error: unknown) => {
  console.error(`Nectr failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
