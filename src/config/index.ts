import { appConfig } from './app.config.js';
import { databaseConfig } from './database.config.js';
import { eventsConfig } from './events.config.js';
import { githubConfig } from './github.config.js';
import { redisConfig } from './redis.config.js';
import { repoConfigConfig } from './repo-config.config.js';
import { reviewConfig } from './review.config.js';
import { secretsConfig } from './secrets.config.js';
import { webhooksConfig } from './webhooks.config.js';

export { ConfigError } from './validate-env.js';
export {
  appConfig,
  databaseConfig,
  eventsConfig,
  githubConfig,
  redisConfig,
  repoConfigConfig,
  reviewConfig,
  secretsConfig,
  webhooksConfig,
};

export const allConfigs = [
  appConfig,
  databaseConfig,
  redisConfig,
  githubConfig,
  secretsConfig,
  reviewConfig,
  eventsConfig,
  webhooksConfig,
  repoConfigConfig,
];

/** Runs every namespace once so a bad value stops the boot before anything starts. */
export function assertConfig(): void {
  for (const load of allConfigs) load();
}
