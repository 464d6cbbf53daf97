import 'reflect-metadata';
import type { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { ConfigError, databaseConfig, secretsConfig } from './config/index.js';
import type { RekeyReport } from './installations/secrets-rekey.service.js';

type Mode = 'rekey' | 'check' | 'uninstall-unreadable';

/**
 * `npm run secrets:rekey`: re-encrypts every stored webhook secret under SECRETS_KEY, with the
 * processes' own environment (DATABASE_URL, SECRETS_KEY, SECRETS_KEY_PREVIOUS). `--check` writes
 * nothing. `--uninstall-unreadable` first uninstalls the repositories whose secret no key given
 * opens (a key lost for good), to be installed again. Exits 0 once no stored value needs a previous
 * key (SECRETS_KEY_PREVIOUS can go), else 1.
 */
async function rekey(mode: Mode): Promise<number> {
  let secrets: ConfigType<typeof secretsConfig>;
  try {
    databaseConfig();
    secrets = secretsConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  if (secrets.ephemeral) {
    console.error('Invalid configuration: SECRETS_KEY is required to re-encrypt the stored webhook secrets');
    return 1;
  }
  // Imported once the configuration is known to be good, as in main.ts.
  const { SecretsRekeyCommandModule } = await import('./secrets-rekey.module.js');
  const { SecretsRekeyService } = await import('./installations/secrets-rekey.service.js');
  const app = await NestFactory.createApplicationContext(SecretsRekeyCommandModule, {
    logger: false,
    abortOnError: false,
  });
  try {
    const service = app.get(SecretsRekeyService);
    if (mode === 'uninstall-unreadable') {
      const uninstalled = await service.uninstallUnreadable();
      console.log(
        uninstalled.length === 0
          ? 'Every installed repository has a webhook secret a key given opens: nothing uninstalled.'
          : `Uninstalled ${uninstalled.join(', ')}: no key given opens their webhook secrets. Install each again ` +
              '(POST /api/v1/repos/{owner}/{repo}/install), which gives its hook on GitHub a new secret.',
      );
    }
    const checkOnly = mode === 'check';
    const report = checkOnly ? await service.check() : await service.rekey();
    for (const line of describe(report, checkOnly)) console.log(line);
    return report.needPreviousKey === 0 ? 0 : 1;
  } finally {
    await app.close();
  }
}

function describe(report: RekeyReport, checkOnly: boolean): string[] {
  const lines: string[] = [];
  if (!checkOnly)
    lines.push(`Re-encrypted ${report.reencrypted} of ${report.values} stored webhook secrets under SECRETS_KEY.`);
  const refused = report.unreadable.filter((u) => u.active && u.value === 'secret').map((u) => u.fullName);
  if (refused.length > 0)
    lines.push(
      `No key given opens the webhook secret of ${refused.join(', ')}: their deliveries are refused, and ` +
        'no process boots while they are installed. Give the key they were encrypted with in ' +
        'SECRETS_KEY_PREVIOUS; if it is lost for good, rotate their secrets through a running process ' +
        '(POST /api/v1/repos/{owner}/{repo}/install/rotate-secret), or run this with --uninstall-unreadable and ' +
        'install them again.',
    );
  const idle = report.unreadable.length - refused.length;
  if (idle > 0)
    lines.push(
      `${idle} other stored values (previous or pending secrets, uninstalled repositories) open under no key given: ` +
        'a previous secret is not needed past its rotation grace, and the next rotation replaces a pending one.',
    );
  lines.push(
    report.needPreviousKey === 0
      ? 'Every stored webhook secret that a key opens is encrypted under SECRETS_KEY: SECRETS_KEY_PREVIOUS can be removed.'
      : `${report.needPreviousKey} stored webhook secrets still need SECRETS_KEY_PREVIOUS: ` +
          (checkOnly ? 'run npm run secrets:rekey.' : 'they changed while this ran; run it again.'),
  );
  return lines;
}

const mode: Mode = process.argv.includes('--uninstall-unreadable')
  ? 'uninstall-unreadable'
  : process.argv.includes('--check')
    ? 'check'
    : 'rekey';
rekey(mode).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Nectr secrets:rekey failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
