// Secrets through secretlint's recommended preset, run over a file's added lines only: a secret
// that was already in the file is not this pull request's doing. The preset brings its own
// placeholder lists (AWS's documentation keys, `xxxx` tokens); `isPlaceholder` adds ours.
import { extname } from 'node:path';
import { lintSource } from '@secretlint/core';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import type { DiffLine } from '../../../diff/patch.js';
import type { Finding } from '../../review-engine.js';
import { SCANNER_RULES } from '../catalogue.js';
import { mask } from '../rule.js';
import { isPlaceholder } from './placeholder.js';
import { disableSecretlintProfiler } from './secretlint-profiler.js';

type LintOptions = Parameters<typeof lintSource>[0];

disableSecretlintProfiler();

// The preset's rules one by one, less the one that honours `secretlint-disable` comments: the
// author of the pull request under review could hide the secret it commits. Like ESLint's inline
// config, such comments are ignored. (A preset's `rules: [{ id, disabled }]` is not applied by
// @secretlint/core 12, hence the list.)
const FILTER_COMMENTS = '@secretlint/secretlint-rule-filter-comments';
const CONFIG: LintOptions['options']['config'] = {
  rules: recommendedRules
    .filter((rule) => rule.meta.id !== FILTER_COMMENTS)
    .map((rule) => ({ id: rule.meta.id, rule })),
};

// secretlint rule (or rule:messageId) -> Nectr rule id and what to call the secret.
const KINDS: Record<string, [string, string]> = {
  'aws:AWSSecretAccessKey': ['secrets/aws-secret-key', 'AWS secret access key'],
  // The preset reports key ids only with its ID scan on, which also flags account numbers: key ids
  // are the line rule `secrets/aws-access-key`.
  'aws:AWSAccessKeyID': ['secrets/aws-access-key', 'AWS access key id'],
  github: ['secrets/github-token', 'GitHub token'],
  'slack:SLACK_TOKEN': ['secrets/slack-token', 'Slack token'],
  // secretlint's message id for webhooks is `IncomingWebhook` (its tokens' is `SLACK_TOKEN`).
  'slack:IncomingWebhook': ['secrets/slack-webhook', 'Slack webhook URL'],
  privatekey: ['secrets/private-key', 'Private key'],
  gcp: ['secrets/gcp-service-account', 'GCP service-account key'],
  npm: ['secrets/npm-token', 'npm token'],
  openai: ['secrets/openai-key', 'OpenAI API key'],
  anthropic: ['secrets/anthropic-key', 'Anthropic API key'],
  sendgrid: ['secrets/sendgrid-key', 'SendGrid API key'],
  'database-connection-string': ['secrets/database-url', 'Database password'],
  basicauth: ['secrets/basic-auth-url', 'Password in a URL'],
};
// secretlint's Slack pattern takes any dash-separated word (`xoxb-abcdef-abcdef`); real tokens carry
// a workspace or user id of eight digits or more, or are app tokens (`xapp-1-A…-123…-…`).
const SLACK_SHAPE = /-\d{8,}(?:-|$)|^xapp-\d-[A-Z0-9]+-\d+/;
const SEVERITY = new Map(SCANNER_RULES.map((rule) => [rule.id, rule.severity]));

function kindOf(ruleId: string, messageId: string | undefined): [string, string] {
  const short = ruleId.replace('@secretlint/secretlint-rule-', '');
  return KINDS[`${short}:${messageId}`] ?? KINDS[short] ?? ['secrets/service-token', `${short} token`];
}

/** Findings for the secrets secretlint sees in `added` (one finding per rule and line). */
export async function scanSecrets(path: string, added: DiffLine[]): Promise<Finding[]> {
  if (added.length === 0) return [];
  const source: LintOptions['source'] = {
    filePath: path,
    // Rules tell file types apart by `ext` alone (the GCP rule parses `.json` files as key files);
    // secretlint leaves it empty when not given. Never `.p12`: for that its GCP rule reads
    // `filePath` from this server's disk, and a binary file has no patch to scan anyway.
    ext: extname(path).toLowerCase() === '.p12' ? '' : extname(path),
    content: added.map((l) => l.text).join('\n'),
    contentType: 'text',
  };
  const result = await lintSource({ source, options: { config: CONFIG, maskSecrets: false } });
  const findings = new Map<string, Finding>();
  const lineIndexAt = lineIndexer(source.content);
  for (const message of result.messages) {
    const [ruleId, label] = kindOf(message.ruleId, message.messageId);
    const secret = source.content.slice(message.range[0], message.range[1]);
    // A token that runs on into a mask (`xoxp-…-####`) is a masked example.
    const tail = source.content.slice(message.range[1], message.range[1] + 4);
    if (isPlaceholder(secret + tail) || (ruleId === 'secrets/slack-token' && !SLACK_SHAPE.test(secret))) continue;
    // By offset, not secretlint's `loc`: it also breaks lines at a lone \r, U+2028 and U+2029,
    // where the patch (and so `added`) does not, and a secret after one landed a line or more late.
    const line = added[lineIndexAt(message.range[0])]?.line;
    if (line === undefined || findings.has(`${ruleId}:${line}`)) continue;
    findings.set(`${ruleId}:${line}`, {
      ruleId,
      severity: SEVERITY.get(ruleId) ?? 'critical',
      path,
      line,
      message: secretMessage(label, secret),
    });
  }
  return [...findings.values()];
}

/** The 0-based index of the `\n`-separated line holding each offset of `text`. */
function lineIndexer(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
}

/** The comment on a committed secret: masked, and what to do about it. */
export function secretMessage(label: string, secret: string): string {
  return (
    `${label} \`${mask(secret)}\` committed. Treat it as leaked (it stays in the git history): ` +
    'revoke or rotate it, then load it from the environment or a secrets manager.'
  );
}
