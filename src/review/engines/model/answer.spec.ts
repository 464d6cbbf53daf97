import { describe, expect, it } from '@jest/globals';
import { jsonObjects, parseAnswer } from './answer.js';

const finding = { path: 'a.ts', line: 3, severity: 'high', message: 'Bug.' };

describe('reading a model answer', () => {
  it('finds the JSON object inside code fences and prose', () => {
    const text = 'Here you go:\n```json\n{"summary": "ok {not a brace}", "findings": []}\n```\nThanks!';
    expect(parseAnswer(text)).toEqual({ ok: true, answer: { summary: 'ok {not a brace}', findings: [] } });
  });

  it('reads the answer after prose that holds braces of its own (code quoted before the JSON)', () => {
    const json = JSON.stringify({ summary: 's', findings: [finding] });
    const ok = { ok: true, answer: { summary: 's', findings: [finding] } };
    // An unbalanced brace from quoted code, then the answer in a fence.
    expect(parseAnswer(`The new \`function load() {\` has a bug.\n\n\`\`\`json\n${json}\n\`\`\``)).toEqual(ok);
    // A balanced `{}` from quoted code, before the answer.
    expect(parseAnswer(`It defaults \`options = {}\`; my review:\n${json}`)).toEqual(ok);
  });

  it('ignores braces and escaped quotes inside strings when looking for the end', () => {
    expect(jsonObjects('x {"a": "\\"}{", "b": {"c": 1}} y {"d": 2}').next().value).toBe(
      '{"a": "\\"}{", "b": {"c": 1}}',
    );
    expect(jsonObjects('{"unterminated": 1').next().value).toBeUndefined();
  });

  it('forgives a quoted line number and an upper-case severity', () => {
    const parsed = parseAnswer(
      JSON.stringify({ summary: 's', findings: [{ ...finding, line: '3', severity: 'HIGH' }] }),
    );
    expect(parsed).toEqual({ ok: true, answer: { summary: 's', findings: [finding] } });
  });

  it('names what is wrong so the model can fix it', () => {
    expect(parseAnswer('no json here')).toEqual({ ok: false, error: 'the answer contains no JSON object' });
    expect(parseAnswer('{"summary": "s", findings: []}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not valid JSON'),
    });
    expect(parseAnswer('{"findings": {}}')).toEqual({
      ok: false,
      error: '"summary" must be a string; "findings" must be an array',
    });
    const bad = {
      summary: 's',
      findings: [{ ...finding, line: 0 }, { ...finding, severity: 'blocker' }, 'x', { ...finding, message: ' ' }],
    };
    const parsed = parseAnswer(JSON.stringify(bad));
    expect(parsed).toEqual({
      ok: false,
      error:
        'findings[0].line must be a positive integer; findings[1].severity must be one of critical, high, medium, low, info; ' +
        'findings[2] must be an object (and 1 more)',
    });
  });
});
