// The one list of builtin rule ids: `.nectr.yml` `rules:` overrides key on these, and the README's
// list of what the engine catches is generated from it. Ids of line rules come from the classes in
// `rules/` (a unit test keeps this list and them in step); the others are reported by the scanners
// in `secrets/` and `syntax/`, which have no class of their own.
import type { Severity } from '../review-engine.js';

export interface CatalogueEntry {
  id: string;
  severity: Severity;
  /** One sentence for the README list. */
  description: string;
}

/** Rules reported by secretlint's recommended preset (mapped in `secrets/secretlint.scanner.ts`). */
export const SCANNER_RULES: CatalogueEntry[] = [
  {
    id: 'secrets/aws-secret-key',
    severity: 'critical',
    description: 'An AWS secret access key assigned to an AWS-named key.',
  },
  {
    id: 'secrets/github-token',
    severity: 'critical',
    description: 'A GitHub token: classic, fine-grained, app (user/server), OAuth or refresh.',
  },
  {
    id: 'secrets/slack-token',
    severity: 'critical',
    description: 'A Slack bot, user, app, configuration or legacy token.',
  },
  { id: 'secrets/slack-webhook', severity: 'high', description: 'A Slack incoming-webhook URL.' },
  { id: 'secrets/private-key', severity: 'critical', description: 'A PEM/OpenSSH private key block with a key in it.' },
  {
    id: 'secrets/gcp-service-account',
    severity: 'critical',
    description: 'A GCP service-account key (JSON with its private key).',
  },
  { id: 'secrets/npm-token', severity: 'critical', description: 'An npm access token or an `.npmrc` `_authToken`.' },
  { id: 'secrets/openai-key', severity: 'critical', description: 'An OpenAI API key.' },
  { id: 'secrets/anthropic-key', severity: 'critical', description: 'An Anthropic API key.' },
  { id: 'secrets/sendgrid-key', severity: 'critical', description: 'A SendGrid API key.' },
  {
    id: 'secrets/database-url',
    severity: 'high',
    description: 'A MongoDB, MySQL or PostgreSQL connection string with a password.',
  },
  { id: 'secrets/basic-auth-url', severity: 'high', description: 'A URL with a user name and password in it.' },
  {
    id: 'secrets/service-token',
    severity: 'critical',
    description: 'Another service token secretlint knows (GitLab, Shopify, Linear, Vault, …).',
  },
];

/** Rules reported by ESLint on the syntax tree of JS/TS files (mapped in `syntax/`). */
export const SYNTAX_RULES: CatalogueEntry[] = [
  {
    id: 'debug/console',
    severity: 'low',
    description: 'A `console` call in application code (JS/TS; not tests or scripts).',
  },
  { id: 'debug/debugger', severity: 'medium', description: 'A `debugger` statement (JS/TS).' },
  {
    id: 'security/eval',
    severity: 'high',
    description: '`eval`, string timers or `new Function` (JS/TS); `eval(` in Python.',
  },
  {
    id: 'tests/focused',
    severity: 'medium',
    description: 'A focused test (`.only`, `fit`, `fdescribe`) in jest or mocha.',
  },
  {
    id: 'tests/skipped',
    severity: 'low',
    description: 'A disabled or pending test (`.skip`, `xit`, `@pytest.mark.skip`).',
  },
  { id: 'comments/todo', severity: 'info', description: 'A TODO/FIXME/XXX comment, in any case.' },
];

/** Old ids that still work in `.nectr.yml`, mapped to the id that replaced them. */
export const RULE_ALIASES: Readonly<Record<string, string>> = {
  // no-console flags every console method, not only log and debug.
  'debug/console-log': 'debug/console',
};

/** Ids of the line rules in `rules/` (kept in step with the classes by load-rules.spec.ts). */
export const LINE_RULE_IDS = [
  'comments/todo',
  'conflict/marker',
  'debug/console',
  'debug/debugger',
  'pr/oversized',
  'secrets/anthropic-key',
  'secrets/aws-access-key',
  'secrets/aws-session-token',
  'secrets/hardcoded-secret',
  'secrets/private-key',
  'secrets/sendgrid-key',
  'secrets/slack-token',
  'secrets/slack-webhook',
  'secrets/stripe-key',
  'secrets/twilio-key',
  'security/eval',
  'security/tls-verification-disabled',
  'tests/focused',
  'tests/skipped',
] as const;

/** Every id a finding of the builtin engine can carry, sorted. */
export const RULE_IDS: readonly string[] = [
  ...new Set([...LINE_RULE_IDS, ...SCANNER_RULES.map((r) => r.id), ...SYNTAX_RULES.map((r) => r.id)]),
].sort();

/** The current id for `id` (itself, or what an alias points to); undefined when unknown. */
export function canonicalRuleId(id: string): string | undefined {
  const target = RULE_ALIASES[id] ?? id;
  return RULE_IDS.includes(target) ? target : undefined;
}
