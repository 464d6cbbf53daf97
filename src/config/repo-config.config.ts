import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { readFileSync } from 'node:fs';
import { describeProblems, parseConfig } from './repo-config.parser.js';
import type { RepoConfigFile } from './repo-config.schema.js';
import { ConfigError, validateEnv } from './validate-env.js';

class RepoConfigEnv {
  /** Path to a YAML file of `.nectr.yml`'s schema: the operator's defaults for every repository. */
  @IsOptional() @IsString() REPO_CONFIG_DEFAULTS?: string = undefined;

  /**
   * How long a repository without `.nectr.yml` is taken to have none before GitHub is asked again:
   * a 404 carries no ETag, so unlike a 304 each one counts against GITHUB_TOKEN's rate limit.
   */
  @IsInt()
  @Min(0)
  @Max(3600)
  REPO_CONFIG_MISSING_TTL_SECONDS: number = 60;
}

/**
 * The operator's defaults are read and validated once, at boot: unlike a repository's file, a broken
 * one stops the boot, since the operator is there to fix it and every review would carry the error.
 */
export const repoConfigConfig = registerAs(
  'repoConfig',
  (): { missingTtlMs: number; defaultsPath?: string; defaults?: RepoConfigFile } => {
    const env = validateEnv(RepoConfigEnv);
    const missingTtlMs = env.REPO_CONFIG_MISSING_TTL_SECONDS * 1000;
    const path = env.REPO_CONFIG_DEFAULTS;
    if (!path) return { missingTtlMs };
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration: REPO_CONFIG_DEFAULTS cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${path}`,
      );
    }
    const parsed = parseConfig(text);
    if (!parsed.ok)
      // Not the review body's line ("the defaults were used instead"): here nothing is used, the boot stops.
      throw new ConfigError(
        `Invalid configuration: REPO_CONFIG_DEFAULTS ${path}: ${describeProblems(parsed.problems)}`,
      );
    return { missingTtlMs, defaultsPath: path, defaults: parsed.file };
  },
);
