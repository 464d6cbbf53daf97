import { describe, expect, it } from '@jest/globals';
import { scanSecrets } from './secretlint.scanner.js';

// Tokens are assembled at run time so that no scanner (ours included) flags this file.
const join = (...parts: string[]) => parts.join('');
const GITHUB = join('ghp_', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx');
const SLACK_APP = join(
  'xapp-1-',
  'A0123456789-1234567890123-',
  'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
);
const lines = (...texts: string[]) => texts.map((text, i) => ({ line: 10 + i * 2, text }));

describe('scanSecrets (secretlint recommended preset)', () => {
  it("ignores secretlint-disable comments: the pull request's author cannot hide its own secret", async () => {
    const findings = await scanSecrets(
      'src/config.py',
      lines('# secretlint-disable', `token = "${GITHUB}"  # secretlint-disable-line`),
    );
    expect(findings.map(({ ruleId, line }) => [ruleId, line])).toEqual([['secrets/github-token', 12]]);
  });

  it("maps secretlint's reports to Nectr rule ids on the right lines, masked", async () => {
    const findings = await scanSecrets(
      'src/config.ts',
      lines('const a = 1;', `const token = "${GITHUB}";`, `slack: ${SLACK_APP}`),
    );
    expect(findings.map(({ ruleId, line, severity }) => [ruleId, line, severity])).toEqual([
      ['secrets/github-token', 12, 'critical'],
      ['secrets/slack-token', 14, 'critical'],
    ]);
    for (const f of findings) {
      expect(f.message).not.toContain(GITHUB.slice(4, 12));
      expect(f.message).not.toContain(SLACK_APP.slice(5, 20));
    }
  });

  it('reports AWS secret keys, database URLs with a password and basic-auth URLs', async () => {
    const findings = await scanSecrets(
      'deploy/app.env',
      lines(
        join('AWS_SECRET_ACCESS_KEY=', 'Hx8nT0b1qV7fJk2LmN3pQr4sTu5vWx6yZa7bCd8e'),
        join('DATABASE_URL=postgres://app:', 'Vt9#kq2Lm@db.internal:5432/shop'),
        join('MIRROR=https://deploy:', 's3cr3tPassw0rd@mirror.acme.io/pkg'),
      ),
    );
    expect(findings.map((f) => f.ruleId).sort()).toEqual(
      expect.arrayContaining(['secrets/aws-secret-key', 'secrets/database-url', 'secrets/basic-auth-url']),
    );
  });

  it('puts a secret on its own line after a U+2028 or a lone \\r in an earlier line', async () => {
    const findings = await scanSecrets(
      'src/config.py',
      lines('sep = "a\u2028b"', 'mac = "c\rd"', `token = "${GITHUB}"`),
    );
    expect(findings.map(({ ruleId, line }) => [ruleId, line])).toEqual([['secrets/github-token', 14]]);
  });

  it("drops placeholders: AWS's documentation key, x-filled tokens, templates", async () => {
    const findings = await scanSecrets(
      'README.md',
      lines(
        join('aws_secret_access_key = ', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
        join('token: ghp_', 'x'.repeat(36)),
        'url: postgres://user:${DB_PASSWORD}@db/app',
      ),
    );
    expect(findings).toEqual([]);
  });

  it('reports a Slack incoming webhook as secrets/slack-webhook (high), never as another service token', async () => {
    const hook = join('https://hooks.slack.com/services/', 'T0A1B2C3D/', 'B4E5F6G7H/', 'q8R9s0T1u2V3w4X5y6Z7a8B9');
    const findings = await scanSecrets('src/notify.ts', lines(`const url = '${hook}';`));
    expect(findings.map(({ ruleId, line, severity }) => [ruleId, line, severity])).toEqual([
      ['secrets/slack-webhook', 10, 'high'],
    ]);
    expect(findings[0].message).not.toContain('q8R9s0T1');
  });

  it('reports a GCP service-account key file as secrets/gcp-service-account', async () => {
    const body = Array.from({ length: 20 }, (_, i) => `MIIEv${i}QIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7`).join(
      '\\n',
    );
    const key = [
      '{',
      '  "type": "service_account",',
      '  "project_id": "acme-prod",',
      '  "private_key_id": "3f2a9c1d7e5b4a6f8c0d1e2f3a4b5c6d7e8f9a0b",',
      `  "private_key": "${join('-----BEGIN ', 'PRIVATE KEY-----')}\\n${body}\\n${join('-----END ', 'PRIVATE KEY-----')}\\n",`,
      '  "client_email": "ci@acme-prod.iam.gserviceaccount.com"',
      '}',
    ];
    const findings = await scanSecrets('deploy/ci-key.json', lines(...key));
    expect(findings.map(({ ruleId, line, severity }) => [ruleId, line, severity])).toContainEqual([
      'secrets/gcp-service-account',
      10,
      'critical',
    ]);
  });

  it('returns nothing for a file with no added lines', async () => {
    expect(await scanSecrets('a.txt', [])).toEqual([]);
  });
});
