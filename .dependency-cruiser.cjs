/**
 * One-way module dependencies in src/ (npm run lint runs this). The layers, from the bottom:
 * config → common → database, github, events, installations → queue → metrics, health → webhooks,
 * review, recovery → app.module, app.setup, main. A folder imports only folders below it, and
 * nothing imports the app's composition.
 */
const folder = (names) => `^src/(${names.join('|')})/`;

/** Everything above common: common imports none of it, and config imports neither it nor common. */
const aboveCommon = [
  'database',
  'github',
  'events',
  'installations',
  'queue',
  'metrics',
  'health',
  'webhooks',
  'review',
  'recovery',
  'docs',
];

/**
 * Every folder of src/, as docs/architecture.md's module map places it. A folder not named here is
 * checked by none of the rules below, so one is refused until it is placed (module-placed).
 */
const placed = [
  'config',
  'common',
  'database',
  'github',
  'events',
  'installations',
  'sessions',
  'queue',
  'metrics',
  'health',
  'webhooks',
  'pr-commands',
  'repo-config',
  'review',
  'recovery',
  'stats',
  'docs',
];

/** [the folder, the folders it must not import]. */
const forbidden = [
  ['common', aboveCommon],
  ['config', ['common', ...aboveCommon]],
  ['events', ['queue', 'metrics', 'health', 'webhooks', 'review', 'recovery', 'installations', 'github']],
  ['installations', ['events', 'queue', 'health', 'webhooks', 'review', 'recovery']],
  ['queue', ['metrics', 'health', 'webhooks', 'review', 'recovery', 'installations']],
  ['metrics', ['health', 'webhooks', 'review', 'recovery', 'installations']],
  ['health', ['webhooks', 'review', 'recovery', 'installations', 'events']],
  ['webhooks', ['review', 'recovery', 'queue']],
  ['review', ['webhooks', 'recovery']],
  ['recovery', ['webhooks', 'review', 'queue']],
  ['repo-config', ['review', 'webhooks', 'queue', 'recovery', 'pr-commands', 'sessions', 'stats']],
  ['pr-commands', ['review', 'webhooks', 'queue', 'recovery', 'repo-config', 'sessions', 'stats']],
  ['sessions', ['review', 'webhooks', 'queue', 'recovery', 'repo-config', 'pr-commands', 'stats']],
  ['stats', ['review', 'webhooks', 'recovery', 'repo-config', 'pr-commands']],
];

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
        'A folder of src/ this file does not place: list it in `placed`, say in `forbidden` what it must not import and which folders below it must not import it, and add it to the module map of docs/architecture.md.',
      from: { path: '^src/[^/]+/', pathNot: folder(placed) },
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
      comment: `${from}/ sits below ${targets.join(', ')}: it must not import them.`,
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
