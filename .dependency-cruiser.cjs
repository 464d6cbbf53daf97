/**
 * One-way module dependencies in src/ (npm run lint runs this). Every folder of src/ sits in one
 * layer below; a folder imports only folders of lower layers (never one of its own layer or above),
 * so no two folders can import each other, directly or round a loop. Nothing imports the app's
 * composition (app.module, app.setup, main). docs/architecture.md's module map is this list.
 */
const layers = [
  ['config'],
  ['common', 'docs'],
  ['sessions', 'github'],
  ['events', 'installations'],
  ['queue', 'pr-commands'],
  ['metrics', 'health', 'repo-config'],
  ['webhooks', 'review', 'recovery', 'stats'],
  ['database'],
];

const folder = (names) => `^src/(${names.join('|')})/`;

/** Every folder placed in a layer. A folder not placed is checked by no layer rule: it is refused (module-placed). */
const placed = layers.flat();

/** [a folder, the folders it must not import]: those of its own layer and of every layer above. */
const forbidden = layers
  .flatMap((layer, i) =>
    layer.map((name) => [name, [...layer.filter((other) => other !== name), ...layers.slice(i + 1).flat()]]),
  )
  .filter(([, targets]) => targets.length > 0);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules must depend one way.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-import-of-composition',
      severity: 'error',
      comment: 'Only main.ts (and the tests) build the app; modules never import it.',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/(app\\.module|app\\.setup|main)\\.ts$' },
    },
    {
      name: 'module-placed',
      severity: 'error',
      comment:
        'A folder of src/ this file does not place: put it in a layer of `layers` (above every folder it imports) and in the module map of docs/architecture.md.',
      from: { path: '^src/[^/]+/', pathNot: folder(placed) },
      to: {},
    },
    {
      name: 'module-placed-imported',
      severity: 'error',
      comment: 'The same, seen from a file that imports a folder no layer places.',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+/', pathNot: folder(placed) },
    },
    {
      name: 'module-placed-orphan',
      severity: 'error',
      comment: 'The same, for a file that imports nothing and that nothing imports.',
      from: { path: '^src/[^/]+/', pathNot: folder(placed), orphan: true },
      to: {},
    },
    {
      name: 'src-not-tests-or-scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'entities-stay-home',
      severity: 'error',
      comment:
        "A module's tables are its own: other folders use its services (and may import its entity as a type only); database/entities.ts registers them all.",
      from: { path: '^src/([^/]+)/', pathNot: '^src/database/entities\\.ts$' },
      to: { path: '^src/[^/]+/[^/]+\\.entity\\.ts$', pathNot: '^src/$1/', dependencyTypesNot: ['type-only'] },
    },
    ...forbidden.map(([from, targets]) => ({
      name: `${from}-one-way`,
      severity: 'error',
      comment: `${from}/ must not import ${targets.join(', ')}: they are in its layer or above it.`,
      from: { path: folder([from]) },
      to: { path: folder(targets) },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
