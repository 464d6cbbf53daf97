// Strings matching the small regular expressions gitleaks' rule tests feed to secrets.NewSecret:
// literals, escapes, classes with ranges, groups with alternatives and {n}/{n,m}/?/+/* repeats.
// Seeded, so building the corpus twice gives the same cases.

type Node =
  | { kind: 'set'; chars: string }
  | { kind: 'alt'; options: Node[][] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

const CLASS_ESCAPES: Record<string, string> = {
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  d: '0123456789',
  s: ' ',
};

export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parse(pattern: string): Node[] {
  let i = 0;
  const sequence = (): Node[][] => {
    const options: Node[][] = [[]];
    while (i < pattern.length && pattern[i] !== ')') {
      const c = pattern[i++];
      let node: Node;
      if (c === '|') {
        options.push([]);
        continue;
      } else if (c === '(') {
        if (pattern.startsWith('?:', i)) i += 2;
        else if (pattern.startsWith('?i)', i)) {
          i += 3;
          continue;
        }
        node = { kind: 'alt', options: sequence() };
        i++; // ')'
      } else if (c === '[') {
        let chars = '';
        while (pattern[i] !== ']') {
          let from = pattern[i++];
          if (from === '\\') {
            const e = pattern[i++];
            from = CLASS_ESCAPES[e] ?? e;
            chars += from;
            continue;
          }
          if (pattern[i] === '-' && pattern[i + 1] !== ']') {
            const to = pattern[i + 1];
            i += 2;
            for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) chars += String.fromCharCode(code);
          } else chars += from;
        }
        i++;
        node = { kind: 'set', chars };
      } else if (c === '\\') {
        const e = pattern[i++];
        node = { kind: 'set', chars: CLASS_ESCAPES[e] ?? e };
      } else if (c === '^' || c === '$') continue;
      else node = { kind: 'set', chars: c };
      const q = /^(?:\{(\d+)(?:,(\d*))?\}|\?|\+|\*)/.exec(pattern.slice(i));
      if (q) {
        i += q[0].length;
        const min = q[0] === '?' || q[0] === '*' ? 0 : q[0] === '+' ? 1 : Number(q[1]);
        const max =
          q[0] === '?'
            ? 1
            : q[0] === '+' || q[0] === '*'
              ? min + 8
              : q[2] === undefined
                ? min
                : q[2] === ''
                  ? min + 8
                  : Number(q[2]);
        node = { kind: 'repeat', node, min, max };
      }
      options[options.length - 1]?.push(node);
    }
    return options;
  };
  return [{ kind: 'alt', options: sequence() }];
}

export function sample(pattern: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  const gen = (node: Node): string => {
    if (node.kind === 'set') return node.chars[pick(node.chars.length)] ?? '';
    if (node.kind === 'alt') return (node.options[pick(node.options.length)] ?? []).map(gen).join('');
    let out = '';
    const times = node.min + pick(node.max - node.min + 1);
    for (let k = 0; k < times; k++) out += gen(node.node);
    return out;
  };
  return parse(pattern).map(gen).join('');
}
