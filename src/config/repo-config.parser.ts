// `.nectr.yml` text to a validated file, or the problems that make it unusable, each with the key,
// line and column, so the review can tell the team exactly what to fix.
import { CST, isMap, isPair, isScalar, LineCounter, Parser, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { repoConfigFile, type RepoConfigFile } from './repo-config.schema.js';

export interface ConfigProblem {
  /** Dotted path of the key, e.g. `review.max_files` or `custom_rules.0.pattern`; empty for the file itself. */
  key: string;
  line?: number;
  column?: number;
  message: string;
}

export type ParsedConfig = { ok: true; file: RepoConfigFile } | { ok: false; problems: ConfigProblem[] };

/** More than this and the rest are summed up: the first line of a review must stay one line. */
const MAX_PROBLEMS = 10;
/** Aliases expanded at most (yaml's guard against a file that expands exponentially). */
const MAX_ALIASES = 100;
/**
 * Collections nested at most. The schema needs 4 levels (`custom_rules`, a rule, its `paths`).
 * yaml composes a document recursively: a few thousand nested collections (`[[[…]]]` or
 * `- - - … x`, 6 KB) overflow the stack, and an overflow that lands while V8 compiles a regular
 * expression is not a RangeError but a fatal "process out of memory": it kills the process.
 */
export const MAX_DEPTH = 64;

/** Where `text` first nests collections deeper than `max` (an offset), read by yaml's parser, which keeps its own stack. */
function tooDeep(text: string, max: number, lines: LineCounter): { offset: number } | undefined {
  const stack: Array<[CST.Token | undefined, number]> = [...new Parser(lines.addNewLine).parse(text)].map((token) => [
    token,
    0,
  ]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    const inner =
      token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection' ? depth + 1 : depth;
    if (inner > max) return { offset: token.offset };
    if ('value' in token && typeof token.value === 'object') stack.push([token.value, inner]);
    if ('items' in token)
      for (const item of token.items as CST.CollectionItem[])
        stack.push([item.key ?? undefined, inner], [item.value, inner]);
  }
  return undefined;
}

export function parseConfig(text: string): ParsedConfig {
  let lines = new LineCounter();
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const deep = tooDeep(text, MAX_DEPTH, lines);
  if (deep)
    return {
      ok: false,
      problems: [{ key: '', ...at(deep.offset), message: `nested more than ${MAX_DEPTH} levels deep` }],
    };
  lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.slice(0, MAX_PROBLEMS).map((error) => ({
        key: '',
        ...at(error.pos[0]),
        message: `not valid YAML: ${firstLine(error.message)}`,
      })),
    };
  }
  // An empty file (or one of only comments) is an empty configuration. toJS throws when aliases
  // would expand past maxAliasCount (a "billion laughs" file): a problem with the file like any other.
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    return { ok: false, problems: [{ key: '', message: `not usable YAML: ${firstLine((error as Error).message)}` }] };
  }
  const result = repoConfigFile.safeParse(value);
  if (result.success) return { ok: true, file: result.data };
  const problems = result.error.issues.flatMap((issue) => describe(doc, issue, at));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };
}

function describe(
  doc: Document,
  issue: z.core.$ZodIssue,
  at: (offset: number | undefined) => { line?: number; column?: number },
): ConfigProblem[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    const map = path.length ? doc.getIn(path, true) : doc.contents;
    return issue.keys.map((key) => {
      const pair = isMap(map)
        ? map.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key)
        : undefined;
      const node = pair?.key as Node | undefined;
      return { key: [...path, key].join('.'), ...at(node?.range?.[0]), message: 'unknown key' };
    });
  }
  const node = (path.length ? doc.getIn(path, true) : doc.contents) as Node | undefined;
  // A key whose value is missing points at its parent.
  return [{ key: path.join('.'), ...at(node?.range?.[0] ?? nearest(doc, path)), message: issue.message }];
}

function nearest(doc: Document, path: Array<string | number>): number | undefined {
  for (let n = path.length - 1; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node?.range) return node.range[0];
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** One line for the top of a review body. */
export function problemsLine(problems: ConfigProblem[], file: string): string {
  return `⚠️ \`${file}\` was not applied, the defaults were used instead: ${describeProblems(problems)}`;
}

/** Each problem with its key, line and column, on one line: `a` (line 1, column 2): why; … */
export function describeProblems(problems: ConfigProblem[]): string {
  const described = problems.map((p) => {
    const where = p.line ? ` (line ${p.line}, column ${p.column})` : '';
    return p.key ? `\`${p.key}\`${where}: ${p.message}` : `${where.trim()} ${p.message}`.trim();
  });
  return described.join('; ').replace(/\s+/g, ' ');
}
