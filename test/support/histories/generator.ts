// Seeded random histories of one pull request: opens, pushes of every kind, `.nectr.yml` edits,
// `/nectr` commands, closes, reopens and redeliveries. A history is plain data, so a shrunk one
// can be kept as a regression test.
import { Rng } from '../fuzz/rng.js';
import { CONFIGS, LINE_POOL, PATHS } from './model.js';

/** Files of a tree as plain data: path -> lines. */
export type Tree = Record<string, string[]>;

export type Step =
  | { kind: 'open'; tree: Tree }
  /** ff: a commit on the head; amend: on the head's parent; unrelated: on the base; revert: the head's parent's tree on the head; reset: the head's parent. */
  /** tie: GitHub stamps the push in the same second as the step before (updated_at ties). */
  | { kind: 'push'; how: 'ff' | 'amend' | 'unrelated'; tree: Tree; gc?: boolean; tie?: boolean }
  | { kind: 'push'; how: 'revert' | 'reset'; tie?: boolean }
  | { kind: 'config'; name: string }
  | { kind: 'command'; command: 'pause' | 'resume' | 'review' }
  | { kind: 'close' }
  | { kind: 'reopen' }
  /** GitHub delivers an earlier delivery again (same delivery id), `back` deliveries ago. */
  | { kind: 'redeliver'; back: number }
  /** Burst mode: the held deliveries arrive now, in the order `order` shuffles them. */
  | { kind: 'flush'; order: number };

export interface History {
  /** settle: each delivery is processed before the next step; burst: deliveries are held, then arrive shuffled and at once. */
  mode: 'settle' | 'burst';
  steps: Step[];
}

function randomTree(rng: Rng): Tree {
  const tree: Tree = {};
  for (const path of PATHS)
    if (rng.bool(0.6)) tree[path] = Array.from({ length: rng.int(1, 4) }, () => rng.pick(LINE_POOL));
  if (Object.keys(tree).length === 0) tree[PATHS[0]] = [rng.pick(LINE_POOL)];
  return tree;
}

/** One small edit: a line added, removed or replaced, a file added or removed. */
export function mutate(rng: Rng, from: Tree): Tree {
  const tree: Tree = Object.fromEntries(Object.entries(from).map(([p, lines]) => [p, [...lines]]));
  const path = rng.pick(PATHS);
  const lines = tree[path];
  const roll = rng.int(0, 3);
  if (!lines) tree[path] = [rng.pick(LINE_POOL)];
  else if (roll === 0) lines.splice(rng.int(0, lines.length), 0, rng.pick(LINE_POOL));
  else if (roll === 1 && lines.length > 1) lines.splice(rng.int(0, lines.length - 1), 1);
  else if (roll === 2 && Object.keys(tree).length > 1) delete tree[path];
  else lines[rng.int(0, lines.length - 1)] = rng.pick(LINE_POOL);
  return tree;
}

/**
 * A history of `length` steps. `ties`: some pushes share the second of the step before, as GitHub
 * stamps `updated_at` (off by default: docs/review.md says why).
 */
export function generateHistory(rng: Rng, length: number, ties = false): History {
  const mode = rng.bool(0.5) ? 'settle' : 'burst';
  let tree = randomTree(rng);
  const steps: Step[] = [{ kind: 'open', tree }];
  // The model of the branch, to keep steps possible: the trees from the base to the head.
  let line: Tree[] = [tree];
  let open = true;
  let deliveries = 1;
  for (let i = 1; i < length; i++) {
    const choices: Array<[number, () => Step | undefined]> = [
      [open ? 5 : 0, () => ({ kind: 'push', how: 'ff', tree: (tree = mutate(rng, tree)) })],
      [
        open ? 1 : 0,
        () => ({ kind: 'push', how: 'amend', tree: (tree = mutate(rng, line.at(-2) ?? {})), gc: rng.bool(0.3) }),
      ],
      [open ? 1 : 0, () => ({ kind: 'push', how: 'unrelated', tree: (tree = randomTree(rng)), gc: rng.bool(0.3) })],
      [open && line.length > 1 ? 1 : 0, () => ({ kind: 'push', how: 'revert' })],
      [open && line.length > 1 ? 1 : 0, () => ({ kind: 'push', how: 'reset' })],
      [1, () => ({ kind: 'config', name: rng.pick(CONFIGS).name })],
      [mode === 'settle' ? 2 : 0, () => ({ kind: 'command', command: rng.pick(['pause', 'resume'] as const) })],
      [1, () => ({ kind: 'command', command: 'review' })],
      [open ? 1 : 0, () => ({ kind: 'close' })],
      [open ? 0 : 3, () => ({ kind: 'reopen' })],
      [1, () => ({ kind: 'redeliver', back: rng.int(1, deliveries) })],
      [mode === 'burst' ? 2 : 0, () => ({ kind: 'flush', order: rng.int(0, 2 ** 31) })],
    ];
    const step = rng.weighted(choices)();
    if (!step) continue;
    if (ties && step.kind === 'push' && rng.bool(0.15)) step.tie = true;
    if (step.kind === 'push') {
      if (step.how === 'ff') line = [...line, step.tree];
      else if (step.how === 'amend') line = [...line.slice(0, -1), step.tree];
      else if (step.how === 'unrelated') line = [step.tree];
      else if (step.how === 'revert') line = [...line, (tree = line.at(-2)!)];
      else line = line.slice(0, -1);
      tree = line.at(-1)!;
    }
    if (step.kind === 'close') open = false;
    if (step.kind === 'reopen') open = true;
    if (['push', 'command', 'close', 'reopen'].includes(step.kind)) deliveries++;
    steps.push(step);
  }
  return { mode, steps };
}
