// Reading a model's answer. Models wrap JSON in fences or prose however they are asked, so we look
// for the first JSON object anywhere; the error text goes back to the model when we ask again.
import type { Severity } from '../review-engine.js';

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export interface ModelFinding {
  path: string;
  line: number;
  severity: Severity;
  message: string;
}

export interface ModelAnswer {
  summary: string;
  findings: ModelFinding[];
}

export type ParsedAnswer = { ok: true; answer: ModelAnswer } | { ok: false; error: string };

/** The balanced `{…}` opening at `start`, honouring strings so a brace inside a message doesn't count. */
function balancedFrom(text: string, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

// Enough for any prose a model puts before its answer; bounds the work on a long, brace-heavy one.
const MAX_CANDIDATES = 64;

/**
 * Every balanced `{…}` from each `{` in turn: prose before the answer may quote code with braces of
 * its own (an unbalanced `function f() {`, a `{}`), which must not hide the answer after it.
 */
export function* jsonObjects(text: string): Generator<string> {
  let tried = 0;
  for (let start = text.indexOf('{'); start >= 0 && tried < MAX_CANDIDATES; start = text.indexOf('{', start + 1)) {
    const json = balancedFrom(text, start);
    if (json === undefined) continue;
    tried++;
    yield json;
  }
}

function readFinding(raw: unknown, at: string, errors: string[]): ModelFinding | undefined {
  if (typeof raw !== 'object' || raw === null) {
    errors.push(`${at} must be an object`);
    return undefined;
  }
  const f = raw as Record<string, unknown>;
  // A quoted number is a harmless slip; anything else is a real misunderstanding worth a retry.
  const line = typeof f.line === 'string' && /^\d+$/.test(f.line.trim()) ? Number(f.line) : f.line;
  const severity = typeof f.severity === 'string' ? f.severity.trim().toLowerCase() : f.severity;
  const before = errors.length;
  if (typeof f.path !== 'string' || !f.path) errors.push(`${at}.path must be a non-empty string`);
  if (typeof line !== 'number' || !Number.isInteger(line) || line < 1)
    errors.push(`${at}.line must be a positive integer`);
  if (!SEVERITIES.includes(severity as Severity)) errors.push(`${at}.severity must be one of ${SEVERITIES.join(', ')}`);
  if (typeof f.message !== 'string' || !f.message.trim()) errors.push(`${at}.message must be a non-empty string`);
  if (errors.length > before) return undefined;
  return {
    path: f.path as string,
    line: line as number,
    severity: severity as Severity,
    message: (f.message as string).trim(),
  };
}

export function parseAnswer(text: string): ParsedAnswer {
  let first: ParsedAnswer | undefined;
  let answerShaped: ParsedAnswer | undefined;
  for (const json of jsonObjects(text)) {
    const parsed = readAnswer(json);
    if (parsed.ok) return parsed;
    first ??= parsed;
    // The error worth sending back is the one about the object meant as the answer.
    if (!answerShaped && /"(summary|findings)"\s*:/.test(json)) answerShaped = parsed;
  }
  return answerShaped ?? first ?? { ok: false, error: 'the answer contains no JSON object' };
}

function readAnswer(json: string): ParsedAnswer {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return { ok: false, error: `the JSON object is not valid JSON (${(err as Error).message})` };
  }
  const obj = value as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof obj.summary !== 'string') errors.push('"summary" must be a string');
  if (!Array.isArray(obj.findings)) errors.push('"findings" must be an array');
  const findings = Array.isArray(obj.findings)
    ? obj.findings.map((raw, i) => readFinding(raw, `findings[${i}]`, errors))
    : [];
  if (errors.length > 0) {
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    return { ok: false, error: errors.slice(0, 3).join('; ') + more };
  }
  return { ok: true, answer: { summary: (obj.summary as string).trim(), findings: findings as ModelFinding[] } };
}
