import { RE2JS } from 're2js';
import type { ReviewFile } from '../../review-engine.js';
import { isTestPath } from '../paths.js';
import { LineRule, mask } from '../rule.js';

// The name must END in one of these (the assignment follows at once), so `passwordLabel` or
// `password_hash` are not secrets; whatever comes before (`db_password`, `dbPassword`) is part of
// the name. Matching from the end of the name keeps the search linear in the line's length: a lazy
// `[\w.-]*?` prefix made a long minified or base64url line take minutes.
const NAME = '(?:password|passwd|secret|secret[_-]?key|api[_-]?key|access[_-]?token|auth[_-]?token|private[_-]?key)';
const ASSIGN = `["']?\\s*(?::=|=>|[:=])(?!=)\\s*`;
const QUOTED = new RegExp(`(${NAME})${ASSIGN}(["'\`])([^"'\`]*)\\2`, 'i');
// .env, YAML, properties and INI files assign secrets without quotes.
const UNQUOTED = new RegExp(`(${NAME})${ASSIGN}([^\\s"'\`#;,]+)`, 'i');
const SHELL_FILE = /\.(?:sh|bash|zsh|ksh)$|(?:^|\/)Dockerfile[^/]*$/i;
// A dependency's version (`"@octokit/auth-token": "^6.0.0"`, `django-secret = "2.1.0"`).
const VERSION = /^(?:[~^]|[<>]=?|[=~]=)?\s*v?\d+(?:\.(?:\d+|[xX*]))+(?:[-+][\w.-]+)?$/;
// Translations map a `password` key to its label (`password: Password`, `"secret": "Geheimnis"`).
const LOCALE_FILE =
  /(?:^|\/)(?:locales?|i18n|l10n|translations?|lang)\/|\.(?:po|pot|xliff?|arb)$|(?:^|\/)messages_[\w-]+\.properties$/i;
const CONFIG_FILE = /(?:^|\/)\.env(?:\.[\w-]+)?$|\.(?:ya?ml|properties|ini|cfg|conf|env)$/i;

// Templates and env references. On RE2, linear in the value: as a JavaScript regular expression,
// `\$\{[^}]*\}` backtracked for seconds on a long line of `${`s, which a pull request's author can add.
const TEMPLATED = RE2JS.compile(String.raw`\$\{[^}]*\}|^\$[A-Za-z_]\w*$|\{\{[^}]*\}\}|^<[^>]*>$|%\(\w+\)s`);

/**
 * Values that are not secrets: short, prose (has a space), templated or env references (`${X}`,
 * `$X`, `{{x}}`, `<x>`, `%(x)s`), masked (`****`), unquoted YAML tags/aliases (`!vault`, `*a`),
 * booleans and nulls, or file paths.
 * `"changeme"` and friends ARE flagged on purpose: a default password that ships is a weakness.
 */
function isPlaceholder(value: string, quoted: boolean): boolean {
  return (
    value.length < 4 ||
    /\s/.test(value) ||
    TEMPLATED.matcher(value).find() ||
    /^(.)\1*$/.test(value) ||
    // `your-cluster-password`, `your_app_secret`: up to two words between `your` and what it stands
    // for. Bounded words: with `[a-z0-9]+`, a value of `your` x 40 000 took 11 s (each `your` rescans the rest).
    /x{4,}|example|dummy|placeholder|redacted|your[-_ ]?(?:[a-z0-9]{1,20}[-_ ]){0,2}(?:api[-_ ]?)?(?:token|key|secret|password)/i.test(
      value,
    ) ||
    (!quoted && /^[!*&]/.test(value)) ||
    // YAML/INI scalars (`secret: true`, `password = None`) and key-file paths (`private_key: ~/.ssh/id_rsa`).
    (!quoted && /^(?:true|false|yes|no|on|off|null|none|nil)$/i.test(value)) ||
    /^(?:~|\.{1,2})?\/(?:[\w.@-]+\/)+[\w.@-]*$/.test(value)
  );
}

export class HardcodedSecretRule extends LineRule {
  readonly id = 'secrets/hardcoded-secret';
  // Only the name says it is a secret, so it is less sure than a token with a known shape.
  readonly severity = 'medium' as const;
  readonly description = 'A password, secret or API key assigned a literal value (by its name; less sure).';

  // Test fixtures are full of fake passwords; the token-shaped secret rules still cover tests.
  protected override appliesTo(path: string): boolean {
    return !isTestPath(path) && !LOCALE_FILE.test(path);
  }

  protected inspect(text: string, file: ReviewFile): string | undefined {
    const quoted = QUOTED.exec(text);
    const match = quoted ?? (CONFIG_FILE.test(file.filename) ? UNQUOTED.exec(text) : null);
    const value = match?.[match.length - 1];
    if (!match || value === undefined || isPlaceholder(value, quoted !== null) || VERSION.test(value)) {
      return undefined;
    }
    const name = nameAt(text, match.index, match[1].length);
    const after = text[match.index + match[1].length];
    // `[ "$DB_PASSWORD" = "…" ]` compares: an expansion is read, never assigned (PHP's bare
    // `$password = "…"` is an assignment, so a bare `$` counts only in shell files).
    if (text[name.start - 1] === '$' && (after === '"' || SHELL_FILE.test(file.filename))) return undefined;
    // `IS_STRONG_PASSWORD = 'isStrongPassword'`, `RESET_PASSWORD = 'RESET_PASSWORD'`: a constant that
    // spells its own longer name is an identifier (action type, event, env var's key). A bare
    // password whose value is the word itself is a default password, still reported.
    const spelled = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (name.text.length > match[1].length && spelled(value) === spelled(name.text)) return undefined;
    return (
      `Hard-coded secret \`${mask(value)}\` assigned here. If it is real, rotate it; read secrets ` +
      'from the environment or a secrets manager instead of the source.'
    );
  }
}

/**
 * The whole name that ends with the keyword matched at `index` (`IS_STRONG_` + `PASSWORD`), read
 * backwards over identifier characters so the cost is the name's length, not the line's.
 */
function nameAt(text: string, index: number, length: number): { start: number; text: string } {
  let start = index;
  while (start > 0 && /[\w-]/.test(text[start - 1])) start--;
  return { start, text: text.slice(start, index + length) };
}
