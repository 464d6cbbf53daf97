// `npm run corpus:real -- [--list] [--per-kind N] [dir …]`: what the builtin engine says about
// ordinary code. Every package found under the given folders (default: this checkout's
// node_modules) is read as a repository; each eligible file is reviewed as a pull request that adds
// the whole file, the way `evaluate.ts` reviews a corpus case. There are no labels: the findings
// are read by hand (docs/review-quality.md, "Real code"). `--list` prints each finding with its
// package, path, line and the line's text cut short, long tokens masked.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuiltinEngine } from '../../src/review/engines/builtin/builtin.engine.js';
import { skipReason } from '../../src/review/engines/builtin/skip.js';
import { REPO_ROOT } from './evaluate.js';

// Packages whose purpose is secrets or lint rules: their "secrets" and bad code are samples on purpose.
const LEFT_OUT = /^(?:@secretlint\/|secretlint|@?[^/]*gitleaks|eslint-plugin-|@[^/]+\/eslint-plugin)/;
// The engine's per-file read limit.
const MAX_BYTES = 1024 * 1024;

/** A file's kind, for counting: by extension or well-known name. */
export function fileKind(path: string): string {
  const name = basename(path);
  if (/\.d\.[cm]?ts$/.test(name)) return 'd.ts';
  if (/\.[cm]?ts$/.test(name)) return 'ts';
  if (/\.[cm]?js$/.test(name)) return 'js';
  if (/\.[jt]sx$/.test(name)) return 'jsx/tsx';
  if (/\.(?:vue|svelte|html?)$/.test(name)) return 'html/vue/svelte';
  if (/\.json[c5]?$/.test(name)) return 'json';
  if (/\.(?:md|markdown|mdx)$/i.test(name)) return 'markdown';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/\.py$/.test(name)) return 'python';
  if (/\.(?:sh|bash|ps1|cmd)$/.test(name)) return 'shell';
  if (/^Dockerfile|\.dockerfile$/i.test(name)) return 'dockerfile';
  if (/^\.env|\.env$/.test(name)) return 'env';
  if (/\.(?:c|cc|h|hh|cpp|go|rs|java|rb|php|lua|coffee|sql)$/.test(name)) return 'other code';
  return 'other text';
}

interface Package {
  name: string;
  root: string;
}

/** Package roots below `dir`: every folder with a package.json, nested node_modules included. */
function packages(dir: string): Package[] {
  const found: Package[] = [];
  const visit = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin' || entry.name === '.cache') continue;
      const path = join(folder, entry.name);
      if (entry.name.startsWith('@')) {
        visit(path);
        continue;
      }
      const manifest = join(path, 'package.json');
      if (!existsSync(manifest)) continue;
      let name = entry.name;
      try {
        name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ?? name;
      } catch {
        // A package.json that does not parse still names a package folder.
      }
      found.push({ name, root: path });
      if (existsSync(join(path, 'node_modules'))) visit(join(path, 'node_modules'));
    }
  };
  visit(dir);
  return found;
}

/** A package's files, paths relative to its root, nested packages left to their own entry. */
function filesOf(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
      return entry.isFile() ? [relative(root, path)] : [];
    });
  return walk(root);
}

export interface SampleFile {
  pkg: string;
  path: string;
  kind: string;
  content: string;
}

/**
 * The sample: every text file of every package not left out, at most 1 MiB, that the engine would
 * review (not build output, vendored, minified, lock…), one copy of each content; per kind, the
 * first `perKind` in order of the SHA-256 of `package/path` (a fixed rule, not a choice).
 */
export function sample(dirs: string[], perKind: number) {
  const byKind = new Map<string, Array<SampleFile & { order: string }>>();
  const counts = { packages: 0, leftOut: [] as string[], skippedByEngine: 0, binaryOrLarge: 0, duplicates: 0 };
  const seen = new Set<string>();
  for (const pkg of dirs.flatMap(packages)) {
    if (LEFT_OUT.test(pkg.name)) {
      counts.leftOut.push(pkg.name);
      continue;
    }
    counts.packages++;
    for (const path of filesOf(pkg.root)) {
      if (skipReason({ filename: path, status: 'added', additions: 1, deletions: 0, patch: '@@' })) {
        counts.skippedByEngine++;
        continue;
      }
      const full = join(pkg.root, path);
      if (statSync(full).size > MAX_BYTES) {
        counts.binaryOrLarge++;
        continue;
      }
      const bytes = readFileSync(full);
      if (bytes.includes(0) || bytes.length === 0) {
        counts.binaryOrLarge++;
        continue;
      }
      const digest = createHash('sha256').update(bytes).digest('hex');
      if (seen.has(digest)) {
        counts.duplicates++;
        continue;
      }
      seen.add(digest);
      const kind = fileKind(path);
      const order = createHash('sha256').update(`${pkg.name}/${path}`).digest('hex');
      const list = byKind.get(kind) ?? [];
      list.push({ pkg: pkg.name, path, kind, content: bytes.toString('utf8'), order });
      byKind.set(kind, list);
    }
  }
  const eligible = new Map([...byKind].map(([kind, list]) => [kind, list.length]));
  const files = [...byKind.values()].flatMap((list) =>
    list
      .sort((a, b) => (a.order < b.order ? -1 : 1))
      .slice(0, perKind)
      .map(({ order: _order, ...file }) => file),
  );
  return { files, eligible, counts: { ...counts, leftOut: [...new Set(counts.leftOut)].sort() } };
}

/** The line for a listing: cut short, runs that look like tokens masked. */
export function showLine(text: string): string {
  const masked = text.trim().replace(/[A-Za-z0-9_+/=-]{20,}/g, (token) => `${token.slice(0, 4)}…`);
  return masked.length > 100 ? `${masked.slice(0, 100)}…` : masked;
}

const arg = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? undefined : process.argv[i + 1];
};
const perKind = Number(arg('--per-kind') ?? Infinity);
const dirs = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--per-kind');
const roots = dirs.length ? dirs : [fileURLToPath(new URL('node_modules', REPO_ROOT))];

const started = performance.now();
const { files, eligible, counts } = sample(roots, perKind);
const engine = await BuiltinEngine.create();
const byRule = new Map<string, number>();
const byKind = new Map<string, { files: number; lines: number; findings: number; withFindings: number }>();
const listing: string[] = [];
for (const file of files) {
  const lines = file.content.split('\n');
  const patch = [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
  const result = await engine.review({
    repo: `real/${file.pkg}`,
    number: 1,
    title: 'real code',
    body: null,
    headSha: '0'.repeat(40),
    files: [{ filename: file.path, status: 'added', additions: lines.length, deletions: 0, patch }],
    readFile: (path) => Promise.resolve(path === file.path ? file.content : null),
  });
  // `pr/oversized` is about the pull request, not the code: a whole file added is its own PR here.
  const findings = result.findings.filter((f) => f.ruleId !== 'pr/oversized');
  const k = byKind.get(file.kind) ?? { files: 0, lines: 0, findings: 0, withFindings: 0 };
  k.files++;
  k.lines += lines.length;
  k.findings += findings.length;
  if (findings.length) k.withFindings++;
  byKind.set(file.kind, k);
  for (const f of findings) {
    byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    const text = f.line ? showLine(lines[f.line - 1] ?? '') : '';
    listing.push(`${f.ruleId}\t${file.pkg}\t${file.path}:${f.line ?? ''}\t${text}`);
  }
}

console.log(
  `${counts.packages} packages (left out: ${counts.leftOut.join(', ') || 'none'}); files the engine skips ` +
    `by path: ${counts.skippedByEngine}, binary/empty/over 1 MiB: ${counts.binaryOrLarge}, duplicate contents: ${counts.duplicates}`,
);
console.log(
  `\n${'kind'.padEnd(16)} ${'eligible'.padStart(8)} ${'sampled'.padStart(8)} ${'lines'.padStart(9)} ${'findings'.padStart(8)} ${'files w/'.padStart(8)}`,
);
for (const [kind, k] of [...byKind].sort((a, b) => b[1].files - a[1].files)) {
  console.log(
    `${kind.padEnd(16)} ${String(eligible.get(kind)).padStart(8)} ${String(k.files).padStart(8)} ${String(k.lines).padStart(9)} ${String(k.findings).padStart(8)} ${String(k.withFindings).padStart(8)}`,
  );
}
console.log(`\n${'rule'.padEnd(38)} findings`);
for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
  console.log(`${rule.padEnd(38)} ${String(n).padStart(8)}`);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${files.length} files reviewed in ${seconds} s`);
if (process.argv.includes('--list')) for (const line of listing.sort()) console.log(line);
