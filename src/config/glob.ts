// The globs of `.nectr.yml` (`paths.ignore`, a custom rule's `paths`): picomatch's syntax with
// dotfiles included, matched on RE2 so that no glob can stall a worker. picomatch's own regular
// expressions backtrack: `*a*a*a*a*a*b`, or five `**`, take seconds to minutes on a long path that
// a pull request's author can choose. RE2's time is linear in the path.
import picomatch from 'picomatch';
import { RE2JS } from 're2js';

/**
 * Lookarounds picomatch adds so that `*` and `**` never match a `.` or `..` segment or an empty
 * one. A path GitHub lists has neither, so without them the same paths match, and RE2 (which has
 * no lookaround) can run the rest.
 */
const SEGMENT_GUARDS = ['(?!\\.{1,2}(?:\\/|$))', '(?!(?:^|\\/)\\.{1,2}(?:\\/|$))', '(?=.)'];

/** Leading `!`s that negate a glob, as picomatch counts them (`!(…)` is an extglob, not one). */
const NEGATION = /^(?:!(?!\())*/;

interface CompiledGlob {
  negated: boolean;
  /** picomatch's regular expression without its segment guards. */
  source: string;
  regex: RE2JS;
}

/** `glob` on RE2, or undefined when RE2 cannot run it (it needs lookaround). */
function compile(glob: string): CompiledGlob | undefined {
  const bangs = NEGATION.exec(glob)![0].length;
  let source = picomatch.makeRe(glob.slice(bangs), { dot: true }).source;
  for (const guard of SEGMENT_GUARDS) source = source.replaceAll(guard, '');
  try {
    return { negated: bangs % 2 === 1, source, regex: RE2JS.compile(source) };
  } catch {
    return undefined;
  }
}

/** Why `glob` cannot be matched in linear time, or undefined. */
export function globProblem(glob: string): string | undefined {
  return compile(glob)
    ? undefined
    : 'a glob that needs lookaround (a negated extglob such as `!(*.js)`) is not supported: list what to match instead, or negate the whole glob with a leading `!`';
}

/**
 * Whether a path matches any of `globs`, as `picomatch(globs, { dot: true })` answers for paths
 * GitHub lists. Globs with a problem (globProblem) are left out: the config schema refuses them.
 */
export function globMatcher(globs: string[]): (path: string) => boolean {
  const compiled = globs.map(compile).filter((glob) => glob !== undefined);
  const literals = new Set(globs);
  const plain = compiled.filter((g) => !g.negated);
  // One RE2 pass for all of them: an alternation costs no more than one glob.
  const any = plain.length ? RE2JS.compile(plain.map((g) => `(?:${g.source})`).join('|')) : undefined;
  const negated = compiled.filter((g) => g.negated).map((g) => g.regex);
  return (path) => literals.has(path) || !!any?.matches(path) || negated.some((regex) => !regex.matches(path));
}
