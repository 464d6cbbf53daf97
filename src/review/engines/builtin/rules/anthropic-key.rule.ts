import { isPlaceholder } from '../secrets/placeholder.js';
import { LineRule, mask } from '../rule.js';

// secretlint's rule knows API keys (`sk-ant-api03-`); admin keys (`sk-ant-admin01-`) manage the
// whole organisation.
const ANTHROPIC = /\bsk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA\b/;

export class AnthropicKeyRule extends LineRule {
  readonly id = 'secrets/anthropic-key';
  readonly severity = 'critical' as const;
  readonly description = 'An Anthropic API or admin key.';

  protected inspect(text: string): string | undefined {
    const key = ANTHROPIC.exec(text)?.[0];
    if (!key || isPlaceholder(key)) return undefined;
    return (
      `Anthropic key \`${mask(key)}\` committed. Revoke it in the Anthropic console, then read it ` +
      'from the environment or a secrets manager.'
    );
  }
}
