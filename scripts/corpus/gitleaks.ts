// Cases from gitleaks' rule definitions (cmd/generate/config/rules/*.go): each rule function ends
// by validating itself against `tps` (true positives) and `fps` (false positives). This evaluates
// the small part of Go those lists are written in: string literals, `+`, `[]string{…}`,
// `append`, `fmt.Sprintf`, and gitleaks' own helpers (GenerateSampleSecrets and the pattern
// builders, reproduced from cmd/generate/config/utils; NewSecret draws from the pattern, seeded).
import { sample, seeded } from './regex-sample.js';

type Value = string | string[];
type Token = { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'num'; v: number } | { t: 'p'; v: string };

// utils.GenerateSampleSecrets' templates, as in gitleaks' generate.go.
const SAMPLES = [
  '{i}Token="{s}"',
  '{i}Token = "{s}"',
  '{i}Token={s}',
  '{i}Token = {s}',
  '{\n    "{i}_token": "{s}"\n}',
  '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
  '<{i}Token>\n    {s}\n</{i}Token>',
  '{i}_token: {s}',
  "{i}_token: '{s}'",
  '{i}_token: "{s}"',
  'string {i}Token = "{s}";',
  'var {i}Token string = "{s}"',
  '{i}Token := "{s}"',
  '{i}Token := `{s}`',
  'String {i}Token = "{s}";',
  'var {i}Token = "{s}"',
  '${i}Token .= "{s}"',
  "{i}Token = '{s}'",
  '{i}Token = "{s}"',
  'System.setProperty("{I}_TOKEN", "{s}")',
  '  "{i}Token" => "{s}"',
  '{i}_TOKEN = "{s}"',
  '{i}_TOKEN := "{s}"',
  '{i}_TOKEN ::= "{s}"',
  '{i}_TOKEN :::= "{s}"',
  '{i}_TOKEN ?= "{s}"',
];
const fill = (template: string, id: string, secret: string) =>
  template.replaceAll('{i}', id).replaceAll('{I}', id.toUpperCase()).replaceAll('{s}', secret);

const PATTERNS: Record<string, (size: string) => string> = {
  'utils.Numeric': (n) => `[0-9]{${n}}`,
  'utils.Hex': (n) => `[a-f0-9]{${n}}`,
  'utils.AlphaNumeric': (n) => `[a-z0-9]{${n}}`,
  'utils.AlphaNumericExtendedShort': (n) => `[a-z0-9_-]{${n}}`,
  'utils.AlphaNumericExtended': (n) => `[a-z0-9=_\\-]{${n}}`,
  'utils.AlphaNumericExtendedLong': (n) => `[a-z0-9\\/=_\\+\\-]{${n}}`,
  'utils.Hex8_4_4_4_12': () => '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
};

function unquote(raw: string): string {
  return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|`([^`]*)`|("(?:[^"\\\n]|\\.)*")|([A-Za-z_][\w.]*)|(\d+)|(\.\.\.|:=|[(){}[\],+=:;])/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1] !== undefined) tokens.push({ t: 'str', v: m[1] });
    else if (m[2] !== undefined) tokens.push({ t: 'str', v: unquote(m[2]) });
    else if (m[3] !== undefined) tokens.push({ t: 'id', v: m[3] });
    else if (m[4] !== undefined) tokens.push({ t: 'num', v: Number(m[4]) });
    else if (m[5] !== undefined) tokens.push({ t: 'p', v: m[5] });
  }
  if (re.lastIndex < src.length) throw new Error(`cannot read Go at ${src.slice(re.lastIndex, re.lastIndex + 20)}`);
  return tokens;
}

class Evaluator {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly vars: Map<string, Value>,
    private readonly random: () => number,
  ) {}

  private peek(v: string): boolean {
    const t = this.tokens[this.i];
    return t?.t === 'p' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.peek(v)) throw new Error(`expected ${v}`);
    this.i++;
  }

  expr(): Value {
    let value = this.term();
    while (this.peek('+')) {
      this.i++;
      const right = this.term();
      if (typeof value !== 'string' || typeof right !== 'string') throw new Error('+ on a list');
      value = value + right;
    }
    return value;
  }

  private args(): Value[] {
    this.expect('(');
    const out: Value[] = [];
    while (!this.peek(')')) {
      const v = this.expr();
      if (this.peek('...')) this.i++;
      out.push(v);
      if (this.peek(',')) this.i++;
    }
    this.expect(')');
    return out;
  }

  private term(): Value {
    const t = this.tokens[this.i++];
    if (!t) throw new Error('end of input');
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return String(t.v);
    if (t.t === 'p' && t.v === '[') {
      this.expect(']');
      this.i++; // string
      this.expect('{');
      const out: string[] = [];
      while (!this.peek('}')) {
        const v = this.expr();
        if (typeof v !== 'string') throw new Error('list in a list');
        out.push(v);
        if (this.peek(',')) this.i++;
      }
      this.expect('}');
      return out;
    }
    if (t.t !== 'id') throw new Error(`unexpected ${t.v}`);
    if (!this.peek('(')) {
      const v = this.vars.get(t.v);
      if (v === undefined) throw new Error(`unknown ${t.v}`);
      return v;
    }
    const args = this.args();
    const str = (k: number): string => {
      const v = args[k];
      if (typeof v !== 'string') throw new Error(`${t.v}: argument ${k} is not a string`);
      return v;
    };
    const pattern = PATTERNS[t.v];
    if (pattern) return pattern(args.length ? str(0) : '');
    switch (t.v) {
      case 'secrets.NewSecret':
        return sample(str(0), this.random);
      case 'utils.GenerateSampleSecrets':
        return SAMPLES.map((s) => fill(s, str(0), str(1)));
      case 'utils.GenerateSampleSecret':
        return `${str(0)}_api_token = "${str(1)}"`;
      case 'fmt.Sprintf': {
        let k = 1;
        return str(0).replace(/%[sd]/g, () => str(k++));
      }
      case 'strings.Repeat':
        return str(0).repeat(Number(str(1)));
      case 'append':
        return args.flatMap((a) => (typeof a === 'string' ? [a] : a));
      default:
        throw new Error(`unknown function ${t.v}`);
    }
  }
}

export interface GitleaksRuleCases {
  ruleId: string;
  tps: string[];
  fps: string[];
  /** Statements that could not be evaluated (left out of the corpus, counted in its README). */
  unread: number;
}

/** The cases of every rule function in one gitleaks rules file. */
export function gitleaksCases(source: string, seed: number): GitleaksRuleCases[] {
  const random = seeded(seed);
  const out: GitleaksRuleCases[] = [];
  for (const fn of source.split(/^func /m).slice(1)) {
    const ruleId = /RuleID:\s*"([^"]+)"/.exec(fn)?.[1];
    if (!ruleId) continue;
    const vars = new Map<string, Value>();
    let unread = 0;
    // Statements that build tps/fps; each runs to the end of its balanced brackets.
    const start = /^\s*(tps|fps)\s*(:?=)\s*/gm;
    let m: RegExpExecArray | null;
    while ((m = start.exec(fn))) {
      const name = m[1];
      const tokens = tokenize(statement(fn, start.lastIndex));
      try {
        const value = new Evaluator(tokens, vars, random).expr();
        vars.set(name, typeof value === 'string' ? [value] : value);
      } catch {
        unread++;
      }
    }
    const list = (name: string): string[] => {
      const v = vars.get(name);
      return v === undefined ? [] : typeof v === 'string' ? [v] : v;
    };
    out.push({ ruleId, tps: list('tps'), fps: list('fps'), unread });
  }
  return out;
}

/** The text of one statement from `from`: up to the first newline outside brackets and strings. */
function statement(src: string, from: number): string {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '`') i = src.indexOf('`', i + 1);
    else if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
    } else if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      if (depth === 0) return src.slice(from, i);
      i = end - 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '\n' && depth === 0) return src.slice(from, i);
  }
  return src.slice(from);
}
