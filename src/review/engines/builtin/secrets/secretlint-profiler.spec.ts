import { describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { secretLintProfiler } from '@secretlint/profiler';
import { scanSecrets } from './secretlint.scanner.js';

describe("secretlint's profiler", () => {
  it('records nothing however many files are scanned (it kept every mark, and scanned them all per file)', async () => {
    const marksBefore = performance.getEntriesByType('mark').length;
    for (let i = 0; i < 200; i++) await scanSecrets(`src/f${i}.ts`, [{ line: 1, text: `export const v${i} = ${i};` }]);
    expect(performance.getEntriesByType('mark').length).toBe(marksBefore);
    expect(await secretLintProfiler.getEntries()).toHaveLength(0);
  });
});
