import { TokenRule } from '../rule.js';

// secretlint's rule knows API keys (`sk-ant-api03-`); admin keys (`sk-ant-admin01-`) manage the
// whole organisation.
const ANTHROPIC = /\bsk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA\b/;

export class AnthropicKeyRule extends TokenRule {
  readonly id = 'secrets/anthropic-key';
  readonly severity = 'critical' as const;
  readonly description = 'An Anthropic API or admin key.';
  protected readonly pattern = ANTHROPIC;
  protected readonly label = 'Anthropic key';
  protected readonly revoke = 'Revoke it in the Anthropic console';
}
