// What a secret-shaped string looks like when it is a stand-in: docs, samples and templates are
// full of them, and a comment on one teaches people to ignore Nectr.
import { RE2JS } from 're2js';

const PLACEHOLDER_WORDS =
  /example|dummy|placeholder|your[-_ ]?(?:api[-_ ]?)?(?:token|key|secret|password)|changeme|redacted/i;
// On RE2, linear in the value: as a JavaScript regular expression, `\{\{[^}]*\}\}` backtracked for
// seconds on a long line of `{{`s, which a pull request's author can add.
const TEMPLATED = RE2JS.compile(
  String.raw`\$\{[^}]*\}|\{\{[^}]*\}\}|<[^<>]+>|%\(\w+\)s|^\$[A-Za-z_]\w*$|^process\.env\b|^os\.environ`,
);
// Masks and zero runs are filler, not key material. Runs of other characters do occur in real keys
// (`AAAA` in OpenSSH key bodies, `////` in STS session tokens), so they are not.
const FILLER = /\*{4,}|#{4,}|0{8,}/;
const XS = /x{4,}|X{4,}/;

/** Whether `value` (the secret part of a match, or the whole match) is a placeholder. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_WORDS.test(value) || TEMPLATED.matcher(value).find() || FILLER.test(value) || XS.test(value);
}
