import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { Logger } from 'nestjs-pino';
import type { ProcessRole } from './config/app.config.js';
import { appConfig, assertConfig, ConfigError } from './config/index.js';

/**
 * Node's default for an error nobody caught prints it with every property, and a Redis client's
 * errors carry the command they answered (AUTH with its password). Print the stack alone, then
 * exit as Node would: the process is in a state nothing planned for, and a supervisor restarts it.
 */
function exitOnUncaught(kind: string) {
  return (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    // redis-parser's class for an error reply: say where it came from.
    const hint =
      error instanceof Error && error.name === 'ReplyError' ? ' (an error reply from Redis: check REDIS_URL)' : '';
    console.error(`Nectr stopped on an ${kind}${hint}: ${text}`);
    process.exit(1);
  };
}
process.on('uncaughtException', exitOnUncaught('uncaught exception'));
process.on('unhandledRejection', exitOnUncaught('unhandled rejection'));

async function bootstrap(): Promise<void> {
  let role: ProcessRole;
  try {
    assertConfig();
    role = appConfig().role;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  // Imported once the configuration is known to be good: importing the app builds ormconfig's
  // DataSource, whose driver throws on a malformed DATABASE_URL before the line naming it is printed.
  const { AppModule } = await import('./app.module.js');
  const { configureApp } = await import('./app.setup.js');
  const app = await NestFactory.create(AppModule.forRole(role), {
    bodyParser: false,
    bufferLogs: true,
    // Nest's default would print the buffered lines through its console logger when creation fails
    // (a database that refuses the connection: five colored stack traces and the driver's error
    // object, in production too). Kept back instead: the one line below says why it stopped, and
    // once the app exists they go to pino as JSON.
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  configureApp(app);
  app.enableShutdownHooks();
  await app.listen(config.port);
  app.get(Logger).log(`Nectr listening on port ${config.port} (role ${config.role}, env ${config.env})`);
}

bootstrap().catch((error: unknown) => {
  // A configuration found wrong only once connected (SECRETS_KEY against the stored secrets): one line, as above.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`Nectr failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
