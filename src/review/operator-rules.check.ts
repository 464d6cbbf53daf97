import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { repoConfigConfig } from '../config/index.js';
import { unknownRuleIds } from './apply-repo-config.js';

/**
 * Warns at boot about ids under `rules:` in the operator's REPO_CONFIG_DEFAULTS that no finding can
 * carry (a typo changes nothing). A repository's own are named in its reviews instead.
 */
@Injectable()
export class OperatorRulesCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('RepoConfig');

  constructor(@Inject(repoConfigConfig.KEY) private readonly settings: ConfigType<typeof repoConfigConfig>) {}

  onApplicationBootstrap(): void {
    const defaults = this.settings.defaults;
    if (!defaults?.rules) return;
    const ids = unknownRuleIds({ rules: defaults.rules, custom_rules: defaults.custom_rules ?? [] });
    if (ids.length === 0) return;
    this.logger.warn(
      `REPO_CONFIG_DEFAULTS (${this.settings.defaultsPath}) sets ${ids.map((id) => `rules.${id}`).join(', ')}, ` +
        `but Nectr has no such rule, so ${ids.length === 1 ? 'it changes' : 'they change'} nothing`,
    );
  }
}
