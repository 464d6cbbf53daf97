// Reading GitHub's per-file `patch` (unified diff hunks without file headers).

export interface DiffLine {
  /** Line number in the new file. */
  line: number;
  text: string;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Walks a patch and calls `visit` for every line that exists in the new file. */
function walk(patch: string | undefined, visit: (kind: '+' | ' ', line: number, text: string) => void): void {
  if (!patch) return;
  let line = 0;
  let inHunk = false;
  // A file with Windows line endings keeps its `\r` in the patch: the line's text is without it,
  // so `$` in a custom rule and the line rules' end-of-line checks see the line as written.
  for (const row of patch.split('\n')) {
    const raw = row.endsWith('\r') ? row.slice(0, -1) : row;
    const hunk = HUNK.exec(raw);
    if (hunk) {
      line = Number(hunk[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk || raw.startsWith('\\')) continue; // "\ No newline at end of file"
    if (raw.startsWith('-')) continue;
    if (raw.startsWith('+')) visit('+', line++, raw.slice(1));
    else visit(' ', line++, raw.startsWith(' ') ? raw.slice(1) : raw);
  }
}

/** The lines a patch adds, with their new-file line numbers. */
export function addedLines(patch: string | undefined): DiffLine[] {
  const lines: DiffLine[] = [];
  walk(patch, (kind, line, text) => {
    if (kind === '+') lines.push({ line, text });
  });
  return lines;
}

/** Every new-file line a patch shows (added and context): where GitHub accepts inline comments. */
export function commentableLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  walk(patch, (_kind, line) => lines.add(line));
  return lines;
}

/** The text of every new-file line a patch shows (added and context), by line number. */
export function lineTexts(patch: string | undefined): Map<number, string> {
  const texts = new Map<number, string>();
  walk(patch, (_kind, line, text) => texts.set(line, text));
  return texts;
}
