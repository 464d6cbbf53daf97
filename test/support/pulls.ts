// Pull requests for the fake GitHub whose diffs trip the builtin rules on known lines.
import type { FakePullFile } from './fake-github.js';

/** Lines (new-file numbers) the builtin engine must comment on in `riskyFiles()`. */
export const RISKY_LINES = [
  { path: 'src/client.ts', line: 2, ruleId: 'secrets/aws-access-key' },
  { path: 'src/client.ts', line: 3, ruleId: 'security/tls-verification-disabled' },
  { path: 'src/client.ts', line: 5, ruleId: 'debug/console' },
  { path: 'src/client.ts', line: 7, ruleId: 'conflict/marker' },
  { path: 'test/client.spec.ts', line: 2, ruleId: 'tests/focused' },
];

// Not AWS's documentation key: the builtin engine knows that one is a placeholder.
export const AWS_KEY = 'AKIAQYLPMN5HFIQR7XYA';

export function riskyFiles(): FakePullFile[] {
  return [
    {
      filename: 'src/client.ts',
      status: 'modified',
      additions: 6,
      deletions: 1,
      patch: [
        '@@ -1,3 +1,8 @@',
        ' import https from "node:https";',
        `+const accessKeyId = "${AWS_KEY}";`,
        '+const agent = new https.Agent({ rejectUnauthorized: false });',
        ' export function call() {',
        '+  console.log("calling", accessKeyId);',
        '-  return 1;',
        '+  return 2;',
        '+<<<<<<< HEAD',
        ' }',
      ].join('\n'),
    },
    {
      filename: 'test/client.spec.ts',
      status: 'added',
      additions: 3,
      deletions: 0,
      patch: [
        '@@ -0,0 +1,3 @@',
        '+import { call } from "../src/client";',
        '+describe.only("client", () => {',
        '+  it("calls", () => call());',
      ].join('\n'),
    },
    {
      filename: 'package-lock.json',
      status: 'modified',
      additions: 1,
      deletions: 1,
      patch: '@@ -1 +1 @@\n-{"a":1}\n+{"a":2}',
    },
  ];
}

export function cleanFiles(): FakePullFile[] {
  return [
    {
      filename: 'README.md',
      status: 'modified',
      additions: 1,
      deletions: 0,
      patch: '@@ -1,1 +1,2 @@\n # Hello\n+More words.',
    },
  ];
}
