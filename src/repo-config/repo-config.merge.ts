// Defaults, then the operator's REPO_CONFIG_DEFAULTS file, then the repository's `.nectr.yml`:
// each later layer overrides the earlier ones key by key (a list is one value; `rules` merges per
// rule id), and every key remembers which layer it came from.
import { DEFAULT_CONFIG, type RepoConfig, type RepoConfigFile } from '../config/repo-config.schema.js';

export type ConfigSource = 'default' | 'operator' | 'repository';

export interface MergedConfig {
  config: RepoConfig;
  /** Dotted key (`review.max_files`, `rules.debug/console-log`) → the layer its value came from. */
  sources: Record<string, ConfigSource>;
}

const SECTIONS = ['review', 'paths', 'status'] as const;
const TOP_LEVEL = ['enabled', 'custom_rules', 'instructions'] as const;

export function mergeConfig(layers: Array<{ source: ConfigSource; file: RepoConfigFile | undefined }>): MergedConfig {
  const config = structuredClone(DEFAULT_CONFIG);
  const sources: Record<string, ConfigSource> = {};
  for (const section of SECTIONS)
    for (const key of Object.keys(DEFAULT_CONFIG[section])) sources[`${section}.${key}`] = 'default';
  for (const key of TOP_LEVEL) sources[key] = 'default';

  for (const { source, file } of layers) {
    if (!file) continue;
    for (const key of TOP_LEVEL) {
      if (file[key] === undefined) continue;
      (config as unknown as Record<string, unknown>)[key] = file[key];
      sources[key] = source;
    }
    for (const section of SECTIONS) {
      for (const [key, value] of Object.entries(file[section] ?? {})) {
        if (value === undefined) continue;
        (config[section] as Record<string, unknown>)[key] = value;
        sources[`${section}.${key}`] = source;
      }
    }
    for (const [id, value] of Object.entries(file.rules ?? {})) {
      config.rules[id] = value;
      sources[`rules.${id}`] = source;
    }
  }
  return { config, sources };
}
