// Files for the fake GitHub whose patches add the given lines, for reviews across pushes.
import type { FakePullFile } from './fake-github.js';

/** A new file made of `lines` (all added). */
export function added(path: string, lines: string[]): FakePullFile {
  return {
    filename: path,
    status: 'added',
    additions: lines.length,
    deletions: 0,
    patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n'),
  };
}

/** The one-line patch a push makes to `path`: `removed` goes, `kept` stays as context. */
export function edited(path: string, removed: string, kept: string[]): FakePullFile {
  return {
    filename: path,
    status: 'modified',
    additions: 0,
    deletions: 1,
    patch: [`@@ -1,${kept.length + 1} +1,${kept.length} @@`, `-${removed}`, ...kept.map((l) => ` ${l}`)].join('\n'),
  };
}

export const LINE = {
  /** secrets/aws-access-key, critical */
  // Not AWS's documentation key: the builtin engine knows that one is a placeholder.
  A: 'const key = "AKIAQYLPMN5HFIQR7XYA";',
  /** security/tls-verification-disabled, high */
  B: 'const agent = new https.Agent({ rejectUnauthorized: false });',
  /** debug/console, low */
  C: 'console.log("hi");',
  /** debug/debugger, medium */
  D: 'debugger;',
};
