import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoConfigConfig } from './repo-config.config.js';
import { ConfigError } from './validate-env.js';

describe('REPO_CONFIG_DEFAULTS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nectr-repo-config-'));
  const saved = process.env.REPO_CONFIG_DEFAULTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.REPO_CONFIG_DEFAULTS;
    else process.env.REPO_CONFIG_DEFAULTS = saved;
  });
  const load = (text?: string) => {
    const path = join(dir, 'defaults.yml');
    if (text !== undefined) writeFileSync(path, text);
    process.env.REPO_CONFIG_DEFAULTS = path;
    return repoConfigConfig();
  };

  it('is optional', () => {
    delete process.env.REPO_CONFIG_DEFAULTS;
    expect(repoConfigConfig()).toEqual({ missingTtlMs: 60_000 });
  });

  it('reads the operator file at boot', () => {
    expect(load('review:\n  max_files: 50\n').defaults).toEqual({ review: { max_files: 50 } });
  });

  it('stops the boot on a broken file, naming the key, line and column', () => {
    expect(() => load('review:\n  max_files: many\n')).toThrow(ConfigError);
    expect(() => load('review:\n  max_files: many\n')).toThrow(
      /REPO_CONFIG_DEFAULTS .*`review.max_files` \(line 2, column 14\)/,
    );
    // The boot stops: the line must not say the defaults were used instead, as a review body does.
    expect(() => load('review:\n  max_files: many\n')).not.toThrow(/defaults were used/);
    process.env.REPO_CONFIG_DEFAULTS = join(dir, 'missing.yml');
    expect(() => repoConfigConfig()).toThrow(/REPO_CONFIG_DEFAULTS cannot be read \(ENOENT\)/);
  });
});
