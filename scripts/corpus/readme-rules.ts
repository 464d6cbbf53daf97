// `npm run readme:rules`: rewrites the README's generated list of builtin rules.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadRules } from '../../src/review/engines/builtin/load-rules.js';
import { renderRules, withRules } from '../../src/review/engines/builtin/rules-doc.js';

const path = new URL('../../../README.md', import.meta.url);
writeFileSync(path, withRules(readFileSync(path, 'utf8'), renderRules(await loadRules())));
