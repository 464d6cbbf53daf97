import { describe, expect, it } from '@jest/globals';
import { watchdog } from '../../../../../test/support/watchdog.js';
import { HardcodedSecretRule } from './hardcoded-secret.rule.js';

const check = (text: string, filename = 'src/db.ts') =>
  new HardcodedSecretRule().check({ filename, status: 'modified', additions: 1, deletions: 0 }, [{ line: 4, text }]);

describe('secrets/hardcoded-secret', () => {
  it.each([
    'const password = "hunter22";',
    "  api_key: 'abcd1234efgh',",
    '{ "clientSecret": "s3cr3t-value" }',
    'db = connect(user="app", password="hunter22")',
    'dbPassword := "hunter22"',
    "'secret_key' => 'base64:abcd1234',",
    'const password = "changeme";', // a default password that ships is flagged on purpose
  ])('flags %s', (text) => {
    expect(check(text)).toEqual([
      expect.objectContaining({ ruleId: 'secrets/hardcoded-secret', severity: 'medium', line: 4 }),
    ]);
  });

  it('takes time linear in the line: a long run of dotted or base64url text', () => {
    for (const text of [`x=${'a.'.repeat(50_000)}`, `blob = "${'Ab3_-'.repeat(40_000)}"`]) {
      const started = performance.now();
      expect(check(text, 'config/app.yml')).toEqual([]);
      expect(performance.now() - started).toBeLessThan(500);
    }
    expect(check('db_password = "hunter22"')).toHaveLength(1);
    expect(check('dbPassword: "hunter22"')).toHaveLength(1);
  });

  it('reads a value in time linear in it: long runs of `${` or `{{` that no brace closes', () => {
    // Minutes each with the backtracking patterns of before: the watchdog fails such a hang.
    expect(watchdog(10_000, () => check(`password = "(${'s)s${'.repeat(100_000)}"`, 'app.py'))).toHaveLength(1);
    expect(watchdog(10_000, () => check(`API_KEY=c${'{{p'.repeat(120_000)}`, '.env'))).toHaveLength(1);
    expect(check('password = "${DB_PASSWORD}"')).toEqual([]);
    expect(check('API_KEY={{api_key}}', '.env')).toEqual([]);
    expect(check('password = "%(db_password)s"', 'app.py')).toEqual([]);
  });

  it('masks the value: never more than 4 characters, nor a quarter of it', () => {
    const [finding] = check('const password = "hunter22";');
    expect(finding?.message).toContain('`hu…`');
    expect(finding?.message).not.toContain('hunter22');
  });

  it('reads unquoted values in .env, YAML and properties files only', () => {
    expect(check('DB_PASSWORD=hunter22', '.env')).toHaveLength(1);
    expect(check('  password: hunter22', 'config/app.yaml')).toHaveLength(1);
    expect(check('  password: hunter22', 'src/notes.ts')).toEqual([]);
  });

  it.each([
    'const password = process.env.DB_PASSWORD;',
    'password = os.environ["DB_PASSWORD"]',
    'const password = "";',
    'password: "${DB_PASSWORD}"',
    'PASSWORD="$DB_PASSWORD"',
    'api_key: "<your api key>"',
    'api_key = "{{ api_key }}"',
    'password: "********"',
    'const passwordLabel = "Password";',
    'const password_hash = "abcd1234efgh";',
    'placeholder: "Enter your password"',
    'password: string;',
    'if (password === "hunter22") {}',
  ])('ignores %s', (text) => {
    expect(check(text)).toEqual([]);
  });

  it('ignores booleans, nulls and key-file paths in configuration files', () => {
    expect(check('createSecret: true', 'charts/app/values.yaml')).toEqual([]);
    expect(check('  password: null', 'config/app.yml')).toEqual([]);
    expect(check('password = None', 'setup.cfg')).toEqual([]);
    expect(check('private_key: ~/.ssh/id_rsa', 'deploy/hosts.yml')).toEqual([]);
    expect(check("privateKey: '/etc/ssl/private/server.key',", 'src/server.ts')).toEqual([]);
    expect(check('password: "true"', 'config/app.yml')).toHaveLength(1);
    expect(check('password: /hunter2', 'config/app.yml')).toHaveLength(1);
  });

  it('ignores YAML tags and aliases, and test fixtures', () => {
    expect(check('password: !vault |', 'deploy/vars.yml')).toEqual([]);
    expect(check('password: *default_password', 'deploy/vars.yml')).toEqual([]);
    expect(check('const password = "hunter22";', 'src/db.spec.ts')).toEqual([]);
    expect(check('password = "hunter22"', 'tests/test_db.py')).toEqual([]);
  });

  it('ignores translation files, where a password key holds its label', () => {
    expect(check('    password: Password', 'config/locales/en.yml')).toEqual([]);
    expect(check('  "password": "Passwort",', 'public/locales/de/translation.json')).toEqual([]);
    expect(check('  "secret": "Secret",', 'src/i18n/en.json')).toEqual([]);
    expect(check('user.password=Mot de passe', 'src/main/resources/messages_fr.properties')).toEqual([]);
    expect(check('  password: hunter22', 'config/app.yml')).toHaveLength(1);
  });

  it('ignores a dependency whose name ends like a secret: its value is a version', () => {
    expect(check('    "@octokit/auth-token": "^6.0.0",', 'package.json')).toEqual([]);
    expect(check('    "pbkdf2-password": "1.2.1",', 'package.json')).toEqual([]);
    expect(check('django-secret-key = ">=2.1"', 'pyproject.toml')).toEqual([]);
    expect(check('    "db-password": "^hunter22",', 'package.json')).toHaveLength(1);
  });

  it('ignores a constant that spells its own longer name: an identifier, not a secret', () => {
    expect(check("export const IS_STRONG_PASSWORD = 'isStrongPassword';")).toEqual([]);
    expect(check("export const RESET_PASSWORD = 'RESET_PASSWORD';", 'src/store/actions.js')).toEqual([]);
    expect(check("  password: 'password',", 'src/db.ts')).toHaveLength(1);
    expect(check("const DB_PASSWORD = 'db-password-2024';")).toHaveLength(1);
  });

  it('ignores a shell test that reads the variable', () => {
    expect(check('if [ "$DB_PASSWORD" = "hunter22" ]; then', 'scripts/start-db.sh')).toEqual([]);
    expect(check('if [ $DB_PASSWORD = "hunter22" ]; then', 'scripts/start-db.sh')).toEqual([]);
    expect(check('DB_PASSWORD="hunter22"', 'scripts/start-db.sh')).toHaveLength(1);
    expect(check('$password = "hunter22";', 'config/db.php')).toHaveLength(1);
  });

  it('ignores a your-…-password stand-in with words between', () => {
    expect(check('    password: "your-cluster-password",', 'README.md')).toEqual([]);
    expect(check("  app_secret: 'your_app_secret'", 'config/app.yml')).toEqual([]);
    expect(check("  password: 'yourcompany-prod-2024'", 'config/app.yml')).toHaveLength(1);
    // Seconds with an unbounded word between `your` and the keyword: the watchdog fails such a hang.
    expect(watchdog(10_000, () => check(`password = "${'your'.repeat(80_000)}"`))).toHaveLength(1);
  });
});
