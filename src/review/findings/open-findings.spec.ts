import { describe, expect, it } from '@jest/globals';
import type { ReviewFile } from '../engines/review-engine.js';
import { findingMarker, fingerprint, parseFindingMarkers } from './fingerprint.js';
import { markFindings, splitOpen, statusFor } from './open-findings.js';

const file = (filename: string, lines: string[], start = 1): ReviewFile => ({
  filename,
  status: 'modified',
  additions: lines.length,
  deletions: 0,
  patch: [`@@ -0,0 +${start},${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n'),
});

describe('fingerprints', () => {
  it('ignore the line number and whitespace, not the rule, path or text', () => {
    const a = fingerprint('r', 'a.ts', '  eval( x )');
    expect(fingerprint('r', 'a.ts', 'eval(  x )\t')).toBe(a);
    expect(fingerprint('r2', 'a.ts', 'eval( x )')).not.toBe(a);
    expect(fingerprint('r', 'b.ts', 'eval( x )')).not.toBe(a);
    expect(fingerprint('r', 'a.ts', 'eval(y)')).not.toBe(a);
  });

  it('take the flagged line from the patch, wherever it moved', () => {
    const finding = { ruleId: 'r', severity: 'high' as const, path: 'a.ts', line: 12, message: 'm' };
    const [before] = markFindings([finding], [file('a.ts', ['x', 'eval(y)'], 11)]);
    const [after] = markFindings([{ ...finding, line: 2 }], [file('a.ts', ['eval(y)'], 2)]);
    expect(before.fingerprint).toBe(after.fingerprint);
  });

  it("take a line the pull request's patch does not show from the pushed range's patch", () => {
    const finding = { ruleId: 'r', severity: 'high' as const, path: 'big.ts', line: 2, message: 'm' };
    const noPatch = { ...file('big.ts', []), patch: undefined };
    const [marked] = markFindings([finding], [noPatch], [file('big.ts', ['x', 'eval(y)'])]);
    expect(marked.fingerprint).toBe(fingerprint('r', 'big.ts', 'eval(y)'));
  });

  it('round-trip through the hidden marker, odd paths included, never with the line text', () => {
    const marked = {
      ruleId: 'x/y',
      severity: 'low' as const,
      path: 'a b/--> c.ts',
      message: 'm',
      fingerprint: 'f'.repeat(24),
    };
    const marker = findingMarker(marked);
    expect(marker.match(/-->/g)).toHaveLength(1);
    expect(parseFindingMarkers(`text ${marker} more`, true)).toEqual([
      { fingerprint: 'f'.repeat(24), ruleId: 'x/y', path: 'a b/--> c.ts', severity: 'low', inline: true },
    ]);
    expect(parseFindingMarkers('<!-- nectr-finding fp=zz rule=a path=b sev=high -->', true)).toEqual([]);
  });

  it('say whether they came from an inline comment, and drop a marker of no known severity', () => {
    const marker = findingMarker({
      ruleId: 'r',
      severity: 'high',
      path: 'a.ts',
      message: 'm',
      fingerprint: 'a'.repeat(24),
    });
    expect(parseFindingMarkers(marker, false)).toEqual([
      { fingerprint: 'a'.repeat(24), ruleId: 'r', path: 'a.ts', severity: 'high', inline: false },
    ]);
    expect(parseFindingMarkers(marker.replace('sev=high', 'sev=urgent'), true)).toEqual([]);
  });
});

describe('open findings', () => {
  const posted = (path: string, text: string, severity: 'high' | 'low' = 'high') => ({
    fingerprint: fingerprint('r', path, text),
    ruleId: 'r',
    path,
    severity,
    inline: true,
  });

  it('are those whose line is still added; a removed file or line is fixed', () => {
    const earlier = [posted('a.ts', 'eval(x)'), posted('a.ts', 'eval(y)'), posted('gone.ts', 'eval(z)')];
    const { open, fixed } = splitOpen(earlier, [file('a.ts', ['eval(x)'])], true);
    expect(open.map((f) => f.path + f.fingerprint)).toEqual([`a.ts${earlier[0].fingerprint}`]);
    expect(fixed).toHaveLength(2);
  });

  it('stay open when the file list is cut at 3000 files or a file shows no patch', () => {
    const earlier = [posted('gone.ts', 'eval(z)'), posted('big.ts', 'eval(z)')];
    const big = { ...file('big.ts', []), patch: undefined };
    expect(splitOpen(earlier, [big], false).open).toHaveLength(2);
  });

  it('about the whole pull request hold while the review finds them again, and stay open when no engine ran', () => {
    const whole = { ...posted('', ''), ruleId: 'pr/oversized', fingerprint: fingerprint('pr/oversized', '', '') };
    expect(splitOpen([whole], [], true, new Set([whole.fingerprint])).open).toEqual([whole]);
    expect(splitOpen([whole], [], true, new Set()).fixed).toEqual([whole]);
    expect(splitOpen([whole], [], true, null).open).toEqual([whole]);
  });

  it('about a file (no flagged line in the patch) stay open while the file is in the pull request', () => {
    const aboutFile = posted('a.ts', '');
    expect(splitOpen([aboutFile], [file('a.ts', ['other()'])], true).open).toEqual([aboutFile]);
    expect(splitOpen([aboutFile], [file('b.ts', ['other()'])], true).fixed).toEqual([aboutFile]);
  });

  it('count once per fingerprint, resolvable when any copy was an inline comment', () => {
    const inline = posted('a.ts', 'eval(x)');
    const { fixed } = splitOpen([inline, { ...inline, inline: false }], [file('a.ts', ['export {};'])], true);
    expect(fixed).toEqual([inline]);
  });

  it('count once per fingerprint', () => {
    expect(
      splitOpen([posted('a.ts', 'eval(x)'), posted('a.ts', 'eval(x)')], [file('a.ts', ['eval(x)'])], true).open,
    ).toHaveLength(1);
  });
});

describe('the nectr status', () => {
  it('fails on an open finding at or above fail_on', () => {
    expect(statusFor([])).toEqual({ state: 'success', description: 'No findings' });
    expect(statusFor([{ severity: 'high' }, { severity: 'low' }])).toEqual({
      state: 'failure',
      description: '2 open findings (1 high)',
    });
    expect(statusFor([{ severity: 'medium' }])).toEqual({ state: 'success', description: '1 open finding' });
    expect(statusFor([{ severity: 'medium' }], 'low').state).toBe('failure');
    expect(statusFor([{ severity: 'critical' }], 'never').state).toBe('success');
  });
});
