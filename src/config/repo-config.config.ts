import { registerAs } from '@nestjs/config';
import { IsOptional, IsString } from 'class-validator';
import { readFileSync } from 'node:fs';
import { parseConfig, problemsLine } from '../repo-config/repo-config.parser.js';
import type { RepoConfigFile } from '../repo-config/repo-config.schema.js';
import { ConfigError, validateEnv } from './validate-env.js';

class RepoConfigEnv {
  /** Path to a YAML file of `.nectr.yml`'s schema: the operator's defaults for every repository. */
  @IsOptional() @IsString() REPO_CONFIG_DEFAULTS?: string = undefined;
}

/**
 * The operator's defaults are read and validated once, at boot: unlike a repository's file, a broken
 * one stops the boot, since the operator is there to fix it and every review would carry the error.
 */
export const repoConfigConfig = registerAs('repoConfig', (): { defaultsPath?: string; defaults?: RepoConfigFile } => {
  const path = validateEnv(RepoConfigEnv).REPO_CONFIG_DEFAULTS;
  if (!path) return {};
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
    throw new ConfigError(`Invalid configuration: REPO_CONFIG_DEFAULTS ${problemsLine(parsed.problems, path)}`);
  return { defaultsPath: path, defaults: parsed.file };
});
