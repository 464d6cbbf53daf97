// The fake GitHub's commits: a graph of commits, each with its tree (path -> lines), so the compare
// API answers as GitHub does after any history (fast-forward, force-push, reset, revert): `ahead`,
// `behind`, `identical` or `diverged` from the merge base, with `ahead_by`, `behind_by` and the
// files of `merge-base...head`; a commit GitHub does not know (collected after a force-push) is a 404.
import type { FakePullFile } from './fake-github-api.js';

export type FakeTree = ReadonlyMap<string, readonly string[]>;

export interface FakeCommit {
  parent: string | null;
  tree: FakeTree;
}

export interface CompareAnswer {
  status: string;
  ahead_by: number;
  behind_by: number;
  total_commits: number;
  files: FakePullFile[];
}

/** The commits from `sha` back to the root, `sha` first. */
function lineage(commits: ReadonlyMap<string, FakeCommit>, sha: string): string[] {
  const out: string[] = [];
  for (let at: string | null = sha; at !== null && commits.has(at); at = commits.get(at)!.parent) out.push(at);
  return out;
}

/** GET compare/{base}...{head} from the commit graph; undefined (a 404) when either is unknown. */
export function compareCommits(commits: ReadonlyMap<string, FakeCommit>, basehead: string): CompareAnswer | undefined {
  const [base, head] = basehead.split('...');
  if (!base || !head || !commits.has(base) || !commits.has(head)) return undefined;
  const fromBase = lineage(commits, base);
  const fromHead = lineage(commits, head);
  const mergeBase = fromHead.find((sha) => fromBase.includes(sha));
  if (mergeBase === undefined) return undefined; // GitHub: "No common ancestor", a 404
  const aheadBy = fromHead.indexOf(mergeBase);
  const behindBy = fromBase.indexOf(mergeBase);
  const status =
    aheadBy === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : aheadBy === 0 ? 'behind' : 'diverged';
  return {
    status,
    ahead_by: aheadBy,
    behind_by: behindBy,
    total_commits: aheadBy,
    files: treeDiff(commits.get(mergeBase)!.tree, commits.get(head)!.tree),
  };
}

/** The files that differ between two trees, with unified-diff patches, as GitHub lists them. */
export function treeDiff(before: FakeTree, after: FakeTree): FakePullFile[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const files: FakePullFile[] = [];
  for (const path of paths) {
    const old = before.get(path) ?? [];
    const now = after.get(path) ?? [];
    if (old.length === now.length && old.every((line, i) => line === now[i]) && before.has(path) === after.has(path))
      continue;
    const ops = lineDiff(old, now);
    const status = !before.has(path) ? 'added' : !after.has(path) ? 'removed' : 'modified';
    const header = `@@ -${old.length ? 1 : 0},${old.length} +${now.length ? 1 : 0},${now.length} @@`;
    files.push({
      filename: path,
      status,
      additions: ops.filter((op) => op.startsWith('+')).length,
      deletions: ops.filter((op) => op.startsWith('-')).length,
      patch: [header, ...ops].join('\n'),
    });
  }
  return files;
}

/** A line diff (longest common subsequence): each line of the result starts with ' ', '-' or '+'. */
function lineDiff(old: readonly string[], now: readonly string[]): string[] {
  const lcs = Array.from({ length: old.length + 1 }, () => new Array<number>(now.length + 1).fill(0));
  for (let i = old.length - 1; i >= 0; i--)
    for (let j = now.length - 1; j >= 0; j--)
      lcs[i][j] = old[i] === now[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < old.length || j < now.length) {
    if (i < old.length && j < now.length && old[i] === now[j]) {
      out.push(` ${old[i++]}`);
      j++;
    } else if (i < old.length && (j === now.length || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(`-${old[i++]}`);
    else out.push(`+${now[j++]}`);
  }
  return out;
}
