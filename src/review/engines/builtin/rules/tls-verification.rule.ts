import { blankStrings, isCommentLine } from '../paths.js';
import type { ReviewFile } from '../../review-engine.js';
import { type AddedLine, LineRule } from '../rule.js';

type Check = { test(text: string): boolean };

/**
 * `flag` somewhere after the first `command` on the line. One `\bcurl\b.*\s…` pattern backtracks
 * over the rest of the line for every `curl` in it: quadratic, and a long line of them held a worker.
 */
function after(command: RegExp, flag: RegExp): Check {
  return {
    test(text) {
      const at = command.exec(text);
      return at !== null && flag.test(text.slice(at.index + at[0].length));
    },
  };
}

// Ways a language's common clients switch certificate checks off. `IN_CODE` ones are calls and
// settings, looked for outside string literals (`log("never pass verify=False")` switches nothing
// off); `ANYWHERE` ones are also real inside strings: an environment variable set in a
// package.json script, a Guzzle option key, a shell command line.
const IN_CODE: Array<[Check, string]> = [
  // JavaScript, for files ESLint could not read: the syntax check handles the rest.
  [/\brejectUnauthorized\s*:\s*(?:false|0)\b/, '`rejectUnauthorized: false`'],
  [/\bstrictSSL\s*:\s*false\b/, '`strictSSL: false`'],
  // Python: requests/httpx, ssl.
  [/\bverify\s*=\s*False\b/, '`verify=False`'],
  [/\bssl\._create_unverified_context\b|\bCERT_NONE\b|\bcheck_hostname\s*=\s*False\b/, 'an unverified SSL context'],
  // Go.
  [/\bInsecureSkipVerify\s*:\s*true\b/, '`InsecureSkipVerify: true`'],
  // Ruby: net/http, Faraday, HTTParty.
  [/\bVERIFY_NONE\b|\bverify:\s*false\b|\bverify_ssl:\s*false\b/, '`OpenSSL::SSL::VERIFY_NONE`'],
  // Java: trust-everything managers and hostname verifiers.
  [
    /\bNoopHostnameVerifier\b|\bALLOW_ALL_HOSTNAME_VERIFIER\b|\bTrustAllStrategy\b|\bsetHostnameVerifier\s*\(\s*(?:\([\w\s,]*\)|\w+)\s*->\s*true\b/,
    'a hostname verifier or trust manager that accepts anything',
  ],
  [/\bgetAcceptedIssuers\s*\(\s*\)\s*\{\s*return\s+null\b/, 'a trust manager that accepts any certificate'],
  [
    after(/\bX509TrustManager\b/, /\bcheckServerTrusted\b[^{}]{0,300}\{\s*\}/),
    'a trust manager that accepts any certificate',
  ],
];
const ANYWHERE: Array<[Check, string]> = [
  [/\bNODE_TLS_REJECT_UNAUTHORIZED\b["'`\]]*\s*(?:=|:)\s*["'`]?0\b/, '`NODE_TLS_REJECT_UNAUTHORIZED=0`'],
  // PHP: curl options and Guzzle's `verify`.
  [/\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\b\s*(?:,|=>)\s*(?:false|0)\b/i, '`CURLOPT_SSL_VERIFYPEER` off'],
  [/["']verify["']\s*=>\s*false\b/i, "Guzzle's `'verify' => false`"],
  // Shell. Short flags may be bundled: `curl -fsSLk`.
  [after(/\bcurl\b/, /\s(?:--insecure|-[a-zA-Z]*k[a-zA-Z]*)(?=\s|$)/), '`curl --insecure`'],
  [after(/\bwget\b/, /\s--no-check-certificate\b/), '`wget --no-check-certificate`'],
];

export class TlsVerificationRule extends LineRule {
  readonly id = 'security/tls-verification-disabled';
  readonly severity = 'high' as const;
  readonly description = 'TLS certificate verification switched off (JS/TS, Python, Go, PHP, Ruby, Java, curl, wget).';
  override readonly syntaxChecked = true;
  override readonly readsCode = true;

  // A comment (`# never pass verify=False`, a commented-out call) switches nothing off; the syntax
  // check of JS/TS files ignores comments too.
  protected inspect(text: string, _file: ReviewFile, _added: AddedLine[], lineCode?: string): string | undefined {
    if (isCommentLine(text)) return undefined;
    const code = lineCode ?? blankStrings(text);
    const hit = IN_CODE.find(([pattern]) => pattern.test(code)) ?? ANYWHERE.find(([pattern]) => pattern.test(text));
    if (!hit) return undefined;
    return (
      `${hit[1]} disables TLS certificate verification, so anyone on the network path can ` +
      'impersonate the server. Keep verification on; trust a private CA explicitly if needed.'
    );
  }
}
